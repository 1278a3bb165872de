// The partner's storage after a takeover (seed 000/001, DESIGN.md §4): find the disks the partner
// reserved (reachable over the dual-initiator FC loops), preempt its SCSI-3 reservations so its writes
// are refused from then on, read their RAID labels, assemble and mount its aggregates under the
// partner's namespace (`filerA:aggr0`, volumes `filerA:vol1`), then replay the partner's log entries
// that our NVRAM's partner half holds on top of its last consistency point. Giveback is the reverse:
// a CP of the partner's volumes, the reservations released, the partner's storage dropped from memory.
// The HA subsystem decides when; this module only does the storage half.
import { logEms } from '../ems.ts';
import { BAYS_PER_SHELF } from '../../hardware/disk-names.ts';
import { assembleAggregate, DISK_USABLE_BLOCKS, inquiryBlocks } from './boot.ts';
import { startCp } from './cp.ts';
import { parseDiskId } from './disk-io.ts';
import { issue, openBatch, type StorageEnv } from './io.ts';
import { logEntries, replaceEntries } from './nvram-log.ts';
import { blockKey, LABEL_BLOCKS } from './raid-layout.ts';
import { writeMailbox } from './mailbox.ts';
import { partnerMount, readAggregateRoot, replayEntries, replayOwnerLog } from './mount.ts';
import type { IoBatch, PartnerStorage, StorageState } from './types.ts';
import { decodeLabel, type RaidLabel } from './wafl-format.ts';

/** Who the partner is: its name (the namespace) and its system id (its SCSI-3 reservation key). */
export interface PartnerIdentity {
  readonly name: string;
  readonly systemId: string;
  /**
   * A takeover this filer resumes after going down in it: the partner's disks may be held by our key
   * still, or by nobody (a shelf power cycle cleared their reservations meanwhile).
   */
  readonly resume?: boolean;
  /**
   * Seed 004: disks of aggregates that moved to the partner from a third node. The taker mounts them
   * with their vserver, as a move (cluster/takeover-moved-in.ts), not as the partner's own.
   */
  readonly leaveOut?: readonly string[];
}

export type PartnerStorageError = 'offline' | 'busy' | 'not-mounted' | 'inval';

/**
 * Starts mounting the partner's storage; returns the request id (the progress is `state.partner`,
 * `status` reaching 'online' or 'failed'), or why it cannot start.
 */
export function mountPartnerStorage(state: StorageState, env: StorageEnv, partner: PartnerIdentity): number | PartnerStorageError {
  if (state.status !== 'online') return 'offline';
  if (!partner.name || partner.name.includes(':') || !partner.systemId || partner.systemId === env.filer.config.systemId) return 'inval';
  if (state.partner && state.partner.status !== 'released' && state.partner.status !== 'failed') return 'busy';
  const requestId = (state.partner?.requestId ?? 0) + 1;
  state.partner = {
    requestId, name: partner.name, systemId: partner.systemId, prefix: `${partner.name}:`, status: 'scanning', error: null,
    disks: [], aggregatesLeft: [], startedUs: env.ctx.now, replayed: 0, seconds: 0, releaseAfterCp: 0, resume: partner.resume === true,
  };
  const batch = openBatch(state, { kind: 'partner-scan' });
  const leaveOut = new Set(partner.leaveOut ?? []);
  for (const disk of candidateDisks(state, env).filter((candidate) => !leaveOut.has(candidate))) issue(state, env, batch, disk, { op: 'pr-read' });
  if (batch.outstanding === 0) { delete state.io.batches[batch.id]; partnerScanned(state, env, batch); }
  return requestId;
}

