// The cluster invariants, checked after every step on this node (what one node can see of them):
//  - one owner per virtual IP: each served address is up on exactly the port the file service records;
//  - no-migrate respected: no no-migrate data vserver is served away from its home;
//  - priority order: the last failover's order never puts a lower priority before a higher one;
//  - one owner per vserver (so per aggregate, migration moving one aggregate with its vserver): on the
//    master, no two live nodes serve the same data vserver (its own view and the heartbeats).
// Two nodes serving one address at the same virtual time is a lab-wide check (the simulation checkers).
import type { ActorContext } from '../../engine/actor.ts';
import type { FilerState } from '../../hardware/filer/subsystem.ts';
import { ownerPortOf } from '../../hardware/net/ethernet.ts';
import type { FileServiceState } from '../fileservice/state.ts';
import { BEAT_US } from './membership.ts';
import { isDataVserver } from './node-failover.ts';
import type { ClusterState } from './types.ts';

const VIOLATIONS_MAX = 32;
/**
 * A filer taken over while it still runs (a forced takeover, a handover) serves until its next disk
 * write meets the new holder's reservation. The lab-wide check allows the same: under a second.
 */
const FENCING_WINDOW_US = BEAT_US;

function violation(cluster: ClusterState, ctx: ActorContext, detail: string): void {
  if (cluster.violations.length >= VIOLATIONS_MAX || cluster.violations.some((seen) => seen.detail === detail)) return;
  cluster.violations.push({ atUs: ctx.now, detail });
}

export function checkClusterInvariants(cluster: ClusterState, fs: FileServiceState, filer: FilerState, ctx: ActorContext): void {
  const self = filer.config.name;
  for (const served of fs.served) {
    const port = ownerPortOf(fs.ip, served.address);
    if (port !== served.port) violation(cluster, ctx, `${self}: ${served.address} is served on ${served.port} but up on ${port ?? 'no port'}`);
  }
  const addresses = fs.served.map((served) => served.address);
  if (new Set(addresses).size !== addresses.length) violation(cluster, ctx, `${self}: one address served twice`);
  for (const vserver of filer.config.labVservers) {
    if (vserver.home === self || vserver.migrate || !isDataVserver(vserver)) continue;
    // The step that found it away releases it before the check runs: seeing it here is a bug.
    if (fs.served.some((served) => served.vserver === vserver.name)) violation(cluster, ctx, `${self} serves no-migrate ${vserver.name} away from ${vserver.home}`);
  }
  const servingSince: Record<string, number> = {};
  for (const served of fs.served) servingSince[served.vserver] = cluster.servingSince?.[served.vserver] ?? ctx.now;
  cluster.servingSince = servingSince;
  if (cluster.master === self) checkOneOwnerPerVserver(cluster, ctx, self, servingSince);
  const order = cluster.lastFailover?.order.split('>').filter((name) => name !== '') ?? [];
  const priorities = order.map((name) => filer.config.labVservers.find((vserver) => vserver.name === name)?.priority ?? 0);
  if (priorities.some((priority, index) => index > 0 && priority < priorities[index - 1])) violation(cluster, ctx, `failover order ${order.join('>')} breaks priority order`);
}

/**
 * On the master: no two nodes known to serve one data vserver at the same moment. A heartbeat is a
 * sample, so each node's claim is a stretch — from the first heartbeat of its unbroken run of claims to
 * the last one heard (the master's own: from when it began, to now). Stretches that overlap are two
 * owners for longer than a fenced filer takes to stop; a stale claim from before a move does not
 * overlap the new holder's at all.
 */
export function checkOneOwnerPerVserver(cluster: ClusterState, ctx: ActorContext, self: string, servingSince: Readonly<Record<string, number>>): void {
  const stretches: Record<string, { node: string; fromUs: number; toUs: number }[]> = {};
  for (const [vserver, since] of Object.entries(servingSince)) stretches[vserver] = [{ node: self, fromUs: since, toUs: ctx.now }];
  for (const [node, member] of Object.entries(cluster.members)) {
    if (member.state !== 'up') continue;
    for (const vserver of Object.keys(member.storage)) {
      const stretch = { node, fromUs: member.claimedSince?.[vserver] ?? member.lastHeardUs, toUs: member.lastHeardUs };
      for (const other of stretches[vserver] ?? []) {
        const fromUs = Math.max(other.fromUs, stretch.fromUs);
        if (Math.min(other.toUs, stretch.toUs) - fromUs > FENCING_WINDOW_US) {
          violation(cluster, ctx, `${vserver} served by both ${other.node} and ${node} for over ${FENCING_WINDOW_US / 1e6} s (from ${fromUs / 1000} ms)`);
        }
      }
      (stretches[vserver] ??= []).push(stretch);
    }
  }
}
