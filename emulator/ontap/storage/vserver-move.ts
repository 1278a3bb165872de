// Moving one vserver's aggregate between nodes that both reach its shelf (seed 004 claims 5, 12, 14, 18,
// 19, 25): the storage half of a vserver migration. The mount pipeline (mount.ts) is keyed by owner; a
// moved aggregate gets a vserver-level owner, `vserver:<name>`, so that one aggregate can be mounted
// without its node's other storage and without a log replay:
//  - out (the node that holds it): the vserver's addresses are already down, so nothing new is logged
//    on it; a CP puts every acknowledged write of it on disk (its log entries are then trimmed), the
//    disks are released (pr-release) and the aggregate, its volumes and its disks are dropped from memory.
//  - in (the destination): register and reserve the disks, read their labels, assemble the aggregate
//    under its owner's namespace (`node1:aggr2`, as a takeover holds it, so its CPs keep the owner's
//    log sequence space), read its newest root and walk its tree. No replay: the source's CP holds all.
//  - storage failover (the node that holds it lost every path to its shelf, claim 14): no CP can be
//    written, so the source drops the aggregate from memory and hands over its log entries for it (in
//    the owner's names); the destination preempts the source's reservation, mounts the aggregate and
//    replays those entries. The source stays up with the rest of its storage.
//  - reclaim (a node that took an aggregate in and went down with it): its registry (`movedIn`) names
//    the aggregate, whose disks its key still holds. At its next boot it mounts it again as above and
//    replays its own log entries for it (every entry left in its NVRAM for that aggregate is newer than
//    its last CP of it), so the vserver runs again with every write it acknowledged.
// The cluster subsystem decides what moves where and serves the vserver once the mount is online.
import { logEms } from '../ems.ts';
import { assembleAggregate, DISK_USABLE_BLOCKS, inquiryBlocks } from './boot.ts';
import { startCp } from './cp.ts';
import { parseDiskId } from './disk-io.ts';
import { issue, openBatch, type StorageEnv } from './io.ts';
import type { MountOwner } from './mount.ts';
import { readAggregateRoot } from './mount.ts';
import { blockKey, LABEL_BLOCKS } from './raid-layout.ts';
import { replayEntries } from './mount.ts';
import { logEntries, replaceEntries } from './nvram-log.ts';
import type { CarriedLog, IoBatch, StorageState, VserverMove } from './types.ts';
import { decodeLabel, type RaidLabel } from './wafl-format.ts';

export const MOVE_OWNER_PREFIX = 'vserver:';

function movesOf(state: StorageState): Record<string, VserverMove> {
  return (state.moves ??= {});
}

/** The mount owner of a moved aggregate, when `owner` names one under way. */
export function movedMountOwner(state: StorageState, owner: string): MountOwner | null {
  if (!owner.startsWith(MOVE_OWNER_PREFIX)) return null;
  const move = state.moves?.[owner.slice(MOVE_OWNER_PREFIX.length)];
  return move && move.direction === 'in' ? { owner, prefix: move.prefix, half: 'local' } : null;
}

export function movedMountInProgress(state: StorageState, owner: string): boolean {
  const move = state.moves?.[owner.slice(MOVE_OWNER_PREFIX.length)];
  return owner.startsWith(MOVE_OWNER_PREFIX) && move?.direction === 'in' && move.status === 'mounting';
}

/** The aggregate (as this node keys it) holding every volume of a vserver served with `prefix`, or why not. */
export function aggregateOfVolumes(state: StorageState, prefix: string, volumes: readonly string[]): string | null {
  const names = [...new Set(volumes.map((volume) => state.volumes[prefix + volume]?.aggregate ?? ''))];
  return names.length === 1 && names[0] !== '' && state.aggregates[names[0]]?.status === 'online' ? names[0] : null;
}

/** Where an aggregate's disks are: their shelves. */
export function shelvesOfAggregate(state: StorageState, aggregate: string): string[] {
  return [...new Set(Object.values(state.disks).filter((disk) => disk.aggregate === aggregate).map((disk) => disk.address.shelf))].sort();
}