/** Every bay of every shelf on our loops that is not one of our own disks. */
function candidateDisks(state: StorageState, env: StorageEnv): string[] {
  const shelves = new Set(env.filer.config.fcPorts.flatMap((port) => port.shelves.map((shelf) => shelf.actor)));
  const disks: string[] = [];
  for (const shelf of [...shelves].sort()) {
    for (let bay = 0; bay < BAYS_PER_SHELF; bay++) if (!state.disks[`${shelf}.${bay}`]) disks.push(`${shelf}.${bay}`);
  }
  return disks;
}

function fail(state: StorageState, env: StorageEnv, partner: PartnerStorage, why: string): void {
  partner.status = 'failed';
  partner.error = why;
  logEms(env.filer, env.ctx, 'cf.takeover.storage.failed', 'error', `Partner ${partner.name}'s storage could not be mounted: ${why}.`);
}

/** Reservations read: the partner's disks are those its key holds; preempt them and read their labels. */
export function partnerScanned(state: StorageState, env: StorageEnv, batch: IoBatch): void {
  const partner = state.partner;
  if (!partner || partner.status !== 'scanning') return;
  // The partner's disks: those its key holds, and those ours still holds from a takeover this filer
  // went down in (a resumed takeover).
  const own = env.filer.config.systemId;
  // An unreserved disk (a shelf power cycle cleared it) is the partner's only if its ownership record
  // says so: on a shelf shared with other nodes it may be a third node's (fuzz seed 65).
  const ours = (result: IoBatch['results'][string]): boolean => result.holder === partner.systemId || result.holder === own
    || (partner.resume && !result.holder && (result.owner ?? partner.name) === partner.name);
  partner.disks = Object.keys(batch.results).filter((disk) => batch.results[disk].status === 'good' && ours(batch.results[disk])).sort();
  if (partner.disks.length === 0) { fail(state, env, partner, `no disk is reserved by system ${partner.systemId}`); return; }
  partner.status = 'reserving';
  const key = env.filer.config.systemId;
  const labels = openBatch(state, { kind: 'partner-labels' });
  for (const disk of partner.disks) {
    issue(state, env, labels, disk, { op: 'pr-register', key });
    issue(state, env, labels, disk, { op: 'pr-preempt', key, victim: partner.systemId });
    issue(state, env, labels, disk, { op: 'read', lba: 0, blocks: LABEL_BLOCKS });
    issue(state, env, labels, disk, { op: 'inquiry' });
  }
  // The partner's mailbox says it was declared dead before we serve anything of its: a taker that goes
  // down with the partner's writes only in its own NVRAM (disk access lost, no CP of them) must find
  // the partner waiting for giveback when both come back, not booted on its disks without those writes
  // (a shelf power cycle clears the reservations; the mailbox survives it). Queued behind the preempt on
  // each disk, and ahead of the mount's reads, so it is on disk before the takeover completes.
  const mailboxes = env.filer.config.partnerMailboxDisks ?? [];
  if (mailboxes.length > 0) writeMailbox(state, env, 'declared-dead', mailboxes);
}

