// The master's "one owner per vserver" check reads heartbeats, which are samples a second apart: a
// stale claim from before a move must not count, a fenced filer's last beat may overlap briefly, and
// two nodes claiming one vserver beat after beat are a split brain.
import { describe, expect, it } from 'vitest';
import type { ActorContext } from '../../../emulator/engine/actor.ts';
import { checkOneOwnerPerVserver } from '../../../emulator/ontap/cluster/invariants.ts';
import type { ClusterState, MemberRecord } from '../../../emulator/ontap/cluster/types.ts';

const S = 1_000_000;

function member(lastHeardUs: number, claimedSince: Record<string, number>): MemberRecord {
  const storage = Object.fromEntries(Object.keys(claimedSince).map((v) => [v, { owner: 'node2', shelves: [], load: 0, movable: true }]));
  return { lastHeardUs, state: 'up', serving: Object.keys(claimedSince), load: 0, migrations: {}, lifPorts: {}, partner: null, reach: [], storage, claimedSince };
}

function check(nowUs: number, servingSince: Record<string, number>, members: Record<string, MemberRecord>): string[] {
  const cluster = { members, violations: [] } as unknown as ClusterState;
  checkOneOwnerPerVserver(cluster, { now: nowUs } as unknown as ActorContext, 'node1', servingSince);
  return cluster.violations.map((v) => v.detail);
}

describe('one owner per vserver, on the master', () => {
  it('ignores a stale claim from the node a vserver moved away from', () => {
    // node2 last claimed vs3 at 20 s; the master took it at 20.5 s.
    expect(check(23 * S, { vs3: 20.5 * S }, { node2: member(20 * S, { vs3: 10 * S }) })).toEqual([]);
  });

  it('allows a fenced filer one last overlapping beat', () => {
    expect(check(22 * S, { vs3: 20.5 * S }, { node2: member(21 * S, { vs3: 10 * S }) })).toEqual([]);
  });

  it('reports two nodes claiming one vserver for longer than the fencing window', () => {
    expect(check(25 * S, { vs3: 20.5 * S }, { node2: member(24 * S, { vs3: 10 * S }) }))
      .toEqual(['vs3 served by both node1 and node2 for over 1 s (from 20500 ms)']);
  });

  it('compares two other nodes by their runs of claims', () => {
    const moved = { node3: member(30 * S, { vs4: 19 * S }), node4: member(31 * S, { vs4: 30.5 * S }) };
    expect(check(31 * S, {}, moved)).toEqual([]);
    const both = { node3: member(33 * S, { vs4: 19 * S }), node4: member(34 * S, { vs4: 30.5 * S }) };
    expect(check(34 * S, {}, both)).toEqual(['vs4 served by both node3 and node4 for over 1 s (from 30500 ms)']);
  });

  it('reports each overlapping pair once, the master first, then the nodes in member order', () => {
    const three = { node2: member(30 * S, { vs5: 10 * S }), node3: member(30 * S, { vs5: 12 * S }), node4: { ...member(30 * S, { vs5: 10 * S }), state: 'failed' as const } };
    expect(check(30 * S, { vs5: 11 * S }, three)).toEqual([
      'vs5 served by both node1 and node2 for over 1 s (from 11000 ms)',
      'vs5 served by both node1 and node3 for over 1 s (from 12000 ms)',
      'vs5 served by both node2 and node3 for over 1 s (from 12000 ms)',
    ]);
  });
});