/** Out: start handing a vserver's aggregate over (a CP first). Returns why not, or null. */
export function beginMoveOut(state: StorageState, env: StorageEnv, vserver: string, aggregate: string): string | null {
  if (state.status !== 'online') return 'storage is not online';
  const held = state.aggregates[aggregate];
  if (!held || held.status !== 'online') return `aggregate ${aggregate} is not online here`;
  if (held.root) return `aggregate ${aggregate} is a root aggregate`;
  if (movesOf(state)[vserver]) return `${vserver} is already moving`;
  const owner = held.partnerOf ?? env.filer.config.name;
  const diskName = held.partnerOf === undefined ? aggregate : aggregate.slice(held.partnerOf.length + 1);
  const disks = Object.values(state.disks).filter((disk) => disk.aggregate === aggregate).map((disk) => disk.id).sort();
  movesOf(state)[vserver] = {
    vserver, direction: 'out', aggregate, owner, diskName, disks, prefix: held.partnerOf === undefined ? '' : `${owner}:`,
    status: 'cp', releaseAfterCp: state.cp.count + (state.cp.running ? 2 : 1), startedUs: env.ctx.now, error: null,
  };
  startCp(state, env, 'vserver-move');
  return null;
}

/** After every storage event: an outgoing move whose CP is on disk releases its disks and forgets them. */
export function stepVserverMoves(state: StorageState, env: StorageEnv): void {
  // for-in, not Object.values: this runs after every event of the filer, nearly always with no move.
  const moves = state.moves;
  if (moves === undefined) return;
  for (const vserver in moves) {
    const move = moves[vserver];
    if (move.direction !== 'out' || move.status !== 'cp' || state.cp.count < move.releaseAfterCp) continue;
    if (state.diskAccess.state === 'lost') { move.status = 'failed'; move.error = 'disk access lost: the CP is not on disk'; continue; }
    const batch = openBatch(state, { kind: 'move-release', vserver: move.vserver });
    for (const disk of move.disks) issue(state, env, batch, disk, { op: 'pr-release', key: env.filer.config.systemId });
    delete state.aggregates[move.aggregate];
    for (const [name, volume] of Object.entries(state.volumes)) if (volume.aggregate === move.aggregate) delete state.volumes[name];
    for (const disk of move.disks) delete state.disks[disk];
    if (state.movedIn) delete state.movedIn[move.vserver];
    if (state.partner) state.partner.disks = state.partner.disks.filter((disk) => !move.disks.includes(disk));
    move.status = 'releasing';
    if (batch.outstanding === 0) { delete state.io.batches[batch.id]; moveReleased(state, env, batch); }
  }
}

export function moveReleased(state: StorageState, env: StorageEnv, batch: IoBatch): void {
  if (batch.purpose.kind !== 'move-release') return;
  const move = state.moves?.[batch.purpose.vserver];
  if (!move || move.status !== 'releasing') return;
  move.status = 'released';
  logEms(env.filer, env.ctx, 'vsrv.move.released', 'notice', `${move.vserver}: aggregate ${move.aggregate} written (CP) and released (${move.disks.length} disks).`);
}

/** In: reserve a moved aggregate's disks and read their labels. Returns why not, or null. */
export function beginMoveIn(state: StorageState, env: StorageEnv, vserver: string, owner: string, diskName: string, disks: readonly string[],
  how: { reclaim?: boolean; preempt?: string; failover?: CarriedLog } = {}): string | null {
  if (state.status !== 'online') return 'storage is not online';
  const existing = movesOf(state)[vserver];
  if (existing && existing.status !== 'failed' && existing.status !== 'released' && existing.status !== 'online') return `${vserver} is already moving`;
  const prefix = owner === env.filer.config.name ? '' : `${owner}:`;
  if (state.aggregates[prefix + diskName]) return `aggregate ${prefix + diskName} is already here`;
  movesOf(state)[vserver] = {
    vserver, direction: 'in', aggregate: prefix + diskName, owner, diskName, disks: [...disks], prefix,
    status: 'reserving', releaseAfterCp: 0, startedUs: env.ctx.now, error: null, ...how,
  };
  const key = env.filer.config.systemId;
  const batch = openBatch(state, { kind: 'move-labels', vserver });
  // A hand-on after a failed mount elsewhere preempts that node's key as well as the source's.
  const victims = [...new Set([how.failover?.victim, how.preempt].filter((victim): victim is string => victim !== undefined && victim !== key))];
  for (const disk of disks) {
    issue(state, env, batch, disk, { op: 'pr-register', key });
    if (victims.length === 0) issue(state, env, batch, disk, { op: 'pr-reserve', key });
    for (const victim of victims) issue(state, env, batch, disk, { op: 'pr-preempt', key, victim });
    // The disks are this node's now, on the disks themselves: a reservation does not outlive a shelf's
    // power cycle, ownership does, and a node that boots reads it before it mounts (boot.ts).
    issue(state, env, batch, disk, { op: 'owner-write', owner: env.filer.config.name });
    issue(state, env, batch, disk, { op: 'read', lba: 0, blocks: LABEL_BLOCKS });
    issue(state, env, batch, disk, { op: 'inquiry' });
  }
  return null;
}

