// Booting the storage OS (os-boot): register and reserve the owned disks, read their RAID labels,
// assemble the aggregates (or create them on blank disks from the filer's configuration), read each
// aggregate's newest fsinfo root, walk the committed image into memory, then replay the NVRAM log
// entries newer than that consistency point.
import { logEms } from '../ems.ts';
import type { AggregateConfig } from '../../hardware/filer/chassis.ts';
import { startCp } from './cp.ts';
import { configuredMailboxDisks, decodeMailbox } from './mailbox.ts';
import { parseDiskId } from './disk-io.ts';
import { issue, openBatch, type StorageEnv } from './io.ts';
import { logEntries, replaceEntries, type LogEntry } from './nvram-log.ts';
import { sendToPartner } from './mirror.ts';
import { blockKey, LABEL_BLOCKS } from './raid-layout.ts';
import { formatAggregate, groupsFromLabels, newAggregate } from './aggregate-build.ts';
import { applyLabelSettings } from './aggregate-label.ts';
import { ownMount, readAggregateRoot, replayOwnerLog } from './mount.ts';
import { startReconstruction } from './raid-ops.ts';
import { forgetMovedOn, movedInDisks, ownedElsewhere, reclaimMovedIn } from './vserver-move.ts';
import type { AggregateState, DiskRecord, IoBatch, StorageState } from './types.ts';
import { decodeUtf8 } from './utf8.ts';
import { createVolume } from './wafl-fs.ts';
import { decodeLabel, type RaidLabel } from './wafl-format.ts';

/** The disk model of the lab: 36 GB FC disks (`Phys (MB/blks)` 34500/8832000, right-sized to 34000). */
export const DISK_PHYSICAL_BLOCKS = 8_832_000;
export const DISK_USABLE_BLOCKS = 8_704_000;
export const DISK_RPM = 10_000;

export function beginBoot(state: StorageState, env: StorageEnv): void {
  state.status = 'mounting';
  state.aggregates = {};
  state.volumes = {};
  state.disks = ownedDisks(state, env);
  state.bootStartedUs = env.ctx.now;
  fetchLostLog(state, env);
  // First the mailbox: a partner in takeover marks this filer declared dead there, which (unlike a
  // reservation) survives a shelf power cycle.
  const disks = configuredMailboxDisks(env.filer.config.aggregates).filter((disk) => state.disks[disk]);
  const mailbox = openBatch(state, { kind: 'boot-mailbox' });
  for (const disk of disks) issue(state, env, mailbox, disk, { op: 'mailbox-read' });
  if (mailbox.outstanding === 0) { delete state.io.batches[mailbox.id]; bootMailboxRead(state, env, mailbox); }
}

/** The mailbox is in: declared dead by the partner (and not reclaiming) stops the boot, as a conflict. */
export function bootMailboxRead(state: StorageState, env: StorageEnv, batch: IoBatch): void {
  const partner = env.filer.config.partner;
  const declaredBy = Object.values(batch.results).flatMap((result) => {
    const record = result.status === 'good' ? decodeMailbox(result.data) : null;
    return record && record.owner === partner && record.state === 'declared-dead' ? [record.systemId] : [];
  })[0];
  if (declaredBy !== undefined && state.reclaimFrom === null) {
    state.reservationConflict = true;
    state.status = 'down';
    logEms(env.filer, env.ctx, 'cf.fsm.waitingForGiveback', 'notice', `This node was declared dead by ${partner} (mailbox): waiting for giveback.`);
    return;
  }
  // Who holds the disks: registering our key again would undo a partner's preempt (fencing).
  const reservations = openBatch(state, { kind: 'boot-reservations' });
  for (const disk of [...Object.keys(state.disks), ...movedInDisks(state)]) issue(state, env, reservations, disk, { op: 'pr-read' });
  if (reservations.outstanding === 0) { delete state.io.batches[reservations.id]; reservationsRead(state, env, reservations); }
}

