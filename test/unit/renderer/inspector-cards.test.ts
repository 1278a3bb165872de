// The inspector's cards in words (issue 19) and a cluster's vservers on the diagram (issue 17).
import { describe, expect, it } from 'vitest';
import { clientRows, diskRows, environmentRows, shelfRows, unitsText } from '../../../renderer/src/composables/inspector-cards.ts';
import { dataVserverAddresses, dataVserverNames, keepLastNode, placeVservers, portFailoverText, portView, vserverViews } from '../../../renderer/src/composables/vserver-view.ts';

const filer = (id: string, systemId: string, vservers: unknown[] = []) => ({
  id, kind: 'filer', config: {
    systemId, vservers,
    fcPorts: [{ port: '0a', loop: 'A', shelves: [{ actor: 'shelf1', shelfId: 1 }] }, { port: '0b', loop: 'B', shelves: [{ actor: 'shelf2', shelfId: 2 }, { actor: 'shelf1', shelfId: 1 }] }],
  },
});
const actors = [filer('filerA', '0101165001'), filer('filerB', '0101165002'), { id: 'c1', kind: 'client', config: { protocol: 'nfs', server: '10.1.1.10', vserver: 'filerA' } }];
const value = (rows: ReadonlyArray<{ label: string; value: string }>, label: string) => rows.find((row) => row.label === label)?.value;

describe('inspector cards', () => {
  it('says units in words: counts and which failed, never a list of booleans', () => {
    expect(unitsText([true, true, true, true], 'fans')?.value).toBe('4 of 4 ok');
    expect(unitsText([false, true], 'power supplies')).toMatchObject({ value: '1 of 2 ok (#1 failed)', tone: 'bad' });
    const rows = environmentRows({ 'filerA.power': 'on', 'filerA.sensors.temperatureC': 27, 'filerA.sensors.fans': [true, false], 'filerA.led.fault': false }, 'filerA');
    expect(rows.map((row) => `${row.label}: ${row.value}`)).toEqual(['power: on', 'temperature: 27 °C', 'fans: 1 of 2 ok (#2 failed)', 'fault LED: off']);
  });

  it('names a disk by the console, with its place, both loops and the reservation holder', () => {
    const state = { 'shelf1.bays.7.state': 'ok', 'shelf1.bays.7.owner': 'filerA', 'shelf1.bays.7.reservation': '0101165001', 'filerA.disks.shelf1.7.role': 'data' };
    const rows = diskRows(state, actors, 'shelf1', 7);
    expect(value(rows, 'name')).toBe('0a.23');
    expect(value(rows, 'place')).toBe('shelf1 bay 7');
    expect(value(rows, 'role')).toBe('data');
    expect(value(rows, 'loop A')).toBe('0a.23 from filerA, 0a.23 from filerB');
    expect(value(rows, 'loop B')).toBe('0b.23 from filerA, 0b.23 from filerB');
    expect(value(rows, 'reservation')).toBe('held by filerA (system id 0101165001)');
  });

  it('reads a shelf’s modules and a client’s ops, latency and outage', () => {
    const shelf = shelfRows({ 'shelf1.ports.A.link': true, 'shelf1.ports.A.out.link': false, 'shelf1.ports.B.link': false, 'shelf1.bays.0.state': 'failed' }, 'shelf1');
    expect(value(shelf, 'module A')).toBe('in up · out down');
    expect(value(shelf, 'module B')).toBe('in down · out —');
    expect(value(shelf, 'bays')).toBe('1 of 14 in use, 1 not ok');
    const sample = { atUs: 1, intervalUs: 250_000, opsOk: 2, opsFailed: 0, latencyMsAvg: 8, outageMs: 1200, totalOk: 10, totalFailed: 1, totalLatencyMs: 90 };
    const client = clientRows({ 'c1.state': 'mounted', 'c1.stats': sample }, actors, 'c1');
    expect(value(client, 'protocol')).toBe('NFS');
    expect(value(client, 'server')).toBe('10.1.1.10 (vserver filerA)');
    expect(value(client, 'ops')).toBe('8/s now · 10 ok, 1 failed in all');
    expect(value(client, 'latency')).toBe('8 ms now · 9 ms mean');
    expect(value(client, 'outage')).toBe('open for 1200 ms');
    // A routed client's last path, as the summary gives it (`c1>node2>node1`).
    expect(value(clientRows({ 'summary.clients.c1': { lastPath: 'c1>node2>node1' } }, actors, 'c1'), 'last path')).toBe('c1 → node2 → node1');
  });
});