/** Preempted and labels in: assemble the partner's aggregates under its namespace and read their roots. */
export function partnerLabelsRead(state: StorageState, env: StorageEnv, batch: IoBatch): void {
  const partner = state.partner;
  if (!partner || partner.status !== 'reserving') return;
  const unreachable = new Set(batch.errors.map((error) => error.disk));
  const labels: Record<string, RaidLabel | null> = {};
  for (const disk of partner.disks) {
    const block = batch.blocks[blockKey(disk, 0)];
    labels[disk] = block ? decodeLabel(block) : null;
  }
  const names = [...new Set(Object.values(labels).flatMap((label) => (label?.aggregate ? [label.aggregate] : [])))].sort();
  // The members of the partner's aggregates become our disk records, and so do its spares (a disk with a
  // spare's label, or none yet), kept in the partner's pool: only its aggregates rebuild onto them.
  for (const disk of partner.disks) {
    const address = parseDiskId(disk);
    if (!address || unreachable.has(disk)) continue;
    const label = labels[disk];
    const member = Boolean(label?.aggregate);
    state.disks[disk] = {
      id: disk, address, blocks: inquiryBlocks(batch.results[disk]?.data) ?? DISK_USABLE_BLOCKS, role: 'spare',
      aggregate: null, raidGroup: null, zeroed: !member && (label?.zeroed ?? true), zeroingPercent: null, failReason: null,
      ...(member ? {} : { partnerOf: partner.name }),
    };
  }
  partner.status = 'mounting';
  partner.aggregatesLeft = [];
  for (const name of names) {
    const root = Object.values(labels).some((label) => label?.aggregate === name && label.root);
    const aggregate = assembleAggregate(state, name, labels, unreachable, root, partner.name);
    state.aggregates[aggregate.name] = aggregate;
    if (aggregate.status === 'mounting') partner.aggregatesLeft.push(aggregate.name);
  }
  if (names.length === 0) { fail(state, env, partner, 'no RAID labels on the partner\'s disks'); return; }
  for (const name of [...partner.aggregatesLeft]) readAggregateRoot(state, env, partnerMount(partner.name), name);
  if (partner.aggregatesLeft.length === 0) finishPartnerMount(state, env, partner);
}

/** Whether the takeover mount of this partner is still reading its aggregates. */
export function partnerMountInProgress(state: StorageState, owner: string): boolean {
  return state.partner?.name === owner && state.partner.status === 'mounting';
}

/** One of the partner's aggregates is in memory (mount.ts): the last one finishes the takeover mount. */
export function partnerAggregateMounted(state: StorageState, env: StorageEnv, name: string): void {
  const partner = state.partner;
  if (!partner) return;
  partner.aggregatesLeft = partner.aggregatesLeft.filter((left) => left !== name);
  if (partner.aggregatesLeft.length === 0) finishPartnerMount(state, env, partner);
}

/** The partner's aggregates are in memory: replay its mirrored log past each one's CP, then take a CP. */
function finishPartnerMount(state: StorageState, env: StorageEnv, partner: PartnerStorage): void {
  const entries = logEntries(env.filer.chassis.nvram.partner);
  // A resumed takeover: what this filer logged on the partner's volumes before it went down is in our
  // own half (under the prefix, in our sequence space, newer than any CP of ours).
  const stranded = logEntries(env.filer.chassis.nvram.local).filter((entry) => entry.aggregate.startsWith(partner.prefix));
  const replayed = replayOwnerLog(state, env, partnerMount(partner.name)) + replayEntries(state, stranded, '', false);
  // The replayed entries are now in memory: the next CP of these aggregates contains them.
  for (const entry of entries) {
    const aggregate = state.aggregates[partner.prefix + entry.aggregate];
    if (aggregate?.status === 'online' && entry.seq > aggregate.cpSeq) aggregate.cpSeq = entry.seq;
  }
  const seconds = Math.max(1, Math.round((env.ctx.now - partner.startedUs) / 1_000_000));
  const names = Object.values(state.volumes).filter((volume) => volume.name.startsWith(partner.prefix)).map((volume) => volume.name);
  // The product names the partner's volumes as the partner does (`vol0`), not by the lab's storage key.
  logEms(env.filer, env.ctx, 'raid.vol.replay.nvram', 'info', `Performing raid replay on partner volume(s) ${names.map((name) => name.slice(partner.prefix.length)).join(', ')}`);
  logEms(env.filer, env.ctx, 'wafl.replay.done', 'info', `WAFL log replay completed, ${seconds} seconds`);
  partner.replayed = replayed;
  partner.seconds = seconds;
  partner.status = 'online';
  for (const aggregate of Object.values(state.aggregates)) {
    if (aggregate.partnerOf === partner.name && aggregate.status === 'failed') {
      logEms(env.filer, env.ctx, 'raid.vol.failed', 'critical', `Partner aggregate ${aggregate.name.slice(partner.prefix.length)}: Failed due to multi-disk error`);
    }
  }
  startCp(state, env, 'takeover');
}