/**
 * Reservations are in. Disks another filer holds (the partner took them over) stop the boot: nothing
 * is written until giveback. Otherwise register, reserve and read the labels.
 */
export function reservationsRead(state: StorageState, env: StorageEnv, batch: IoBatch): void {
  const key = env.filer.config.systemId;
  leaveMovedAggregates(state, env, batch);
  forgetMovedOn(state, env, batch);
  const held = Object.entries(batch.results).filter(([disk, result]) => state.disks[disk] && result.status === 'good' && result.holder && result.holder !== key);
  // HA found the partner up and not in takeover while it still held our disks (it went down in
  // takeover and came back knowing nothing of it): take them back with a preempt of its key.
  const reclaim = state.reclaimFrom !== null && held.every(([, result]) => result.holder === state.reclaimFrom) ? state.reclaimFrom : null;
  if (held.length > 0 && reclaim === null) {
    // The partner holds them: it has taken this filer over. HA turns this into the wait for giveback.
    state.reservationConflict = true;
    state.status = 'down';
    logEms(env.filer, env.ctx, 'cf.fsm.waitingForGiveback', 'notice', `${held.length} disks are reserved by system ${held[0][1].holder}: waiting for giveback.`);
    return;
  }
  const labels = openBatch(state, { kind: 'labels' });
  for (const disk of Object.keys(state.disks)) {
    issue(state, env, labels, disk, { op: 'pr-register', key });
    issue(state, env, labels, disk, reclaim === null ? { op: 'pr-reserve', key } : { op: 'pr-preempt', key, victim: reclaim });
    issue(state, env, labels, disk, { op: 'read', lba: 0, blocks: LABEL_BLOCKS });
    issue(state, env, labels, disk, { op: 'inquiry' });
  }
  state.reclaimedFrom = reclaim;
  if (reclaim !== null) logEms(env.filer, env.ctx, 'cf.fsm.reclaimDisks', 'notice', `${held.length} disks reserved by system ${reclaim}, which is not in takeover: reclaimed.`);
  state.reclaimFrom = null;
  if (labels.outstanding === 0) { delete state.io.batches[labels.id]; labelsRead(state, env, labels); }
}

/**
 * Seed 004: a non-root aggregate whose disks another node holds or owns (their ownership record names
 * it: the node that took it in wrote it, vserver-move.ts), while this node's root aggregate is free (so
 * no takeover is under way) or held by the partner it reclaims from, moved to that node with its
 * vserver. It is left out of this boot (not mounted, not created), and so are the vservers on it (the
 * file service serves only vservers whose volumes are here). Ownership is what survives a shelf's power
 * cycle, which clears the reservations; it also names a move the partner made in its takeover.
 */
function leaveMovedAggregates(state: StorageState, env: StorageEnv, batch: IoBatch): void {
  const key = env.filer.config.systemId;
  // A partner being reclaimed from (it went down in takeover and came back knowing nothing of it) holds
  // what it took over, root included; an aggregate a third node holds moved away during that takeover.
  const partner = state.reclaimFrom;
  const elsewhere = (disk: string): boolean => {
    const holder = batch.results[disk]?.status === 'good' ? batch.results[disk].holder : null;
    return !!holder && holder !== key && holder !== partner;
  };
  // A takeover holds the root aggregate too (a vserver move never takes it): then nothing moved away.
  const [root, ...others] = env.filer.config.aggregates;
  state.movedAway = [];
  if (!root || root.disks.some(elsewhere)) return;
  const moved = others.filter((aggregate) => aggregate.disks.some(elsewhere) || ownedElsewhere(batch, aggregate.disks, env.filer.config.name) !== null);
  state.movedAway = moved.map((aggregate) => aggregate.name);
  for (const aggregate of moved) {
    for (const disk of aggregate.disks) delete state.disks[disk];
    logEms(env.filer, env.ctx, 'vsrv.aggr.movedAway', 'notice', `Aggregate ${aggregate.name} is held by another node (it moved with its vserver): not mounted here.`);
  }
}

