// Storage failover (seed 004 claim 14, N25): a node that loses every path to a shared shelf — its own FC
// ports to it are down — while other nodes still reach it hands the vservers whose aggregates are there
// to those nodes, and stays up serving the rest. The precedence rule of N25: this applies only when every
// aggregate it lost is a data aggregate whose vservers can all migrate and have a destination; otherwise
// (the root aggregate, a no-migrate vserver, no node reaching the shelf, or a fault not in this node's own
// ports, such as a shelf without power) HA's whole-node negotiated takeover stays in charge (monitor.ts).
// It waits until every live node has sent a heartbeat since the loss, so that what they reach is known
// after it (a shelf without power is lost to all of them at once: no storage failover, HA's rules apply).
// No CP of a lost aggregate can be written, so the handover carries this node's log entries for it; the
// destination preempts this node's reservation, mounts it and replays them (storage/vserver-move.ts).
import type { ActorContext } from '../../engine/actor.ts';
import type { VserverConfig } from '../../hardware/filer/chassis.ts';
import { subsystemState, type FilerState } from '../../hardware/filer/subsystem.ts';
import { logEms } from '../ems.ts';
import { FILESERVICE_SUBSYSTEM } from '../fileservice/fileservice-subsystem.ts';
import type { FileServiceState } from '../fileservice/state.ts';
import { releaseVserver } from '../fileservice/vserver-service.ts';
import { storageEnvDuringEvent } from '../storage/storage-subsystem.ts';
import { aggregateOfVolumes, dropUnreachableAggregate, shelvesOfAggregate } from '../storage/vserver-move.ts';
import { CLUSTER_SUBSYSTEM } from './cluster-subsystem.ts';
import { sendMove, storageStateOf } from './migration.ts';
import { byPriority, isDataVserver } from './node-failover.ts';
import type { ClusterState } from './types.ts';

interface Evacuation { aggregate: string; vserver: VserverConfig; targets: string[] }

/**
 * What a storage failover would move now: one entry per lost aggregate; 'wait' until every live node
 * has sent a heartbeat since the loss (what it reaches then: a shelf without power is lost to all of
 * them alike); or null when HA must act.
 */
function evacuations(cluster: ClusterState, fs: FileServiceState, filer: FilerState): Evacuation[] | 'wait' | null {
  const storage = storageStateOf(filer);
  if (!cluster.active || !cluster.running || !storage || storage.status !== 'online' || storage.diskAccess.state !== 'lost') return null;
  const plans: Evacuation[] = [];
  for (const aggregate of [...storage.diskAccess.aggregates].sort()) {
    const held = storage.aggregates[aggregate];
    const shelves = held ? shelvesOfAggregate(storage, aggregate) : [];
    if (!held || held.root || shelves.length === 0 || !ownPathsDown(filer, shelves)) return null;
    const vservers = filer.config.labVservers.filter((vserver) => {
      const served = fs.served.find((entry) => entry.vserver === vserver.name);
      return served !== undefined && aggregateOfVolumes(storage, served.storagePrefix, vserver.volumes) === aggregate;
    }).sort(byPriority);
    // Volumes not all on it (aggregateOfVolumes is null for them) or a vserver that must not move: HA's call.
    const touching = fs.served.some((entry) => entry.volumes.some((volume) => storage.volumes[entry.storagePrefix + volume]?.aggregate === aggregate)
      && !vservers.some((vserver) => vserver.name === entry.vserver));
    // One vserver per aggregate, as a migration moves one: the handover names it.
    if (vservers.length !== 1 || touching || vservers.some((vserver) => !vserver.migrate || !isDataVserver(vserver))) return null;
    const candidates = Object.entries(cluster.members).filter(([, member]) => member.state === 'up' && vservers.every((vserver) => member.partner !== vserver.home));
    if (candidates.some(([, member]) => member.lastHeardUs <= storage.diskAccess.sinceUs)) return 'wait';
    // A node that serves nothing yet (booting, waiting for giveback) has no storage online to mount into.
    const targets = candidates.filter(([, member]) => member.serving.length > 0 && shelves.every((shelf) => member.reach.includes(shelf))).map(([node]) => node).sort();
    if (targets.length === 0) return null;
    plans.push({ aggregate, vserver: vservers[0], targets });
  }
  return plans.length > 0 ? plans : null;
}

/** Every FC port of this node that leads to these shelves has lost its link: the fault is this node's own. */
function ownPathsDown(filer: FilerState, shelves: readonly string[]): boolean {
  const ports = filer.config.fcPorts.filter((fc) => fc.shelves.some((shelf) => shelves.includes(shelf.actor)));
  return ports.length > 0 && ports.every((fc) => { const port = filer.chassis.ports[fc.port]; return !port || !port.link || port.faulted; });
}

/** HA's monitor asks: is this loss of disk access the cluster's to handle (no whole-node takeover)? */
export function storageFailoverCovers(filer: FilerState): boolean {
  const cluster = subsystemState<ClusterState>(filer, CLUSTER_SUBSYSTEM);
  const fs = subsystemState<FileServiceState>(filer, FILESERVICE_SUBSYSTEM);
  return !!cluster && !!fs && evacuations(cluster, fs, filer) !== null;
}

/** After every event: hand each lost aggregate's vservers to nodes that reach it, by priority, spread. */
export function failStorageOver(cluster: ClusterState, fs: FileServiceState, filer: FilerState, ctx: ActorContext): void {
  const plans = evacuations(cluster, fs, filer);
  // Nearly always nothing to do: the storage env (a lookup and an object) only then.
  if (!plans || plans === 'wait') return;
  const storage = storageStateOf(filer);
  const env = storageEnvDuringEvent(filer, ctx);
  if (!storage || !env || storage.cp.running) return;
  const counts: Record<string, number> = Object.fromEntries(Object.entries(cluster.members).map(([node, member]) => [node, Object.keys(member.storage ?? {}).length]));
  const order = plans.map((plan) => plan.vserver).sort(byPriority);
  const destinations: Record<string, string> = {};
  for (const vserver of order) {
    const plan = plans.find((candidate) => candidate.vserver === vserver) as Evacuation;
    // Spread (claim 18): the node that has the fewest vservers, counting those this pass gave it.
    const to = [...plan.targets].sort((a, b) => (counts[a] ?? 0) - (counts[b] ?? 0) || (a < b ? -1 : 1))[0];
    counts[to] = (counts[to] ?? 0) + 1;
    releaseVserver(fs, filer, ctx, vserver.name);
    const handed = dropUnreachableAggregate(storage, env, vserver.name, plan.aggregate);
    if (typeof handed === 'string') { logEms(filer, ctx, 'vsrv.storage.failover.failed', 'error', `${plan.aggregate}: ${handed}.`); continue; }
    destinations[vserver.name] = to;
    sendMove(cluster, fs, filer, ctx, { kind: 'handover', vserver: vserver.name, from: filer.config.name, to, trigger: 'storage', owner: handed.owner, diskName: handed.diskName, disks: handed.disks, log: handed.log });
  }
  cluster.lastStorageFailover = { atUs: ctx.now, aggregates: plans.map((plan) => plan.aggregate), order: order.map((vserver) => vserver.name).join('>'), destinations };
  logEms(filer, ctx, 'vsrv.storage.failover', 'notice', `no path to ${plans.map((plan) => plan.aggregate).join(', ')}: ${order.map((vserver) => `${vserver.name} -> ${destinations[vserver.name]}`).join(', ')}; ${filer.config.name} stays up.`);
}