function failIn(state: StorageState, env: StorageEnv, move: VserverMove, why: string): void {
  move.status = 'failed';
  move.error = why;
  // A reclaim that fails (another node holds the disks now) gives the aggregate up for good.
  if (move.reclaim && state.movedIn) delete state.movedIn[move.vserver];
  logEms(env.filer, env.ctx, 'vsrv.move.failed', 'error', `${move.vserver}: aggregate ${move.aggregate} could not be mounted: ${why}.`);
}

export function moveLabelsRead(state: StorageState, env: StorageEnv, batch: IoBatch): void {
  if (batch.purpose.kind !== 'move-labels') return;
  const move = state.moves?.[batch.purpose.vserver];
  if (!move || move.direction !== 'in' || move.status !== 'reserving') return;
  if (batch.errors.some((error) => error.status === 'reservation-conflict')) { failIn(state, env, move, 'its disks are reserved by another node'); return; }
  const unreachable = new Set(batch.errors.map((error) => error.disk));
  const labels: Record<string, RaidLabel | null> = {};
  for (const disk of move.disks) {
    const block = batch.blocks[blockKey(disk, 0)];
    labels[disk] = block ? decodeLabel(block) : null;
    const address = parseDiskId(disk);
    if (!address || labels[disk]?.aggregate !== move.diskName) continue;
    state.disks[disk] = {
      id: disk, address, blocks: inquiryBlocks(batch.results[disk]?.data) ?? DISK_USABLE_BLOCKS, role: 'spare',
      aggregate: null, raidGroup: null, zeroed: false, zeroingPercent: null, failReason: null,
    };
  }
  if (!Object.values(labels).some((label) => label?.aggregate === move.diskName)) { failIn(state, env, move, 'no RAID label names it'); return; }
  const aggregate = assembleAggregate(state, move.diskName, labels, unreachable, false, move.prefix === '' ? undefined : move.owner);
  state.aggregates[aggregate.name] = aggregate;
  if (aggregate.status !== 'mounting') { failIn(state, env, move, 'too many of its disks are missing'); return; }
  move.status = 'mounting';
  readAggregateRoot(state, env, { owner: MOVE_OWNER_PREFIX + move.vserver, prefix: move.prefix, half: 'local' }, aggregate.name);
}

/** The moved aggregate's tree is in memory (mount.ts): it is online here. */
export function movedAggregateMounted(state: StorageState, env: StorageEnv, owner: string, name: string): void {
  const move = state.moves?.[owner.slice(MOVE_OWNER_PREFIX.length)];
  if (!move || move.direction !== 'in' || move.status !== 'mounting') return;
  if (state.aggregates[name]?.status !== 'online') { failIn(state, env, move, 'no valid root'); return; }
  move.status = 'online';
  const seconds = Math.max(1, Math.round((env.ctx.now - move.startedUs) / 1_000_000));
  if (move.prefix !== '') (state.movedIn ??= {})[move.vserver] = { owner: move.owner, diskName: move.diskName, disks: move.disks };
  if (move.reclaim) {
    const entries = logEntries(env.filer.chassis.nvram.local).filter((entry) => entry.aggregate === name);
    const replayed = replayEntries(state, entries, '', false);
    logEms(env.filer, env.ctx, 'vsrv.move.reclaimed', 'notice', `${move.vserver}: aggregate ${name}, held when this node went down, mounted again in ${seconds} seconds; ${replayed} log entries replayed.`);
    startCp(state, env, 'vserver-reclaim');
    return;
  }
  if (move.failover) {
    const replayed = replayEntries(state, move.failover.entries, move.prefix, move.failover.sinceCp);
    // The replayed entries are in memory now: the next CP of the aggregate holds them.
    const aggregate = state.aggregates[name];
    for (const entry of move.failover.entries) if (move.failover.sinceCp && entry.seq > aggregate.cpSeq) aggregate.cpSeq = entry.seq;
    logEms(env.filer, env.ctx, 'vsrv.move.mounted', 'notice', `${move.vserver}: aggregate ${name} ${move.failover.how ?? 'taken from a node without paths to it'} and mounted in ${seconds} seconds; ${replayed} of its log entries replayed.`);
    startCp(state, env, 'storage-failover');
    return;
  }
  logEms(env.filer, env.ctx, 'vsrv.move.mounted', 'notice', `${move.vserver}: aggregate ${name} reserved and mounted in ${seconds} seconds (no log to replay: the source wrote a CP).`);
}

/**
 * Storage failover out: this node lost every path to `aggregate`, so no CP of it can be written. Drops it
 * (its volumes, its disks) from memory and takes its log entries out of the local NVRAM, in the owner's
 * names, for the destination to replay. Returns what the handover carries, or why not.
 */