/** The disk's capacity in blocks from its inquiry answer (JSON with `blocks`), if it gave one. */
export function inquiryBlocks(data: Uint8Array | undefined): number | null {
  if (!data) return null;
  try {
    const answer = JSON.parse(decodeUtf8(data)) as { blocks?: unknown };
    return typeof answer.blocks === 'number' && answer.blocks > 16 ? Math.floor(answer.blocks) : null;
  } catch {
    return null;
  }
}

/**
 * The lab file's disks of this filer, less those pulled or given up, plus those `disk assign` gave it
 * (a new disk in a bay, or one another filer gave up).
 */
function ownedDisks(state: StorageState, env: StorageEnv): Record<string, DiskRecord> {
  const disks: Record<string, DiskRecord> = {};
  const config = env.filer.config;
  const bays = state.bays ?? {};
  // Ownership the operator changed is written on the disks on the product; the lab keeps it with the
  // storage state, which outlives a reboot (storage-subsystem.ts).
  const released = new Set(state.ownership?.released ?? []);
  const assignedBays = Object.keys(bays).filter((id) => bays[id] === 'assigned').sort();
  const ids = [...config.aggregates.flatMap((aggregate) => aggregate.disks), ...config.spares, ...(state.ownership?.assigned ?? []), ...assignedBays]
    .filter((id) => !released.has(id));
  for (const id of ids) {
    const address = parseDiskId(id);
    if (!address || disks[id] || bays[id] === 'missing' || bays[id] === 'unowned') continue;
    disks[id] = { id, address, blocks: DISK_USABLE_BLOCKS, role: 'spare', aggregate: null, raidGroup: null, zeroed: true, zeroingPercent: null, failReason: null };
  }
  return disks;
}

/** Labels are in: assemble each configured aggregate, or create it on blank disks. */
export function labelsRead(state: StorageState, env: StorageEnv, batch: IoBatch): void {
  const unreachable = new Set(batch.errors.filter((error) => error.status !== 'reservation-conflict').map((error) => error.disk));
  const labels: Record<string, RaidLabel | null> = {};
  for (const disk of Object.keys(state.disks)) {
    const block = batch.blocks[blockKey(disk, 0)];
    labels[disk] = block ? decodeLabel(block) : null;
  }
  for (const [disk, record] of Object.entries(state.disks)) {
    record.blocks = inquiryBlocks(batch.results[disk]?.data) ?? DISK_USABLE_BLOCKS;
    if (unreachable.has(disk)) { record.role = 'broken'; record.failReason = 'not responding'; }
    else if (labels[disk] && labels[disk]?.aggregate === '') record.zeroed = labels[disk]?.zeroed ?? false;
  }
  const toMount: string[] = [];
  env.filer.config.aggregates.forEach((config, index) => {
    if (state.movedAway?.includes(config.name)) return;
    const labelled = config.disks.some((disk) => labels[disk]?.aggregate === config.name);
    if (labelled) {
      const aggregate = assembleAggregate(state, config.name, labels, unreachable, index === 0);
      state.aggregates[config.name] = aggregate;
      if (aggregate.status === 'mounting') toMount.push(config.name);
    } else {
      createAggregate(state, env, config, index === 0);
    }
  });
  // Aggregates the operator made (`aggr create`) are known by their labels alone, as on the product.
  for (const name of createdAggregates(state, env, labels)) {
    const aggregate = assembleAggregate(state, name, labels, unreachable, false);
    state.aggregates[name] = aggregate;
    if (aggregate.status === 'mounting') toMount.push(name);
  }
  state.boot = { aggregatesLeft: [...toMount] };
  for (const name of toMount) readAggregateRoot(state, env, ownMount(env), name);
  if (toMount.length === 0) finishMount(state, env);
}

