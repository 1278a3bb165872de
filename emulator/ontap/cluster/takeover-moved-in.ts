// A takeover of a node that holds a vserver moved in from a third node (seed 004 claims 5, 25): the
// taker mounts the partner's own storage as HA does, and each moved-in aggregate as a vserver move with
// the partner's log entries for it (the storage-failover hand-over, storage/vserver-move.ts): it
// preempts the partner's reservation, writes its own name in the disks' ownership record, mounts,
// replays those entries from its copy of the partner's NVRAM and serves the vserver. The aggregate is then
// the taker's: a giveback hands back only the partner's own storage, and the partner, booting, finds the
// ownership record naming the taker and does not mount it again (storage/boot.ts).
// What moved in is known from the partner's last heartbeat (`storage`: owner, aggregate, disks).
import type { ActorContext } from '../../engine/actor.ts';
import { subsystemState, type FilerState } from '../../hardware/filer/subsystem.ts';
import { logEms } from '../ems.ts';
import type { FileServiceState } from '../fileservice/state.ts';
import { logEntries } from '../storage/nvram-log.ts';
import { storageEnvDuringEvent } from '../storage/storage-subsystem.ts';
import { beginMoveIn } from '../storage/vserver-move.ts';
import { CLUSTER_SUBSYSTEM } from './cluster-subsystem.ts';
import { storageStateOf } from './migration.ts';
import type { ClusterState, VserverStorage } from './types.ts';

interface MovedIn { vserver: string; owner: string; aggregate: string; disks: readonly string[] }

/** The vservers the HA partner said it held for a third node, with their aggregates and disks. */
function movedInToPartner(cluster: ClusterState, partner: string): MovedIn[] {
  const storage: Record<string, VserverStorage> = cluster.members[partner]?.storage ?? {};
  return Object.entries(storage).sort(([a], [b]) => (a < b ? -1 : 1)).flatMap(([vserver, held]) =>
    held.owner !== partner && held.aggregate !== undefined && held.disks !== undefined && held.disks.length > 0
      ? [{ vserver, owner: held.owner, aggregate: held.aggregate, disks: held.disks }] : []);
}

/** HA's takeover asks: the partner's disks to leave out of its own mount (they are mounted as moves). */
export function partnerMovedInDisks(filer: FilerState): string[] {
  const cluster = subsystemState<ClusterState>(filer, CLUSTER_SUBSYSTEM);
  const partner = filer.config.partner;
  if (!cluster?.active || !partner) return [];
  return movedInToPartner(cluster, partner).flatMap((held) => held.disks);
}

/** After every event on a node whose takeover of its partner is online: mount and serve what had moved in there. */
export function takeOverMovedIn(cluster: ClusterState, fs: FileServiceState, filer: FilerState, ctx: ActorContext): void {
  const storage = storageStateOf(filer);
  const partner = filer.config.partner;
  const takeover = storage?.partner;
  if (!storage || !partner || !takeover || takeover.name !== partner || takeover.status !== 'online') {
    if (cluster.takenOverMovedIn) delete cluster.takenOverMovedIn;
    return;
  }
  const env = storageEnvDuringEvent(filer, ctx);
  if (!env || fs.status !== 'serving' || storage.status !== 'online') return;
  const tried = cluster.takenOverMovedIn ??= [];
  for (const held of movedInToPartner(cluster, partner)) {
    if (tried.includes(held.vserver) || fs.served.some((served) => served.vserver === held.vserver)) continue;
    // Served by a live node already (the master moved it on): nothing to take.
    if (Object.values(cluster.members).some((member) => member.state === 'up' && member.serving.includes(held.vserver))) continue;
    tried.push(held.vserver);
    const prefix = `${held.owner}:`;
    // The partner's log names the aggregate as it held it (`node1:aggr3`); the hand-over carries the owner's names.
    const entries = logEntries(filer.chassis.nvram.partner).filter((entry) => entry.aggregate === prefix + held.aggregate)
      .map((entry) => ({ ...entry, aggregate: held.aggregate, op: { ...entry.op, volume: entry.op.volume.slice(prefix.length) } }));
    const refusal = beginMoveIn(storage, env, held.vserver, held.owner, held.aggregate, held.disks,
      { failover: { victim: takeover.systemId, entries, sinceCp: false, how: `taken over with ${partner}` } });
    if (refusal !== null) { logEms(filer, ctx, 'vsrv.takeover.movedIn.failed', 'error', `${held.vserver} (${prefix}${held.aggregate}, moved in to ${partner}): ${refusal}.`); continue; }
    cluster.incoming[held.vserver] = { from: partner, trigger: 'takeover' };
    logEms(filer, ctx, 'vsrv.takeover.movedIn', 'notice', `${held.vserver}: aggregate ${prefix}${held.aggregate} had moved in to ${partner}; mounting it with ${entries.length} of ${partner}'s log entries.`);
  }
}
