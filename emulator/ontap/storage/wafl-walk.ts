// Walking a committed consistency point on disk (pure, in rounds): from the fsinfo root to the inode
// files, the inodes' indirect blocks and their data. Each round names the blocks it needs; the caller
// reads them (through RAID) and hands them back. Mount turns the result into the buffer cache; fsck
// checks it. Every block is checked against the CRC its pointer carries.
import { BLOCK_BYTES } from '../../hardware/scsi.ts';
import { crc32 } from './checksum.ts';
import { FIRST_FILE_ID, ROOT_FILE_ID } from './wafl-fs.ts';
import { parseSchedule } from './snapshot-schedule.ts';
import { snapshotFromDisk } from './snapshot-tree.ts';
import type { Inode, Snapshot, VolumeState } from './types.ts';
import {
  decodeDirectory, decodeIndirect, decodeInode, INODE_BYTES, POINTERS_PER_INDIRECT,
  type BlockPointer, type Fsinfo, type InodeRecord, type SnapshotRoot,
} from './wafl-format.ts';

/** Why a block is read. `file` 0 is the inode file itself. */
export interface WalkItem {
  readonly vbn: number;
  readonly crc: number;
  readonly role: 'indirect' | 'data';
  readonly volume: string;
  readonly file: number;
  /** For data: the file block index; for indirect: the indirect slot. */
  readonly index: number;
}

export interface WalkFile {
  readonly record: InodeRecord;
  /** Data block pointers, by index (filled from the inode or from its indirect blocks). */
  pointers: BlockPointer[];
  blocks: Record<number, Uint8Array>;
}

export interface WalkVolume {
  readonly inodeFile: WalkFile;
  files: Record<number, WalkFile>;
  parsed: boolean;
}

export interface WalkState {
  readonly fsinfo: Fsinfo;
  volumes: Record<string, WalkVolume>;
  pending: WalkItem[];
  problems: string[];
  blocksChecked: number;
  /** Every VBN the image references, for the allocator (and fsck's double-use check). */
  referenced: number[];
  /** Snapshot trees walked with the volumes (mount only), by walk name `<volume>@<snapshot>`. */
  snapshotTrees: Record<string, { readonly volume: string; readonly root: SnapshotRoot }>;
  /** VBNs the snapshot trees reference (shared with the active tree, so kept apart from `referenced`). */
  heldReferenced: number[];
}

function itemsFor(volume: string, file: number, record: InodeRecord): WalkItem[] {
  return record.pointers.map((pointer, index) => ({
    vbn: pointer.vbn, crc: pointer.crc, role: record.level === 1 ? 'indirect' : 'data', volume, file, index,
  }));
}

/** Starts a walk of the image; `withSnapshots`: the volumes' snapshot trees too (mount reads them back). */
export function startWalk(fsinfo: Fsinfo, withSnapshots = false): WalkState {
  const walk: WalkState = { fsinfo, volumes: {}, pending: [], problems: [], blocksChecked: 0, referenced: [], snapshotTrees: {}, heldReferenced: [] };
  const addTree = (name: string, record: InodeRecord): void => {
    const inodeFile: WalkFile = { record, pointers: [], blocks: {} };
    if (record.level === 0) inodeFile.pointers = [...record.pointers];
    walk.volumes[name] = { inodeFile, files: {}, parsed: false };
    walk.pending.push(...itemsFor(name, 0, record));
  };
  for (const volume of fsinfo.volumes) {
    addTree(volume.name, volume.inodeFile);
    if (!withSnapshots) continue;
    for (const root of volume.snapshots ?? []) {
      walk.snapshotTrees[`${volume.name}@${root.name}`] = { volume: volume.name, root };
      addTree(`${volume.name}@${root.name}`, root.inodeFile);
    }
  }
  return walk;
}

function fileOf(walk: WalkState, item: WalkItem): WalkFile | undefined {
  const volume = walk.volumes[item.volume];
  return item.file === 0 ? volume.inodeFile : volume.files[item.file];
}