function createAggregate(state: StorageState, env: StorageEnv, config: AggregateConfig, root: boolean): void {
  const usable = config.disks.filter((disk) => state.disks[disk] && state.disks[disk].role !== 'broken');
  if (!formatAggregate(state, env, config.name, usable, config.raidGroupSize, root)) {
    logEms(env.filer, env.ctx, 'raid.config.create.failed', 'error', `Aggregate ${config.name} could not be created: not enough disks.`);
    return;
  }
  for (const volume of env.filer.config.volumes.filter((candidate) => candidate.aggregate === config.name)) {
    state.volumes[volume.name] = createVolume(volume.name, config.name, volume.fsid, volume.sizeMb * 1024 * 1024, env.ctx.now);
  }
  logEms(env.filer, env.ctx, 'raid.vol.created', 'notice', `Aggregate ${config.name} created with ${usable.length} disks.`);
}

/** Aggregate names on this filer's disks' labels that its configuration does not list. */
function createdAggregates(state: StorageState, env: StorageEnv, labels: Record<string, RaidLabel | null>): string[] {
  const configured = new Set(env.filer.config.aggregates.map((config) => config.name));
  const names = new Set<string>();
  for (const [disk, label] of Object.entries(labels)) {
    if (label?.aggregate && !configured.has(label.aggregate) && state.disks[disk]?.role !== 'broken') names.add(label.aggregate);
  }
  return [...names].sort();
}

/**
 * Members come from the newest label of each group; a member that did not answer is missing. The
 * labels name the aggregate `diskName`; a partner's aggregate is held under `<partner>:<diskName>`.
 */
export function assembleAggregate(
  state: StorageState, diskName: string, labels: Record<string, RaidLabel | null>, unreachable: Set<string>, root: boolean,
  partnerOf?: string,
): AggregateState {
  const name = partnerOf === undefined ? diskName : `${partnerOf}:${diskName}`;
  const newest: Record<number, RaidLabel> = {};
  for (const label of Object.values(labels)) {
    if (!label || label.aggregate !== diskName) continue;
    if (!newest[label.group] || newest[label.group].generation < label.generation) newest[label.group] = label;
  }
  const indexes = Object.keys(newest).map(Number).sort((a, b) => a - b);
  const stripes = newest[indexes[0]].stripes;
  const groups = groupsFromLabels(indexes.map((index) => newest[index]), stripes);
  const aggregate = newAggregate(name, groups, stripes, root, partnerOf);
  applyLabelSettings(aggregate, newest[indexes[0]]);
  for (const group of groups) {
    group.members.forEach((disk, position) => {
      const record = state.disks[disk];
      const label = labels[disk];
      const current = record && !unreachable.has(disk) && label?.aggregate === diskName && label.generation === group.labelGeneration;
      if (!current) { group.failed.push(position); if (record) { record.role = 'broken'; record.failReason ??= 'label mismatch'; } return; }
      record.role = position === group.members.length - 1 ? 'parity' : 'data';
      record.aggregate = name;
      record.raidGroup = group.index;
    });
    if (group.failed.length > 1) aggregate.status = 'failed';
  }
  // A disk the filer held failed when it last wrote these labels stays failed (it was not replaced).
  for (const index of indexes) {
    for (const disk of newest[index].failed ?? []) {
      const record = state.disks[disk];
      if (record?.role === 'spare') { record.role = 'broken'; record.failReason ??= 'failed before the reboot'; }
    }
  }
  // A disk labelled for this aggregate but no longer a member (it was replaced) is a spare, not zeroed.
  for (const [disk, label] of Object.entries(labels)) {
    const record = state.disks[disk];
    if (label?.aggregate === diskName && record?.role === 'spare') record.zeroed = false;
  }
  return aggregate;
}

