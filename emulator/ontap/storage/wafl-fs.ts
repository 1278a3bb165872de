// The file system in memory (the buffer cache): the same functions run a client's operation the first
// time and redo it from the NVRAM log at replay, so they take every choice (file id, generation, time)
// from the operation itself. An invalid operation changes nothing and returns its error.
import { BLOCK_BYTES } from '../../hardware/scsi.ts';
import type { LogOp } from './nvram-log.ts';
import { utf8Length } from './utf8.ts';
import type { FsError, Inode, OpResult, VolumeState } from './types.ts';
import { MAX_FILE_BLOCKS, type InodeType } from './wafl-format.ts';

/** The root directory's file id in every volume. */
export const ROOT_FILE_ID = 2;
export const FIRST_FILE_ID = 64;
const MAX_NAME_BYTES = 255;

export function newInode(id: number, generation: number, type: InodeType, mode: number, timeUs: number): Inode {
  return {
    id, generation, type, mode, uid: 0, gid: 0, nlink: type === 'dir' ? 2 : 1, size: 0,
    atimeUs: timeUs, mtimeUs: timeUs, ctimeUs: timeUs,
    data: new Uint8Array(0), entries: {}, blocks: [], indirect: [], dirty: 'all',
  };
}

export function createVolume(name: string, aggregate: string, fsid: number, sizeBytes: number, timeUs: number): VolumeState {
  const root = newInode(ROOT_FILE_ID, 1, 'dir', 0o755, timeUs);
  return {
    name, aggregate, fsid, sizeBytes, status: 'online', inconsistent: false,
    inodes: { [ROOT_FILE_ID]: root }, nextFileId: FIRST_FILE_ID,
    inodeFile: { blocks: [], indirect: [] }, dirty: true, orphanBlocks: [],
  };
}

export function usedBytes(volume: VolumeState): number {
  let blocks = 0;
  for (const inode of Object.values(volume.inodes)) blocks += 1 + Math.ceil(inode.size / BLOCK_BYTES);
  return blocks * BLOCK_BYTES;
}

/** Applies one logged operation. Used live (after the caller chose ids) and at replay. */
export function applyOp(volume: VolumeState, op: LogOp): OpResult {
  if (volume.status !== 'online') return fail('offline');
  switch (op.op) {
    case 'create': return applyCreate(volume, op);
    case 'write': return applyWrite(volume, op);
    case 'setattr': return applySetattr(volume, op);
    case 'rename': return applyRename(volume, op);
    case 'remove': return applyRemove(volume, op);
  }
}

function fail(error: FsError): OpResult {
  return { ok: false, error };
}

function directory(volume: VolumeState, id: number): Inode | FsError {
  const inode = volume.inodes[id];
  if (!inode) return 'stale';
  return inode.type === 'dir' ? inode : 'notdir';
}

function validName(name: string): boolean {
  return name.length > 0 && name !== '.' && name !== '..' && !name.includes('/') && utf8Length(name) <= MAX_NAME_BYTES;
}

function touch(inode: Inode, timeUs: number, dirty: 'all' | null = 'all'): void {
  inode.mtimeUs = timeUs;
  inode.ctimeUs = timeUs;
  if (dirty) inode.dirty = 'all';
}

function applyCreate(volume: VolumeState, op: Extract<LogOp, { op: 'create' }>): OpResult {
  const parent = directory(volume, op.dir);
  if (typeof parent === 'string') return fail(parent);
  if (!validName(op.name)) return fail('inval');
  if (op.name in parent.entries) return fail('exist');
  if (volume.inodes[op.fileId]) return fail('exist');
  const inode = newInode(op.fileId, op.generation, op.type, op.mode, op.timeUs);
  inode.uid = op.uid;
  inode.gid = op.gid;
  volume.inodes[op.fileId] = inode;
  volume.nextFileId = Math.max(volume.nextFileId, op.fileId + 1);
  parent.entries[op.name] = op.fileId;
  if (op.type === 'dir') parent.nlink += 1;
  touch(parent, op.timeUs);
  volume.dirty = true;
  return { ok: true, fileId: op.fileId, generation: op.generation };
}

function applyWrite(volume: VolumeState, op: Extract<LogOp, { op: 'write' }>): OpResult {
  const inode = volume.inodes[op.fileId];
  if (!inode) return fail('stale');
  if (inode.type !== 'file') return fail('isdir');
  const end = op.offset + op.data.length;
  if (op.offset < 0 || Math.ceil(end / BLOCK_BYTES) > MAX_FILE_BLOCKS) return fail('nospc');
  ensureCapacity(inode, end);
  inode.data.set(op.data, op.offset);
  const oldSize = inode.size;
  inode.size = Math.max(inode.size, end);
  const first = Math.floor(Math.min(op.offset, oldSize) / BLOCK_BYTES);
  const last = Math.ceil(end / BLOCK_BYTES);
  markBlocksDirty(inode, first, last);
  inode.mtimeUs = op.timeUs;
  inode.ctimeUs = op.timeUs;
  volume.dirty = true;
  return { ok: true, fileId: inode.id, generation: inode.generation };
}

/** Grows the buffer (doubling, so a file written in small appends is not copied at every write). */
function ensureCapacity(inode: Inode, bytes: number): void {
  if (inode.data.length >= bytes) return;
  const grown = new Uint8Array(Math.max(bytes, inode.data.length * 2, BLOCK_BYTES));
  grown.set(inode.data.subarray(0, inode.size));
  inode.data = grown;
}

/**
 * Adds blocks first..last-1 to the inode's dirty list, kept sorted and without repeats. A merge of the
 * sorted list with the range, not a Set and a sort: it runs for every write to a file already on disk.
 */