/** Takes the blocks of one round (`null`: unreadable); returns the blocks the next round needs. */
export function absorbRound(walk: WalkState, round: readonly WalkItem[], blocks: readonly (Uint8Array | null)[]): WalkItem[] {
  const next: WalkItem[] = [];
  round.forEach((item, position) => {
    const block = blocks[position];
    const file = fileOf(walk, item);
    if (!file) return;
    walk.blocksChecked += 1;
    (Object.hasOwn(walk.snapshotTrees, item.volume) ? walk.heldReferenced : walk.referenced).push(item.vbn);
    const where = `${item.volume}: ${item.file === 0 ? 'inode file' : `inode ${item.file}`} ${item.role} block ${item.index} (vbn ${item.vbn})`;
    if (!block) { walk.problems.push(`${where} is unreadable`); return; }
    if (crc32(block) !== item.crc) { walk.problems.push(`${where} has a checksum mismatch`); return; }
    if (item.role === 'data') { file.blocks[item.index] = block; return; }
    const pointers = decodeIndirect(block);
    if (typeof pointers === 'string') { walk.problems.push(`${where}: ${pointers}`); return; }
    pointers.forEach((pointer, offset) => {
      const index = item.index * POINTERS_PER_INDIRECT + offset;
      file.pointers[index] = pointer;
      next.push({ vbn: pointer.vbn, crc: pointer.crc, role: 'data', volume: item.volume, file: item.file, index });
    });
  });
  for (const [name, volume] of Object.entries(walk.volumes)) {
    if (volume.parsed || next.some((item) => item.volume === name && item.file === 0)) continue;
    next.push(...parseInodeFile(walk, name, volume));
  }
  return next;
}

function contentOf(file: WalkFile): Uint8Array {
  const content = new Uint8Array(file.record.size);
  const count = Math.ceil(file.record.size / BLOCK_BYTES);
  for (let index = 0; index < count; index++) {
    const block = file.blocks[index];
    if (block) content.set(block.subarray(0, Math.min(BLOCK_BYTES, file.record.size - index * BLOCK_BYTES)), index * BLOCK_BYTES);
  }
  return content;
}

function parseInodeFile(walk: WalkState, name: string, volume: WalkVolume): WalkItem[] {
  volume.parsed = true;
  const content = contentOf(volume.inodeFile);
  const items: WalkItem[] = [];
  for (let id = 1; (id + 1) * INODE_BYTES <= content.length; id++) {
    const record = decodeInode(content.subarray(id * INODE_BYTES, (id + 1) * INODE_BYTES));
    if (record === null) continue;
    if (typeof record === 'string') { walk.problems.push(`${name}: inode ${id}: ${record}`); continue; }
    if (record.id !== id) { walk.problems.push(`${name}: inode slot ${id} holds inode ${record.id}`); continue; }
    volume.files[id] = { record, pointers: record.level === 0 ? [...record.pointers] : [], blocks: {} };
    items.push(...itemsFor(name, id, record));
  }
  return items;
}

/** The inodes of one walked tree (a volume's, or a snapshot's), content and pointers filled in. */
function inodesFromWalk(walk: WalkState, name: string): Record<number, Inode> {
  const walked = walk.volumes[name];
  const inodes: Record<number, Inode> = {};
  for (const [id, file] of Object.entries(walked.files)) {
    const record = file.record;
    const content = contentOf(file);
    const entries = record.type === 'dir' ? decodeDirectory(content) : {};
    if (typeof entries === 'string') walk.problems.push(`${name}: directory ${id}: ${entries}`);
    inodes[Number(id)] = {
      id: record.id, generation: record.generation, type: record.type, mode: record.mode, uid: record.uid, gid: record.gid,
      nlink: record.nlink, size: record.type === 'dir' ? 0 : record.size,
      atimeUs: record.atimeUs, mtimeUs: record.mtimeUs, ctimeUs: record.ctimeUs,
      data: record.type === 'dir' ? new Uint8Array(0) : content, entries: typeof entries === 'string' ? {} : entries,
      blocks: file.pointers.slice(), indirect: record.level === 1 ? [...record.pointers] : [], dirty: null,
    };
  }
  return inodes;
}