/** One of this filer's own aggregates is in memory (mount.ts): the last one finishes the boot. */
export function ownAggregateMounted(state: StorageState, env: StorageEnv, name: string): void {
  state.boot.aggregatesLeft = state.boot.aggregatesLeft.filter((left) => left !== name);
  if (state.boot.aggregatesLeft.length === 0) finishMount(state, env);
}

/** How long a boot waits for the partner's copy of a lost log before it goes on without it. */
export const LOG_FETCH_TIMEOUT_US = 2_000_000;

/**
 * The NVRAM lost its contents (a power loss on a low battery), but the partner's half mirrors this
 * filer's log: ask for it, so that writes it acknowledged through the mirror are replayed, not lost.
 */
function fetchLostLog(state: StorageState, env: StorageEnv): void {
  const nvram = env.filer.chassis.nvram;
  state.boot.fetchingLog = false;
  state.boot.mountDone = false;
  if (!nvram.contentsLost || nvram.local.entries.length > 0 || !env.filer.config.partner) return;
  if (!sendToPartner(state, env, { kind: 'nvram.fetch' })) return;
  state.boot.fetchingLog = true;
  env.ctx.setTimer(LOG_FETCH_TIMEOUT_US, { kind: 'storage.log-fetch-timeout', epoch: state.epoch });
}

/** The partner's copy of our log (or the timeout, `entries` null): replay it with the mount. */
export function lostLogAnswered(state: StorageState, env: StorageEnv, entries: readonly LogEntry[] | null): void {
  if (!state.boot.fetchingLog) return;
  state.boot.fetchingLog = false;
  // Dealt with: a later boot does not ask again.
  env.filer.chassis.nvram.contentsLost = false;
  const local = env.filer.chassis.nvram.local;
  if (entries === null) {
    logEms(env.filer, env.ctx, 'nvram.log.fetch.timeout', 'warning', 'NVRAM contents were lost and the partner did not send its copy of the log.');
  } else if (local.entries.length === 0) {
    replaceEntries(local, entries);
    logEms(env.filer, env.ctx, 'nvram.log.restored', 'notice', `NVRAM contents were lost: ${entries.length} log entries restored from the partner's mirror.`);
  }
  if (state.boot.mountDone) finishMount(state, env);
}

/** Every aggregate is in memory: replay the log past each one's CP, go online, take a CP. */
function finishMount(state: StorageState, env: StorageEnv): void {
  if (state.boot.fetchingLog) { state.boot.mountDone = true; return; }
  state.boot.mountDone = false;
  const entries = logEntries(env.filer.chassis.nvram.local);
  const cpSeqs = Object.values(state.aggregates).map((aggregate) => aggregate.cpSeq);
  const lastSeq = Math.max(0, ...cpSeqs, ...entries.map((entry) => entry.seq));
  state.log.nextSeq = lastSeq + 1;
  const replayed = replayOwnerLog(state, env, ownMount(env));
  const seconds = Math.max(1, Math.round((env.ctx.now - state.bootStartedUs) / 1_000_000));
  if (replayed > 0 || entries.length > 0) {
    logEms(env.filer, env.ctx, 'raid.vol.replay.nvram', 'info', 'Performing raid replay on volume(s)');
  }
  logEms(env.filer, env.ctx, 'wafl.replay.done', 'info', `WAFL log replay completed, ${seconds} seconds`);
  state.lastReplay = { entries: replayed, seconds };
  state.status = 'online';
  reclaimMovedIn(state, env);
  for (const aggregate of Object.values(state.aggregates)) {
    for (const group of aggregate.raidGroups) if (group.failed.length === 1) startReconstruction(state, env, aggregate, group);
    if (aggregate.status === 'failed') {
      logEms(env.filer, env.ctx, 'raid.vol.failed', 'critical', `Aggregate ${aggregate.name}: Failed due to multi-disk error`);
    }
  }
  startCp(state, env, 'boot');
}
