// Node failure (seed 004 claims 5–7, 25–27). The node that holds a failed node's storage serves its
// vservers: in cluster-4 that is its HA partner, whose takeover mounts the storage and replays the
// failed node's NVRAM log (no other node has the log), taking them in priority order. The cluster adds:
//  - the master records the failure: the failed node's vservers by priority (1 first) and where each
//    one comes up (`cluster.lastFailover`);
//  - a no-migrate vserver (claims 7, 27) is not served away from its home: a node that finds one among
//    what it took over takes it down again, and it stays down until its home node serves it again;
//  - each node counts the vservers that arrive on it from elsewhere (`vservers.<v>.migrations`).
// Once they all run again the master spreads them over the nodes that reach their storage (balance.ts,
// migration.ts): the partner keeps the first, the next goes to another node (claim 19).
import type { ActorContext } from '../../engine/actor.ts';
import type { VserverConfig } from '../../hardware/filer/chassis.ts';
import type { FilerState } from '../../hardware/filer/subsystem.ts';
import { logEms } from '../ems.ts';
import type { FileServiceState, ServedAddress } from '../fileservice/state.ts';
import { releaseVserver } from '../fileservice/vserver-service.ts';
import type { ClusterState } from './types.ts';

/** A data vserver (not a filer's own identity, which moves with its HA takeover as seed 000 says). */
export function isDataVserver(vserver: VserverConfig): boolean {
  return vserver.name !== vserver.home;
}

/** Whether any served address belongs to the vserver. A plain loop: the cluster asks after every event. */
export function servesVserver(served: readonly ServedAddress[], vserver: string): boolean {
  for (const entry of served) if (entry.vserver === vserver) return true;
  return false;
}

/** Whether `served[index]` is its vserver's first entry (a vserver serves several addresses). */
export function firstOfItsVserver(served: readonly ServedAddress[], index: number): boolean {
  for (let earlier = 0; earlier < index; earlier++) if (served[earlier].vserver === served[index].vserver) return false;
  return true;
}

/** Highest priority first (1 before 2), then by name. */
export function byPriority(a: VserverConfig, b: VserverConfig): number {
  return a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/** The master records a node failure: which vservers move, in which order, and which stay down. */
export function recordFailover(cluster: ClusterState, filer: FilerState, ctx: ActorContext, node: string): void {
  const homed = filer.config.labVservers.filter((vserver) => vserver.home === node && isDataVserver(vserver)).sort(byPriority);
  const moving = homed.filter((vserver) => vserver.migrate);
  const keptDown = homed.filter((vserver) => !vserver.migrate).map((vserver) => vserver.name);
  cluster.lastFailover = { node, atUs: ctx.now, order: moving.map((vserver) => vserver.name).join('>'), destinations: {}, keptDown };
  const list = moving.map((vserver) => `${vserver.name} (priority ${vserver.priority})`).join(', ');
  logEms(filer, ctx, 'vsrv.failover', 'notice', `${node} failed; migrating ${list || 'no vserver'}${keptDown.length > 0 ? `; ${keptDown.join(', ')} no-migrate: kept down` : ''}.`);
}

/** A no-migrate data vserver this node serves away from its home (taken over with its node): take it down. */
export function keepNoMigrateDown(fs: FileServiceState, filer: FilerState, ctx: ActorContext): void {
  const self = filer.config.name;
  for (const vserver of filer.config.labVservers) {
    if (vserver.home === self || vserver.migrate || !isDataVserver(vserver)) continue;
    if (!servesVserver(fs.served, vserver.name)) continue;
    releaseVserver(fs, filer, ctx, vserver.name);
    logEms(filer, ctx, 'vsrv.noMigrate', 'notice', `${vserver.name} is no-migrate: kept down until ${vserver.home} serves it again.`);
  }
}

/** Counts each vserver that came to serve here from elsewhere, once per arrival. */
export function countArrivals(cluster: ClusterState, fs: FileServiceState, filer: FilerState): void {
  // Nothing arrived or left (nearly every step): the list stands, and no arrays are made for it.
  if (sameServedAway(cluster.servingAway, fs.served, filer)) return;
  const away = [...new Set(fs.served.map((served) => served.vserver))].filter((name) => servedAway(filer, name)).sort();
  for (const name of away) if (!cluster.servingAway.includes(name)) cluster.migrations[name] = (cluster.migrations[name] ?? 0) + 1;
  cluster.servingAway = away;
}

/** A data vserver of the lab, homed on another node. */
function servedAway(filer: FilerState, name: string): boolean {
  const vserver = filer.config.labVservers.find((candidate) => candidate.name === name);
  return vserver !== undefined && vserver.home !== filer.config.name && isDataVserver(vserver);
}

/**
 * Whether the vservers served here away from home are exactly `servingAway` (a sorted list without
 * repeats): every one of them in it, and as many. Plain loops: runs after every event.
 */
function sameServedAway(servingAway: readonly string[], served: readonly ServedAddress[], filer: FilerState): boolean {
  let count = 0;
  for (let index = 0; index < served.length; index++) {
    const name = served[index].vserver;
    if (!firstOfItsVserver(served, index) || !servedAway(filer, name)) continue;
    if (!servingAway.includes(name)) return false;
    count++;
  }
  return count === servingAway.length;
}
