// Why a vserver moved, on its box for a few virtual seconds (issue 17, seed 004): a node failure, a
// storage failover (claim 14), a load balance or `vserver migrate`; the latest record wins.
import { describe, expect, it } from 'vitest';
import { moveReasons, REASON_SHOWN_MS, reasonShown } from '../../../renderer/src/composables/move-reasons.ts';

const NODES = ['node1', 'node2', 'node3', 'node4'];
// Shapes as emulator/ontap/cluster/summary.ts reports them and host/summary-view.ts passes them on.
const failedNode3 = { lastFailover: { node: 'node3', atMs: 40_000, order: 'vs4', keptDown: [], destinations: ['node4'], placed: { vs4: 'node4' } }, lastBalance: null };
const migrated = { lastFailover: null, lastBalance: { trigger: 'operator', atMs: 12_000, plan: 'move vs2 node1 -> node3', moves: ['vs2:node1>node3'], destinations: ['node3'] } };
const shelfLost = { 'summary.filers.node1': { storageFailover: { atMs: 21_000, aggregates: ['aggr2', 'aggr3'], order: 'vs1>vs2', placed: { vs1: 'node3', vs2: 'node4' }, destinations: ['node3', 'node4'] } } };

describe('why a vserver moved', () => {
  it('names the failed node, the operator’s migrate, or the node that lost its storage', () => {
    expect(moveReasons({ 'summary.cluster': failedNode3 }, NODES).get('vs4')).toMatchObject({ from: 'node3', to: 'node4', atMs: 40_000, short: 'node3 failed' });
    const vs2 = moveReasons({ 'summary.cluster': migrated }, NODES).get('vs2');
    expect(vs2).toMatchObject({ from: 'node1', to: 'node3', short: 'vserver migrate' });
    expect(vs2?.long).toBe('vs2 moved from node1 to node3: an operator typed vserver migrate');
    const storage = moveReasons(shelfLost, NODES);
    expect([...storage.keys()]).toEqual(['vs1', 'vs2']);
    expect(storage.get('vs2')).toMatchObject({ from: 'node1', to: 'node4', short: 'node1 lost storage' });
    expect(storage.get('vs1')?.long).toContain('aggr2, aggr3');
    expect(moveReasons({}, NODES).size).toBe(0);
  });

  it('keeps the latest record for a vserver moved twice', () => {
    const both = { ...shelfLost, 'summary.cluster': { ...migrated, lastBalance: { ...migrated.lastBalance, atMs: 30_000, trigger: 'load', moves: ['vs2:node4>node2'] } } };
    expect(moveReasons(both, NODES).get('vs2')).toMatchObject({ from: 'node4', to: 'node2', short: 'load balance' });
    const older = { ...shelfLost, 'summary.cluster': migrated };
    expect(moveReasons(older, NODES).get('vs2')?.short).toBe('node1 lost storage');
  });

  it('shows a reason from the decision until a few seconds after the box arrived, never before', () => {
    const reason = moveReasons({ 'summary.cluster': failedNode3 }, NODES).get('vs4')!;
    expect(reasonShown(reason, 39_000, undefined)).toBe(false);
    expect(reasonShown(reason, 41_000, undefined)).toBe(true);
    expect(reasonShown(reason, 40_000 + REASON_SHOWN_MS + 1, undefined)).toBe(false);
    // The box reached node4 at 55 s (the master waited for the failure detection and the mount).
    expect(reasonShown(reason, 55_000 + REASON_SHOWN_MS - 1, 55_000)).toBe(true);
    expect(reasonShown(reason, 55_000 + REASON_SHOWN_MS + 1, 55_000)).toBe(false);
  });
});
