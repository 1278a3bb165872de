// Routed paths on the diagram (issue 17, seed 004 claims 8, 9): on cluster-4's real wiring, once node1
// lost net1 (e0a, e0c, e0d pulled) and node2 routes for it, c1's path `c1>node2>node1` is drawn over
// c1–sw1, sw1–node2:e0a (the port standing in for vs1-a), node2:e0b–sw2 and sw2–node1:e0b; a client
// served directly draws nothing, and neither does c1 once its path is direct again or node2 stops routing.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveLab } from '../../../emulator/lab/catalog.ts';
import { layoutLab, type CableLine } from '../../../renderer/src/composables/diagram-layout.ts';
import { clientPath } from '../../../renderer/src/composables/inspector-cards.ts';
import { cableRoute, routedHops, routedPaths } from '../../../renderer/src/composables/routed-path.ts';
import { routingLine, routingView } from '../../../renderer/src/composables/routing-view.ts';

function cluster4() {
  const resolved = resolveLab('cluster-4', (path) => readFileSync(path, 'utf8'));
  if (!resolved.ok) throw new Error(resolved.errors.join('\n'));
  const actors = resolved.spec.actors.map((actor) => ({ id: actor.id, kind: actor.kind, config: actor.config as unknown }));
  const cables = resolved.spec.cables.map((cable) => ({ id: cable.id, kind: cable.kind, a: cable.a, b: cable.b }));
  return { actors, layout: layoutLab({ actors, cables }) };
}

const PULLED = new Set(['node1:e0a', 'node1:e0c', 'node1:e0d']);
const carries = (cable: CableLine) => !PULLED.has(`${cable.a.actor}:${cable.a.port}`) && !PULLED.has(`${cable.b.actor}:${cable.b.port}`);
/** The summary as the window holds it at 20 s of subnet-fail-routed.script (host/summary-view.ts). */
const routedState = {
  'summary.clients.c1': { lastPath: 'c1>node2>node1', vserver: 'vs1' },
  'summary.clients.c3': { lastPath: 'c3>10.1.2.31', vserver: 'vs1' },
  'summary.clients.c4': { lastPath: 'c4>10.1.1.33', vserver: 'vs3' },
  'summary.filers.node2': { routing: { for: ['node1'] } },
  'summary.vservers': {
    vs1: { node: 'node1', lifs: { 'active': 2, 'vs1-a': { port: 'node2:e0a', address: '10.1.1.31' }, 'vs1-b': { port: 'node1:e0b', address: '10.1.2.31' } } },
  },
};
const ends = (crossings: ReadonlyArray<{ from: { actor: string; port: string }; to: { actor: string; port: string } }>) =>
  crossings.map((crossing) => `${crossing.from.actor}:${crossing.from.port}>${crossing.to.actor}:${crossing.to.port}`);