/**
 * Reservations do not survive a shelf power cycle: while in takeover the partner's disks are reserved
 * again now and then (register our key, preempt the partner's), so the partner never finds them free.
 */
export function reassertPartnerReservations(state: StorageState, env: StorageEnv): void {
  const partner = state.partner;
  if (!partner || partner.status !== 'online') return;
  const key = env.filer.config.systemId;
  const batch = openBatch(state, { kind: 'reserve' });
  for (const disk of partner.disks) {
    issue(state, env, batch, disk, { op: 'pr-register', key });
    issue(state, env, batch, disk, { op: 'pr-preempt', key, victim: partner.systemId });
  }
  declarePartnerDead(state, env);
}

/**
 * The partner's mailbox says it was declared dead while we hold it: a partner that boots reads this
 * and waits for giveback even if a shelf power cycle wiped the reservations.
 */
export function declarePartnerDead(state: StorageState, env: StorageEnv): void {
  const partner = state.partner;
  const disks = env.filer.config.partnerMailboxDisks ?? [];
  if (!partner || partner.status !== 'online' || disks.length === 0) return;
  writeMailbox(state, env, 'declared-dead', disks);
}

/** Giveback: the partner's mailbox no longer says it is dead (it will write its own heartbeat there). */
function clearPartnerDeclaration(state: StorageState, env: StorageEnv): void {
  const disks = env.filer.config.partnerMailboxDisks ?? [];
  if (disks.length > 0) writeMailbox(state, env, 'normal', disks);
}

/**
 * Giveback, storage half: a CP of everything (the partner's volumes included), then the partner's
 * reservations are released and its aggregates, volumes and disks dropped from memory.
 */
export function releasePartnerStorage(state: StorageState, env: StorageEnv): number | PartnerStorageError {
  const partner = state.partner;
  if (!partner || (partner.status !== 'online' && partner.status !== 'failed')) return partner?.status === 'releasing' ? 'busy' : 'not-mounted';
  if (state.status !== 'online') return 'offline';
  partner.status = 'releasing';
  partner.releaseAfterCp = state.cp.count + (state.cp.running ? 2 : 1);
  startCp(state, env, 'giveback');
  return partner.requestId;
}

/** Called after every event: finishes a giveback once its CP is on disk. */
export function stepPartnerRelease(state: StorageState, env: StorageEnv): void {
  const partner = state.partner;
  if (!partner || partner.status !== 'releasing' || state.cp.count < partner.releaseAfterCp) return;
  clearPartnerDeclaration(state, env);
  // The partner may boot onto its disks only once every release has reached them: 'released' waits.
  const batch = openBatch(state, { kind: 'partner-release' });
  for (const disk of partner.disks) issue(state, env, batch, disk, { op: 'pr-release', key: env.filer.config.systemId });
  for (const [name, aggregate] of Object.entries(state.aggregates)) if (aggregate.partnerOf === partner.name) delete state.aggregates[name];
  for (const name of Object.keys(state.volumes)) if (name.startsWith(partner.prefix)) delete state.volumes[name];
  for (const disk of partner.disks) delete state.disks[disk];
  // Everything the partner half held is in that CP: the partner resends its log whole when it is back.
  replaceEntries(env.filer.chassis.nvram.partner, []);
  partner.status = 'unreserving';
  if (batch.outstanding === 0) { delete state.io.batches[batch.id]; partnerUnreserved(state, env); }
}

/** Every release answered (a disk that did not answer keeps no reservation of ours worth waiting for). */
export function partnerUnreserved(state: StorageState, env: StorageEnv): void {
  const partner = state.partner;
  if (!partner || partner.status !== 'unreserving') return;
  partner.status = 'released';
  logEms(env.filer, env.ctx, 'cf.giveback.storage.released', 'notice', `Partner ${partner.name}'s storage released (${partner.disks.length} disks).`);
}
