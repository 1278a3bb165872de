// The window's summary facts (issue 17): vservers, the cluster, node and port load, NVRAM mirror, routed
// paths only when reported; a lab without a cluster publishes no cluster.
import { describe, expect, it } from 'vitest';
import { summaryEntries } from '../../../emulator/host/summary-view.ts';
import { summarySkeleton } from '../../../emulator/engine/summary.ts';

describe('summaryEntries', () => {
  it('picks the cluster facts, node and port load, routing with its table, a storage failover, and nothing a lab did not report', () => {
    const summary = {
      ...summarySkeleton(),
      vservers: { vs2: { node: 'node1', state: 'running', load: 58.4 } },
      cluster: { master: 'node1', lastFailover: null, lastBalance: null, balance: { spread: 2 } },
      filers: {
        node1: { load: 158.8, master: 'node1', state: 'running', storage: { nvram: 'mirrored', nvlogEntries: 665, status: 'online' }, ports: { e0a: { load: 124.4, link: true }, e0b: { load: 0, link: false, state: 'stranded', vips: ['e0b', 'vs2-b'] }, '0a': { link: true } } },
        node2: { load: 3, routing: { for: ['node1'], table: [{ destination: '10.1.1.31', gateway: 'node1 via e0b', flags: 'UHLS', interface: 'e0a' }] }, ports: {} },
        node3: { load: 0, storageFailover: { atMs: 12_000, aggregates: ['aggr1'], order: 'vs4', placed: { vs4: 'node4' }, destinations: ['node4'] } },
      },
      clients: { c1: { lastPath: 'c1>node2>node1', opsOk: 4 } },
    };
    const entries = Object.fromEntries(summaryEntries(summary));
    expect(entries['summary.vservers']).toEqual({ vs2: { node: 'node1', state: 'running', load: 58.4 } });
    expect(entries['summary.cluster']).toEqual({ master: 'node1', lastFailover: null, lastBalance: null });
    expect(entries['summary.filers.node1']).toEqual({ load: 158.8, master: 'node1', nvram: 'mirrored', nvlogEntries: 665, ports: { e0a: { load: 124.4 }, e0b: { load: 0, state: 'stranded', vips: ['e0b', 'vs2-b'] } } });
    expect(entries['summary.filers.node2']).toEqual({ load: 3, routing: summary.filers.node2.routing });
    expect(entries['summary.filers.node3']).toEqual({ load: 0, storageFailover: summary.filers.node3.storageFailover });
    expect(entries['summary.clients.c1']).toEqual({ lastPath: 'c1>node2>node1' });
  });

  it('publishes no vservers or cluster for a lab without them', () => {
    const entries = Object.fromEntries(summaryEntries({ ...summarySkeleton(), filers: { filerA: { state: 'running' } } }));
    expect(Object.keys(entries)).toEqual(['summary.filers.filerA']);
  });
});