/** The volume's snapshots read back with it, oldest first. */
function snapshotsFromWalk(walk: WalkState, volume: string): Snapshot[] {
  return Object.entries(walk.snapshotTrees)
    .filter(([, tree]) => tree.volume === volume)
    .map(([name, tree]) => snapshotFromDisk(tree.root, inodesFromWalk(walk, name), walk.volumes[name].inodeFile.pointers.slice()));
}

/** Builds the buffer cache of one volume from a finished walk. */
export function volumeFromWalk(walk: WalkState, name: string, aggregate: string): VolumeState {
  const info = walk.fsinfo.volumes.find((volume) => volume.name === name);
  if (!info) throw new Error(`walk has no volume ${name}`);
  const inodes = inodesFromWalk(walk, name);
  const inodeFile = walk.volumes[name].inodeFile;
  const snapshots = snapshotsFromWalk(walk, name);
  const schedule = info.snapSchedule === undefined ? null : parseSchedule(info.snapSchedule.split(' '));
  const settings = info.settings;
  return {
    name, aggregate, fsid: info.fsid, sizeBytes: info.sizeBytes, status: settings?.offline ? 'offline' : 'online',
    ...(settings?.offline ? { adminOffline: true } : {}),
    ...(settings?.snapReserve === undefined ? {} : { snapReserve: settings.snapReserve }),
    ...(settings && Object.keys(settings.options).length > 0 ? { options: { ...settings.options } } : {}),
    inconsistent: walk.problems.some((problem) => problem.startsWith(`${name}:`)),
    inodes, nextFileId: Math.max(info.nextFileId, FIRST_FILE_ID),
    inodeFile: { blocks: inodeFile.pointers.slice(), indirect: info.inodeFile.level === 1 ? [...info.inodeFile.pointers] : [] },
    dirty: false, orphanBlocks: [],
    ...(snapshots.length > 0 ? { snapshots } : {}),
    ...(schedule ? { snapSchedule: schedule } : {}),
  };
}

/** Logical checks over a volume: references, link counts, reachability (fsck's second pass). */
export function checkVolume(volume: VolumeState): string[] {
  const problems: string[] = [];
  const root = volume.inodes[ROOT_FILE_ID];
  if (!root || root.type !== 'dir') return [`${volume.name}: root directory missing`];
  const reached = new Set<number>([ROOT_FILE_ID]);
  const links: Record<number, number> = {};
  const stack = [ROOT_FILE_ID];
  while (stack.length > 0) {
    const dir = volume.inodes[stack.pop() as number];
    for (const [entry, id] of Object.entries(dir.entries)) {
      const child = volume.inodes[id];
      if (!child) { problems.push(`${volume.name}: directory ${dir.id} entry '${entry}' names free inode ${id}`); continue; }
      links[id] = (links[id] ?? 0) + 1;
      if (child.type === 'dir' && reached.has(id)) { problems.push(`${volume.name}: directory ${id} is linked twice`); continue; }
      if (!reached.has(id)) { reached.add(id); if (child.type === 'dir') stack.push(id); }
    }
  }
  for (const inode of Object.values(volume.inodes)) {
    if (!reached.has(inode.id)) { problems.push(`${volume.name}: inode ${inode.id} is not in any directory`); continue; }
    const expected = inode.type === 'dir'
      ? 2 + Object.values(inode.entries).filter((id) => volume.inodes[id]?.type === 'dir').length
      : links[inode.id] ?? 0;
    if (inode.nlink !== expected) problems.push(`${volume.name}: inode ${inode.id} has link count ${inode.nlink}, expected ${expected}`);
    if (inode.type === 'file' && inode.data.length < inode.size) problems.push(`${volume.name}: inode ${inode.id} is shorter than its size`);
  }
  return problems;
}

/** Blocks referenced twice (by two inodes, or twice by one). */
export function doubleReferences(walk: WalkState): number[] {
  const seen = new Set<number>();
  const doubles: number[] = [];
  for (const vbn of walk.referenced) {
    if (seen.has(vbn)) doubles.push(vbn);
    seen.add(vbn);
  }
  return doubles;
}
