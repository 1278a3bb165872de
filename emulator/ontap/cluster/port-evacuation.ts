// Port failure with no good port left (seed 004 claims 10, 24, 29, 34, second branch): a port's
// addresses are `stranded` (port-failover.ts) when no port of this node can carry them, so the vservers
// attached to them move to another node with their addresses: each data vserver with an address on a
// stranded port migrates (migration.ts: addresses down, a CP of its aggregate, its disks released, the
// destination reserves, mounts and serves) to a live node that reaches its shelf, highest priority
// first, spread over the candidates. With no Ethernet port left the messages go to the cluster through
// the HA partner, over the interconnect (migration.ts relays them). What cannot move stays stranded and
// says why (an EMS line and `filers.<n>.portFailover.stranded`): a no-migrate vserver, volumes not on
// one aggregate, storage that no other live node reaches, or no way left to reach the cluster.
import type { ActorContext } from '../../engine/actor.ts';
import type { VserverConfig } from '../../hardware/filer/chassis.ts';
import type { FilerState } from '../../hardware/filer/subsystem.ts';
import { logEms } from '../ems.ts';
import type { FileServiceState, ServedAddress } from '../fileservice/state.ts';
import { aggregateOfVolumes, shelvesOfAggregate } from '../storage/vserver-move.ts';
import { canReachCluster, sendMove, storageStateOf } from './migration.ts';
import { byPriority, isDataVserver } from './node-failover.ts';
import type { ClusterState } from './types.ts';

const NONE_STRANDED: readonly VserverConfig[] = [];

/** An address on a stranded port that no other subnet routes. */
function onStrandedPort(cluster: ClusterState, served: ServedAddress): boolean {
  return cluster.ports[served.port]?.state === 'stranded' && served.routedVia === undefined;
}

function anyOnStrandedPort(cluster: ClusterState, served: readonly ServedAddress[]): boolean {
  for (const entry of served) if (onStrandedPort(cluster, entry)) return true;
  return false;
}

/** Data vservers served here with an address on a stranded port, not already leaving, highest priority first. */
function strandedVservers(cluster: ClusterState, fs: FileServiceState, filer: FilerState): readonly VserverConfig[] {
  // Nearly always none: no arrays made after every event for that.
  if (!anyOnStrandedPort(cluster, fs.served)) return NONE_STRANDED;
  const stranded = new Set(fs.served.filter((served) => onStrandedPort(cluster, served)).map((served) => served.vserver));
  const open = cluster.lastPortFailover?.endedUs === undefined ? cluster.lastPortFailover : undefined;
  const settled = open?.stranded ?? {};
  return filer.config.labVservers.filter((vserver) => stranded.has(vserver.name) && isDataVserver(vserver)
    && cluster.outgoing[vserver.name] === undefined && settled[vserver.name] === undefined).sort(byPriority);
}

/** Why a stranded vserver cannot leave, or the live nodes that could take it. */
function candidatesFor(cluster: ClusterState, fs: FileServiceState, filer: FilerState, ctx: ActorContext, vserver: VserverConfig): string[] | string {
  if (!vserver.migrate) return 'no-migrate';
  const storage = storageStateOf(filer);
  const served = fs.served.find((entry) => entry.vserver === vserver.name);
  const aggregate = storage && served ? aggregateOfVolumes(storage, served.storagePrefix, vserver.volumes) : null;
  if (!storage || aggregate === null) return 'its volumes are not on one online aggregate';
  if (!canReachCluster(cluster, filer, ctx)) return 'no way left to the cluster (no Ethernet port, no HA partner on the interconnect)';
  const shelves = shelvesOfAggregate(storage, aggregate);
  // Not the HA partner of its home (its giveback would take the vserver back without its storage, balance.ts).
  const targets = Object.entries(cluster.members).filter(([, member]) => member.state === 'up' && member.partner !== vserver.home
    && member.serving.length > 0 && shelves.every((shelf) => member.reach.includes(shelf))).map(([node]) => node).sort();
  return targets.length > 0 ? targets : `no other live node reaches ${shelves.join(', ')}`;
}

/** After every event: send each stranded vserver to another node, or record why it stays. */
export function evacuateStrandedVservers(cluster: ClusterState, fs: FileServiceState, filer: FilerState, ctx: ActorContext): void {
  const storage = storageStateOf(filer);
  if (fs.status !== 'serving' || !storage || storage.status !== 'online') return;
  const vservers = strandedVservers(cluster, fs, filer);
  if (vservers.length === 0) return;
  if (!cluster.lastPortFailover || cluster.lastPortFailover.endedUs !== undefined) cluster.lastPortFailover = { atUs: ctx.now, order: '', destinations: {}, stranded: {} };
  const record = cluster.lastPortFailover;
  // Spread: the node that has the fewest data vservers, counting those this pass gave it.
  const counts: Record<string, number> = Object.fromEntries(Object.entries(cluster.members).map(([node, member]) => [node, Object.keys(member.storage ?? {}).length]));
  const moved: string[] = [];
  for (const vserver of vservers) {
    const candidates = candidatesFor(cluster, fs, filer, ctx, vserver);
    if (typeof candidates === 'string') {
      record.stranded[vserver.name] = candidates;
      logEms(filer, ctx, 'vsrv.port.stranded', 'error', `${vserver.name} stays on ${filer.config.name} with its addresses down: ${candidates}.`);
      continue;
    }
    const to = [...candidates].sort((a, b) => (counts[a] ?? 0) - (counts[b] ?? 0) || (a < b ? -1 : 1))[0];
    counts[to] = (counts[to] ?? 0) + 1;
    record.destinations[vserver.name] = to;
    record.order = record.order === '' ? vserver.name : `${record.order}>${vserver.name}`;
    moved.push(`${vserver.name} -> ${to}`);
    sendMove(cluster, fs, filer, ctx, { kind: 'migrate', vserver: vserver.name, from: filer.config.name, to, trigger: 'port' });
  }
  if (moved.length > 0) {
    logEms(filer, ctx, 'vsrv.port.failover', 'notice', `no healthy port on ${filer.config.name}; moving ${moved.join(', ')} with their addresses.`);
  }
}

/** A port is up again: the record is closed; a later stranding starts a new one. */
export function portFailoverEnded(cluster: ClusterState, now: number): void {
  if (cluster.lastPortFailover && cluster.lastPortFailover.endedUs === undefined) cluster.lastPortFailover.endedUs = now;
}
