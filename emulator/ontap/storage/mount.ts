// The one mount pipeline (DESIGN.md §4 "Identity"): reading an aggregate's newest fsinfo root, walking
// its committed tree into memory and, once every aggregate of a mount is in, replaying the NVRAM half
// that holds its owner's log. Boot mounts this filer's own storage (prefix '', the local half); a
// takeover mounts the partner's (prefix `filerA:`, the partner half); a seed 004 vserver move mounts one
// aggregate under a vserver-level owner, `vserver:<name>`, with no replay (vserver-move.ts). Finding and reserving the disks differs (boot.ts reserves its own, partner.ts preempts);
// everything from the labels on is here, keyed by the mount's owner.
import { logEms } from '../ems.ts';
import { ownAggregateMounted } from './boot.ts';
import { partnerAggregateMounted, partnerMountInProgress } from './partner.ts';
import type { StorageEnv } from './io.ts';
import { movedAggregateMounted, movedMountInProgress, movedMountOwner, MOVE_OWNER_PREFIX } from './vserver-move.ts';
import { logEntries } from './nvram-log.ts';
import { dataWidth, ROOT_STRIPES, vbnAt } from './raid-layout.ts';
import type { IoBatch, StorageState } from './types.ts';
import { readVbns, resolveVbnBatch } from './vbn-read.ts';
import { applyOp } from './wafl-fs.ts';
import { decodeFsinfo, type Fsinfo } from './wafl-format.ts';
import { absorbRound, startWalk, volumeFromWalk, type WalkItem, type WalkState } from './wafl-walk.ts';

/** Whose storage a mount reads. */
export interface MountOwner {
  /** The owning filer's name. */
  readonly owner: string;
  /** How this filer keys the owner's aggregates and volumes: '' for its own, `filerA:` for a partner's. */
  readonly prefix: string;
  /** Which NVRAM half holds the owner's log. */
  readonly half: 'local' | 'partner';
}

export function ownMount(env: StorageEnv): MountOwner {
  return { owner: env.filer.config.name, prefix: '', half: 'local' };
}

export function partnerMount(name: string): MountOwner {
  return { owner: name, prefix: `${name}:`, half: 'partner' };
}

// Boot and takeover each end a mount their own way; the walk asks them whether a mount is still under
// way (stale I/O of an abandoned one is ignored) and tells them when one aggregate is in.
function inProgress(state: StorageState, env: StorageEnv, owner: string): boolean {
  if (owner.startsWith(MOVE_OWNER_PREFIX)) return movedMountInProgress(state, owner);
  return owner === env.filer.config.name ? state.status === 'mounting' : partnerMountInProgress(state, owner);
}

function aggregateMounted(state: StorageState, env: StorageEnv, owner: string, name: string): void {
  if (owner.startsWith(MOVE_OWNER_PREFIX)) movedAggregateMounted(state, env, owner, name);
  else if (owner === env.filer.config.name) ownAggregateMounted(state, env, name);
  else partnerAggregateMounted(state, env, name);
}

function mountOwner(state: StorageState, env: StorageEnv, owner: string): MountOwner {
  const moved = movedMountOwner(state, owner);
  if (moved) return moved;
  return owner === env.filer.config.name ? ownMount(env) : partnerMount(owner);
}

/** Reads the root stripes of an aggregate (held as `prefix + name`) to find its newest fsinfo. */
export function readAggregateRoot(state: StorageState, env: StorageEnv, mount: MountOwner, name: string): void {
  const group = state.aggregates[name].raidGroups[0];
  const vbns: number[] = [];
  for (let stripe = 0; stripe < ROOT_STRIPES; stripe++) {
    for (let position = 0; position < dataWidth(group); position++) vbns.push(vbnAt(group, stripe, position));
  }
  readVbns(state, env, { kind: 'mount-root', aggregate: name, owner: mount.owner }, name, vbns, {});
}

