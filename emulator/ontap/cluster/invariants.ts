// The cluster invariants, checked after every step on this node (what one node can see of them):
//  - one owner per virtual IP: each served address is up on exactly the port the file service records;
//  - no-migrate respected: no no-migrate data vserver is served away from its home;
//  - priority order: the last failover's order never puts a lower priority before a higher one;
//  - one owner per vserver (so per aggregate, migration moving one aggregate with its vserver): on the
//    master, no two live nodes serve the same data vserver (its own view and the heartbeats).
// Two nodes serving one address at the same virtual time is a lab-wide check (the simulation checkers).
import type { ActorContext, Micros } from '../../engine/actor.ts';
import type { VserverConfig } from '../../hardware/filer/chassis.ts';
import type { FilerState } from '../../hardware/filer/subsystem.ts';
import { ownerPortOf } from '../../hardware/net/ethernet.ts';
import type { FileServiceState, ServedAddress } from '../fileservice/state.ts';
import { BEAT_US } from './membership.ts';
import { firstOfItsVserver, isDataVserver, servesVserver } from './node-failover.ts';
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
  if (addressServedTwice(fs.served)) violation(cluster, ctx, `${self}: one address served twice`);
  for (const vserver of filer.config.labVservers) {
    if (vserver.home === self || vserver.migrate || !isDataVserver(vserver)) continue;
    // The step that found it away releases it before the check runs: seeing it here is a bug.
    if (servesVserver(fs.served, vserver.name)) violation(cluster, ctx, `${self} serves no-migrate ${vserver.name} away from ${vserver.home}`);
  }
  // Kept as it is while the same vservers are served (nearly every step): a new object per event was
  // most of this check's cost.
  if (!cluster.servingSince || !sinceMatchesServed(cluster.servingSince, fs.served)) {
    const servingSince: Record<string, number> = {};
    for (const served of fs.served) servingSince[served.vserver] = cluster.servingSince?.[served.vserver] ?? ctx.now;
    cluster.servingSince = servingSince;
  }
  if (cluster.master === self) checkOneOwnerPerVserver(cluster, ctx, self, cluster.servingSince);
  const order = cluster.lastFailover?.order;
  if (order && orderBreaksPriority(filer.config.labVservers, order)) violation(cluster, ctx, `failover order ${failoverOrder(order).join('>')} breaks priority order`);
}

/** Whether two served entries hold one address. Plain loops over a handful of entries: runs per event. */
function addressServedTwice(served: readonly ServedAddress[]): boolean {
  for (let index = 1; index < served.length; index++) {
    for (let earlier = 0; earlier < index; earlier++) if (served[earlier].address === served[index].address) return true;
  }
  return false;
}

/**
 * Whether `since` has exactly the served vservers as its keys, in the order they are first served: then
 * rebuilding it would give the very same object (every value is kept).
 */
function sinceMatchesServed(since: Readonly<Record<string, Micros>>, served: readonly ServedAddress[]): boolean {
  let index = 0;
  for (const vserver in since) {
    while (index < served.length && !firstOfItsVserver(served, index)) index++;
    if (index === served.length || served[index].vserver !== vserver) return false;
    index++;
  }
  for (; index < served.length; index++) if (firstOfItsVserver(served, index)) return false;
  return true;
}

function failoverOrder(order: string): string[] {
  return order.split('>').filter((name) => name !== '');
}

// Whether a failover order puts a lower priority before a higher one, by the lab's vservers (a filer's
// fixed config) and the order text: a pure function of the two, asked after every event.
const priorityBreaks = new WeakMap<readonly VserverConfig[], Map<string, boolean>>();

function orderBreaksPriority(labVservers: readonly VserverConfig[], order: string): boolean {
  let known = priorityBreaks.get(labVservers);
  if (!known) priorityBreaks.set(labVservers, known = new Map());
  let breaks = known.get(order);
  if (breaks === undefined) {
    const priorities = failoverOrder(order).map((name) => labVservers.find((vserver) => vserver.name === name)?.priority ?? 0);
    breaks = priorities.some((priority, index) => index > 0 && priority < priorities[index - 1]);
    known.set(order, breaks);
  }
  return breaks;
}

/**
 * On the master: no two nodes known to serve one data vserver at the same moment. A heartbeat is a
 * sample, so each node's claim is a stretch — from the first heartbeat of its unbroken run of claims to
 * the last one heard (the master's own: from when it began, to now). Stretches that overlap are two
 * owners for longer than a fenced filer takes to stop; a stale claim from before a move does not
 * overlap the new holder's at all.
 */
export function checkOneOwnerPerVserver(cluster: ClusterState, ctx: ActorContext, self: string, servingSince: Readonly<Record<string, number>>): void {
  // Each up member's claims in member order, each compared with the master's own stretch and then with
  // the earlier members' claims to the same vserver: plain loops, no stretch objects (runs per event).
  const members = cluster.members;
  for (const node in members) {
    const member = members[node];
    if (member.state !== 'up') continue;
    for (const vserver in member.storage) {
      const fromUs = member.claimedSince?.[vserver] ?? member.lastHeardUs;
      const toUs = member.lastHeardUs;
      if (Object.hasOwn(servingSince, vserver)) overlapCheck(cluster, ctx, vserver, self, servingSince[vserver], ctx.now, node, fromUs, toUs);
      for (const earlier in members) {
        if (earlier === node) break;
        const other = members[earlier];
        if (other.state !== 'up' || !Object.hasOwn(other.storage, vserver)) continue;
        overlapCheck(cluster, ctx, vserver, earlier, other.claimedSince?.[vserver] ?? other.lastHeardUs, other.lastHeardUs, node, fromUs, toUs);
      }
    }
  }
}

/** Two stretches of one vserver's claims that overlap for longer than fencing allows: a violation. */
function overlapCheck(
  cluster: ClusterState, ctx: ActorContext, vserver: string,
  otherNode: string, otherFromUs: Micros, otherToUs: Micros, node: string, fromUs: Micros, toUs: Micros,
): void {
  const overlapFromUs = Math.max(otherFromUs, fromUs);
  if (Math.min(otherToUs, toUs) - overlapFromUs > FENCING_WINDOW_US) {
    violation(cluster, ctx, `${vserver} served by both ${otherNode} and ${node} for over ${FENCING_WINDOW_US / 1e6} s (from ${overlapFromUs / 1000} ms)`);
  }
}