describe('routed paths', () => {
  const { actors, layout } = cluster4();
  const switches = new Set(['sw1', 'sw2']);

  it('reads a path the summary gives as `a>b>c`, and only a path through a node is routed', () => {
    expect(clientPath(routedState, 'c1')).toEqual(['c1', 'node2', 'node1']);
    expect(routedHops(routedState, actors, 'c1')).toEqual(['c1', 'node2', 'node1']);
    expect(routedHops(routedState, actors, 'c3')).toBeUndefined();
    expect(routedHops({ 'summary.clients.c1': { lastPath: 'c1>node1' } }, actors, 'c1')).toBeUndefined();
    // A last path through node2 that node2 no longer routes (c1 sent nothing since) is not drawn.
    expect(routedHops({ ...routedState, 'summary.filers.node2': { routing: { for: [] } } }, actors, 'c1')).toBeUndefined();
    expect(routedHops({}, actors, 'c1')).toBeUndefined();
  });

  it('goes through switches only, never through another client or node, avoiding pulled cables', () => {
    expect(ends(cableRoute('node2', 'node1', layout.cables, switches, carries) ?? [])).toEqual(['node2:e0b>sw2:p2', 'sw2:p1>node1:e0b']);
    // With every cable carrying, node1 is reached on net1 first (cable order), one switch away as well.
    expect(ends(cableRoute('node2', 'node1', layout.cables, switches, () => true) ?? [])).toEqual(['node2:e0a>sw1:p4', 'sw1:p1>node1:e0a']);
    expect(cableRoute('c1', 'node1', layout.cables, new Set(), carries)).toBeUndefined();
  });

  it('draws c1 over its cables into node2 on vs1-a’s port and on to node1 over net2', () => {
    const paths = routedPaths(routedState, actors, layout.cables, carries);
    expect(paths.map((path) => path.client)).toEqual(['c1']);
    const [c1] = paths;
    expect(c1.routers).toEqual(['node2']);
    expect(c1.serving).toBe('node1');
    expect(`${c1.entry.to.actor}:${c1.entry.to.port}`).toBe('node2:e0a');
    expect(c1.d.match(/M /g)).toHaveLength(4);
    const anchor = (id: string) => layout.cables.flatMap((cable) => [cable.a, cable.b]).find((end) => `${end.actor}:${end.port}` === id)!;
    expect(c1.d.startsWith(`M ${anchor('c1:e0').x} ${anchor('c1:e0').y}`)).toBe(true);
    expect(c1.d.endsWith(`${anchor('node1:e0b').x} ${anchor('node1:e0b').y}`)).toBe(true);
  });

  it('prefers the router port standing in for the vserver, else any port that carries', () => {
    const elsewhere = { ...routedState, 'summary.vservers': { vs1: { lifs: { 'vs1-a': { port: 'node2:e0c' } } } } };
    expect(routedPaths(elsewhere, actors, layout.cables, carries)[0].entry.to.port).toBe('e0c');
    const unknownPorts = { 'summary.clients.c1': { lastPath: 'c1>node2>node1' }, 'summary.filers.node2': routedState['summary.filers.node2'] };
    expect(routedPaths(unknownPorts, actors, layout.cables, carries)[0].entry.to.port).toMatch(/^e0[ac]$/);
  });

  it('draws nothing once routing stops, or when no cable carries the path', () => {
    expect(routedPaths({ ...routedState, 'summary.clients.c1': { lastPath: 'c1>10.1.1.31', vserver: 'vs1' } }, actors, layout.cables, carries)).toEqual([]);
    expect(routedPaths(routedState, actors, layout.cables, (cable) => carries(cable) && cable.a.actor !== 'node1' && cable.b.actor !== 'node1')).toEqual([]);
  });
});

describe('a node’s routing in the inspector', () => {
  // node1 and node2 at 22 s of subnet-fail-routed.script (the summary's routing, table cut short).
  const state = {
    'summary.filers.node1': { routing: { lostSubnets: ['10.1.1.0/24'], via: ['node2'], for: [], forwarded: 0, table: [
      { destination: '10.1.2/24', gateway: 'link#2', flags: 'UC', interface: 'e0b' },
      { destination: '10.1.1/24', gateway: '10.1.2.22', flags: 'UGS', interface: 'e0b' },
    ] } },
    'summary.filers.node2': { routing: { lostSubnets: [], via: [], for: ['node1'], forwarded: 2465, table: [
      { destination: '10.1.1.31', gateway: 'node1 via e0b', flags: 'UHLS', interface: 'e0a' },
      { destination: 'broken' },
    ] } },
    'summary.filers.node3': { routing: { lostSubnets: [], via: [], for: [], forwarded: 0, table: [] } },
  };

  it('says in words who routes for whom, and lists the table as route -s does', () => {
    const node1 = routingView(state, 'node1')!;
    expect(routingLine(node1)).toBe('lost 10.1.1.0/24: reached via node2');
    expect(node1.table.map((route) => `${route.destination} ${route.gateway} ${route.flags}`)).toEqual(['10.1.2/24 link#2 UC', '10.1.1/24 10.1.2.22 UGS']);
    const node2 = routingView(state, 'node2')!;
    expect(routingLine(node2)).toBe('routes for node1 (2465 frames forwarded)');
    expect(node2.table).toEqual([{ destination: '10.1.1.31', gateway: 'node1 via e0b', flags: 'UHLS', interface: 'e0a' }]);
    expect(routingLine(routingView(state, 'node3')!)).toBe('');
    expect(routingView(state, 'filerA')).toBeUndefined();
  });
});