describe('cluster vservers on the diagram', () => {
  const vs = (name: string, home: string, a: string) => ({ name, home, addresses: [{ address: `${a}/24`, port: 'e0a' }] });
  const cluster = [filer('node1', '1', [vs('node1', 'node1', '10.1.1.21'), vs('vs2', 'node1', '10.1.1.32')]), filer('node3', '3', [vs('node3', 'node3', '10.1.1.23'), vs('vs4', 'node3', '10.1.1.34')])];
  const boxes = [{ id: 'node1', kind: 'filer', x: 0, y: 0, width: 240, height: 300 }, { id: 'node3', kind: 'filer', x: 400, y: 0, width: 240, height: 300 }];

  it('takes the data vservers (not the node vservers) and their addresses from the topology', () => {
    expect(dataVserverNames(cluster)).toEqual(['vs2', 'vs4']);
    expect([...dataVserverAddresses(cluster)]).toEqual(['10.1.1.32', '10.1.1.34']);
  });

  it('puts each vserver in the box of the node the summary says serves it, and moves it when that changes', () => {
    const summary = (node: string) => ({ 'summary.vservers': { vs2: { node, state: 'running', load: 5, lifs: { active: 1, 'vs2-a': { port: `${node}:e0a`, address: '10.1.1.32' } } }, vs4: { node: 'node3', state: 'running', load: 1, lifs: {} } } });
    const before = placeVservers(vserverViews(summary('node1'), ['vs2', 'vs4']), boxes);
    expect(before.map((box) => [box.name, box.node, box.x < 240])).toEqual([['vs2', 'node1', true], ['vs4', 'node3', false]]);
    expect(before[0]?.lifs).toEqual([{ address: '10.1.1.32', port: 'node1:e0a' }]);
    const after = placeVservers(vserverViews(summary('node3'), ['vs2', 'vs4']), boxes);
    expect(after.find((box) => box.name === 'vs2')).toMatchObject({ node: 'node3' });
    expect(after.find((box) => box.name === 'vs2')!.x).toBeGreaterThanOrEqual(400);
    expect(placeVservers(vserverViews({}, ['vs2']), boxes)).toEqual([]);
  });
});

describe('a vserver between nodes', () => {
  it('stays on the node it was last seen on, as not served, until the summary places it', () => {
    const lastSeen = new Map<string, string>();
    const view = (node: string | undefined) => ({ name: 'vs2', node, state: node ? 'running' : 'unknown', load: 0, priority: 2, migrations: 0, lifs: [] });
    expect(keepLastNode([view(undefined)], lastSeen)[0]).toMatchObject({ node: undefined });
    keepLastNode([view('node1')], lastSeen);
    expect(keepLastNode([view(undefined)], lastSeen)[0]).toMatchObject({ node: 'node1', state: 'not served' });
    expect(keepLastNode([view('node3')], lastSeen)[0]).toMatchObject({ node: 'node3', state: 'running' });
  });
});

describe('a cluster node’s port as port failover sees it', () => {
  // node4 with all three Ethernet cables pulled: e0c's addresses moved on, e0a and e0b had nowhere to go.
  const state = { 'summary.filers.node4': { ports: {
    e0a: { load: 0, state: 'stranded', vips: ['e0a', 'vs5-a'] }, e0c: { load: 0, state: 'failed', vips: [] }, e0d: { load: 12.5 },
  } } };

  it('says a stranded port’s addresses are down, a failed one’s moved, and nothing of a port that is up', () => {
    expect(portView(state, 'node4', 'e0a')).toEqual({ load: 0, state: 'stranded', lifs: ['e0a', 'vs5-a'] });
    expect(portFailoverText(portView(state, 'node4', 'e0a')!)).toBe('stranded: no good port left, e0a, vs5-a down');
    expect(portFailoverText(portView(state, 'node4', 'e0c')!)).toBe('failed: its addresses moved to a good port');
    expect(portView(state, 'node4', 'e0d')).toEqual({ load: 12.5, state: 'up', lifs: [] });
    expect(portFailoverText(portView(state, 'node4', 'e0d')!)).toBe('');
    expect(portView(state, 'node4', 'e0b')).toBeUndefined();
    expect(portView({}, 'filerA', 'e0a')).toBeUndefined();
  });
});