function markBlocksDirty(inode: Inode, first: number, last: number): void {
  if (inode.dirty === 'all') return;
  const before = inode.dirty ?? [];
  const after: number[] = [];
  let index = 0;
  while (index < before.length && before[index] < first) after.push(before[index++]);
  for (let block = first; block < last; block++) after.push(block);
  while (index < before.length && before[index] < last) index++;
  while (index < before.length) after.push(before[index++]);
  inode.dirty = after;
}

function applySetattr(volume: VolumeState, op: Extract<LogOp, { op: 'setattr' }>): OpResult {
  const inode = volume.inodes[op.fileId];
  if (!inode) return fail('stale');
  if (op.size !== null) {
    if (inode.type !== 'file') return fail('isdir');
    if (op.size < 0 || Math.ceil(op.size / BLOCK_BYTES) > MAX_FILE_BLOCKS) return fail('nospc');
    resize(inode, op.size);
    inode.mtimeUs = op.timeUs;
  }
  if (op.mode !== null) inode.mode = op.mode;
  if (op.uid !== null) inode.uid = op.uid;
  if (op.gid !== null) inode.gid = op.gid;
  if (op.mtimeUs !== null) inode.mtimeUs = op.mtimeUs;
  inode.ctimeUs = op.timeUs;
  if (inode.dirty === null) inode.dirty = [];
  volume.dirty = true;
  return { ok: true, fileId: inode.id, generation: inode.generation };
}

function resize(inode: Inode, size: number): void {
  if (size > inode.size) {
    ensureCapacity(inode, size);
    inode.data.fill(0, inode.size, size);
    markBlocksDirty(inode, Math.floor(inode.size / BLOCK_BYTES), Math.ceil(size / BLOCK_BYTES));
  } else {
    inode.data.fill(0, size, inode.size);
    if (size % BLOCK_BYTES !== 0) markBlocksDirty(inode, Math.floor(size / BLOCK_BYTES), Math.floor(size / BLOCK_BYTES) + 1);
  }
  inode.size = size;
}

function applyRename(volume: VolumeState, op: Extract<LogOp, { op: 'rename' }>): OpResult {
  const from = directory(volume, op.fromDir);
  if (typeof from === 'string') return fail(from);
  const to = directory(volume, op.toDir);
  if (typeof to === 'string') return fail(to);
  const movedId = from.entries[op.fromName];
  if (movedId === undefined) return fail('noent');
  if (!validName(op.toName)) return fail('inval');
  const moved = volume.inodes[movedId];
  if (moved.type === 'dir' && isWithin(volume, op.toDir, movedId)) return fail('inval');
  const replacedId = to.entries[op.toName];
  if (replacedId === movedId) return { ok: true, fileId: movedId, generation: moved.generation };
  if (replacedId !== undefined) {
    const replaced = volume.inodes[replacedId];
    if (replaced.type === 'dir' && moved.type !== 'dir') return fail('isdir');
    if (replaced.type !== 'dir' && moved.type === 'dir') return fail('notdir');
    if (replaced.type === 'dir' && Object.keys(replaced.entries).length > 0) return fail('notempty');
    unlink(volume, to, op.toName, op.timeUs);
  }
  delete from.entries[op.fromName];
  to.entries[op.toName] = movedId;
  if (moved.type === 'dir' && from !== to) {
    from.nlink -= 1;
    to.nlink += 1;
  }
  touch(from, op.timeUs);
  touch(to, op.timeUs);
  moved.ctimeUs = op.timeUs;
  if (moved.dirty === null) moved.dirty = [];
  volume.dirty = true;
  return { ok: true, fileId: movedId, generation: moved.generation };
}

/** Whether directory `id` is `ancestor` or lies below it (a directory may not move into itself). */
function isWithin(volume: VolumeState, id: number, ancestor: number): boolean {
  const stack = [ancestor];
  const seen = new Set<number>();
  while (stack.length > 0) {
    const current = stack.pop() as number;
    if (current === id) return true;
    if (seen.has(current)) continue;
    seen.add(current);
    const inode = volume.inodes[current];
    if (inode?.type === 'dir') stack.push(...Object.values(inode.entries));
  }
  return false;
}

function applyRemove(volume: VolumeState, op: Extract<LogOp, { op: 'remove' }>): OpResult {
  const parent = directory(volume, op.dir);
  if (typeof parent === 'string') return fail(parent);
  const id = parent.entries[op.name];
  if (id === undefined) return fail('noent');
  const inode = volume.inodes[id];
  if (inode.type === 'dir' && Object.keys(inode.entries).length > 0) return fail('notempty');
  unlink(volume, parent, op.name, op.timeUs);
  volume.dirty = true;
  return { ok: true, fileId: id, generation: inode.generation };
}

/** Removes a name; frees the inode when its last link goes (its blocks are freed at the next CP). */
function unlink(volume: VolumeState, parent: Inode, name: string, timeUs: number): void {
  const id = parent.entries[name];
  const inode = volume.inodes[id];
  delete parent.entries[name];
  touch(parent, timeUs);
  if (inode.type === 'dir') parent.nlink -= 1;
  inode.nlink = inode.type === 'dir' ? 0 : inode.nlink - 1;
  if (inode.nlink > 0) return;
  // Two loops, not a spread of both lists into a new array: every remove of a written file runs this.
  for (const pointer of inode.blocks) volume.orphanBlocks.push(pointer.vbn);
  for (const pointer of inode.indirect) volume.orphanBlocks.push(pointer.vbn);
  delete volume.inodes[id];
}