export function rootsRead(state: StorageState, env: StorageEnv, batch: IoBatch): void {
  if (batch.purpose.kind !== 'mount-root' || !inProgress(state, env, batch.purpose.owner)) return;
  const mount = mountOwner(state, env, batch.purpose.owner);
  const name = batch.purpose.aggregate;
  const blocks = resolveVbnBatch(state, env, batch);
  if (blocks === 'retrying') return;
  const diskName = name.slice(mount.prefix.length);
  let best: Fsinfo | null = null;
  for (const block of blocks) {
    const info = block ? decodeFsinfo(block) : 'unreadable';
    if (typeof info !== 'string' && info.aggregate === diskName && (!best || info.generation > best.generation)) best = info;
  }
  const aggregate = state.aggregates[name];
  if (!best) {
    aggregate.status = 'offline';
    logEms(env.filer, env.ctx, 'wafl.vol.noFsinfo', 'error', `Aggregate ${name}: no valid fsinfo block found; aggregate is offline.`);
    aggregateMounted(state, env, mount.owner, name);
    return;
  }
  aggregate.generation = best.generation;
  aggregate.cpSeq = best.cpSeq;
  const walk = startWalk(best, true);
  walkRound(state, env, mount, name, walk, walk.pending.length > 0 ? walk.pending : absorbRound(walk, [], []));
}

function walkRound(state: StorageState, env: StorageEnv, mount: MountOwner, name: string, walk: WalkState, round: WalkItem[]): void {
  if (round.length === 0) { walkDone(state, env, mount, name, walk); return; }
  readVbns(state, env, { kind: 'mount-tree', aggregate: name, owner: mount.owner }, name, round.map((item) => item.vbn), { walk, round });
}

export function treeRoundRead(state: StorageState, env: StorageEnv, batch: IoBatch): void {
  if (batch.purpose.kind !== 'mount-tree' || !inProgress(state, env, batch.purpose.owner)) return;
  const blocks = resolveVbnBatch(state, env, batch);
  if (blocks === 'retrying') return;
  const walk = batch.carry.walk as WalkState;
  walkRound(state, env, mountOwner(state, env, batch.purpose.owner), batch.purpose.aggregate, walk, absorbRound(walk, batch.carry.round as WalkItem[], blocks));
}

function walkDone(state: StorageState, env: StorageEnv, mount: MountOwner, name: string, walk: WalkState): void {
  const aggregate = state.aggregates[name];
  for (const vbn of [...walk.referenced, ...walk.heldReferenced]) {
    if (!aggregate.used[vbn]) { aggregate.used[vbn] = 1; aggregate.usedCount += 1; }
  }
  for (const info of walk.fsinfo.volumes) {
    const key = mount.prefix + info.name;
    state.volumes[key] = { ...volumeFromWalk(walk, info.name, name), name: key };
  }
  const who = mount.prefix === '' ? '' : `${mount.owner}: `;
  for (const problem of walk.problems.slice(0, 10)) logEms(env.filer, env.ctx, 'wafl.inconsistent', 'error', `${who}${problem}`);
  // Taken offline by the operator before the reboot or takeover (its labels say so): read, not served.
  aggregate.status = aggregate.adminOffline === true ? 'offline' : 'online';
  aggregateMounted(state, env, mount.owner, name);
}

/** Redoes the owner's log entries newer than their aggregate's CP, from the NVRAM half that holds them. */
export function replayOwnerLog(state: StorageState, env: StorageEnv, mount: MountOwner): number {
  return replayEntries(state, logEntries(env.filer.chassis.nvram[mount.half]), mount.prefix);
}

/**
 * Redoes log entries newer than their aggregate's CP. `prefix` maps the owner's names to ours.
 * `sinceCp` false: every entry (a resumed takeover's own entries are in another sequence space).
 */
export function replayEntries(state: StorageState, entries: ReturnType<typeof logEntries>, prefix: string, sinceCp = true): number {
  let replayed = 0;
  for (const entry of entries) {
    const aggregate = state.aggregates[prefix + entry.aggregate];
    if (!aggregate || aggregate.status !== 'online' || (sinceCp && entry.seq <= aggregate.cpSeq)) continue;
    const volume = state.volumes[prefix + entry.op.volume];
    if (!volume) continue;
    applyOp(volume, entry.op);
    replayed += 1;
    // The file service rebuilds its duplicate request cache from these (bounded by the log itself).
    if (entry.origin) state.replayedRequests.push({ origin: entry.origin, volume: prefix + entry.op.volume, op: entry.op });
  }
  return replayed;
}