export function dropUnreachableAggregate(state: StorageState, env: StorageEnv, vserver: string, aggregate: string):
  { owner: string; diskName: string; disks: string[]; log: CarriedLog } | string {
  const held = state.aggregates[aggregate];
  if (!held || held.root) return `aggregate ${aggregate} is not a data aggregate here`;
  if (state.cp.running) return 'a consistency point is running';
  const owner = held.partnerOf ?? env.filer.config.name;
  const prefix = held.partnerOf === undefined ? '' : `${owner}:`;
  const disks = Object.values(state.disks).filter((disk) => disk.aggregate === aggregate).map((disk) => disk.id).sort();
  const local = env.filer.chassis.nvram.local;
  const mine = logEntries(local).filter((entry) => entry.aggregate === aggregate);
  replaceEntries(local, logEntries(local).filter((entry) => entry.aggregate !== aggregate));
  const entries = mine.map((entry) => ({ ...entry, aggregate: entry.aggregate.slice(prefix.length), op: { ...entry.op, volume: entry.op.volume.slice(prefix.length) } }));
  delete state.aggregates[aggregate];
  for (const [name, volume] of Object.entries(state.volumes)) if (volume.aggregate === aggregate) delete state.volumes[name];
  for (const disk of disks) delete state.disks[disk];
  if (state.partner) state.partner.disks = state.partner.disks.filter((disk) => !disks.includes(disk));
  if (state.movedIn) delete state.movedIn[vserver];
  state.diskAccess.aggregates = state.diskAccess.aggregates.filter((name) => name !== aggregate);
  if (state.diskAccess.state === 'lost' && state.diskAccess.aggregates.length === 0) {
    state.diskAccess = { state: 'ok', sinceUs: env.ctx.now, aggregates: [], reason: null, cpsFailed: 0 };
  }
  logEms(env.filer, env.ctx, 'vsrv.storage.failover', 'warning', `${vserver}: no path to aggregate ${aggregate}: handing it over with ${entries.length} log entries.`);
  return { owner, diskName: aggregate.slice(prefix.length), disks, log: { victim: env.filer.config.systemId, entries, sinceCp: prefix === '' } };
}

/** The disks of what this node had taken in (`movedIn`): read with its own at boot, to see who owns them now. */
export function movedInDisks(state: StorageState): string[] {
  return Object.values(state.movedIn ?? {}).flatMap((held) => held.disks);
}

/** The node another disk's ownership record names, if any of these disks answered with one. */
export function ownedElsewhere(batch: IoBatch, disks: readonly string[], self: string): string | null {
  for (const disk of disks) {
    const result = batch.results[disk];
    if (result?.status === 'good' && result.owner && result.owner !== self) return result.owner;
  }
  return null;
}

/** At boot: an aggregate taken in that another node owns now moved on while this node was down: not reclaimed. */
export function forgetMovedOn(state: StorageState, env: StorageEnv, batch: IoBatch): void {
  for (const [vserver, held] of Object.entries(state.movedIn ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const owner = ownedElsewhere(batch, held.disks, env.filer.config.name);
    if (owner === null || !state.movedIn) continue;
    delete state.movedIn[vserver];
    logEms(env.filer, env.ctx, 'vsrv.aggr.movedAway', 'notice', `Aggregate ${held.owner}:${held.diskName} (${vserver}) is owned by ${owner} now: not mounted again here.`);
  }
}

/** At boot, once this node's own storage is online: mount again what it had taken in (`movedIn`). */
export function reclaimMovedIn(state: StorageState, env: StorageEnv): void {
  for (const [vserver, held] of Object.entries(state.movedIn ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
    // The partner whose takeover this boot ended took these disks with this node's own: take them back too.
    const partner = state.reclaimedFrom ?? null;
    const refusal = beginMoveIn(state, env, vserver, held.owner, held.diskName, held.disks, partner === null ? { reclaim: true } : { reclaim: true, preempt: partner });
    if (refusal !== null) logEms(env.filer, env.ctx, 'vsrv.move.failed', 'error', `${vserver}: aggregate ${held.owner}:${held.diskName} not mounted again: ${refusal}.`);
  }
}

/** Aggregates being reclaimed: their log entries are in no CP yet, so a CP keeps them. */
export function reclaimsUnderWay(state: StorageState): string[] {
  return Object.values(state.moves ?? {}).filter((move) => move.reclaim && move.status !== 'online' && move.status !== 'failed').map((move) => move.aggregate);
}

/** The cluster took note of a finished move: forget it. */
export function forgetMove(state: StorageState, vserver: string): void {
  if (state.moves) delete state.moves[vserver];
}
