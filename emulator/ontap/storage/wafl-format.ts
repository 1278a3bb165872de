// On-disk formats of the write-anywhere file system, as real bytes: the fsinfo root block, inode
// records, indirect blocks, directory streams and RAID labels. Every pointer carries the CRC-32 of the
// block it points to, so mount and fsck can tell a good block from a torn or corrupted one.
import { BLOCK_BYTES } from '../../hardware/scsi.ts';
import { ByteReader, ByteWriter, textBytes } from './bytes.ts';
import { crc32 } from './checksum.ts';
import { encodeUtf8, utf8Length } from './utf8.ts';

export interface BlockPointer {
  readonly vbn: number;
  readonly crc: number;
}

export type InodeType = 'file' | 'dir';

export const INODE_BYTES = 256;
export const INODES_PER_BLOCK = BLOCK_BYTES / INODE_BYTES;
/** Pointers an inode holds itself; beyond that it points to indirect blocks. */
export const INODE_POINTERS = 24;
export const POINTERS_PER_INDIRECT = (BLOCK_BYTES - 8) / 8;
/** The largest file, in blocks: every inode pointer to a full indirect block. */
export const MAX_FILE_BLOCKS = INODE_POINTERS * POINTERS_PER_INDIRECT;

const TYPE_CODES: Record<InodeType, number> = { file: 1, dir: 2 };
const MAGIC_INDIRECT = 0x52444e49; // 'INDR'
const MAGIC_FSINFO = 0x4e495346; // 'FSIN'
const MAGIC_LABEL = 0x4c424c52; // 'RLBL'
const MAGIC_VOLUME_SETTINGS = 0x54455356; // 'VSET'
const FORMAT_VERSION = 1;

/** The fields of an inode that go to disk (the buffer-cache copy adds data and dirty marks). */
export interface InodeRecord {
  readonly id: number;
  readonly generation: number;
  readonly type: InodeType;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly nlink: number;
  readonly size: number;
  readonly atimeUs: number;
  readonly mtimeUs: number;
  readonly ctimeUs: number;
  /** Level 0: `pointers` are the data blocks. Level 1: they are indirect blocks. */
  readonly level: 0 | 1;
  readonly pointers: readonly BlockPointer[];
}

export function encodeInode(record: InodeRecord, target: Uint8Array): void {
  if (record.pointers.length > INODE_POINTERS) throw new Error(`inode ${record.id}: ${record.pointers.length} pointers`);
  const writer = new ByteWriter(target);
  writer.u8(TYPE_CODES[record.type]);
  writer.u8(record.level);
  writer.u16(0);
  writer.u32(record.id);
  writer.u32(record.generation);
  writer.u32(record.mode);
  writer.u32(record.uid);
  writer.u32(record.gid);
  writer.u32(record.nlink);
  writer.u64(record.size);
  writer.u64(record.atimeUs);
  writer.u64(record.mtimeUs);
  writer.u64(record.ctimeUs);
  writer.u32(record.pointers.length);
  for (const pointer of record.pointers) {
    writer.u32(pointer.vbn);
    writer.u32(pointer.crc);
  }
}

/** Decodes an inode record; null for a free slot; a string for a malformed one. */
export function decodeInode(bytes: Uint8Array): InodeRecord | null | string {
  const reader = new ByteReader(bytes);
  const code = reader.u8();
  if (code === 0) return null;
  const type: InodeType | undefined = code === 1 ? 'file' : code === 2 ? 'dir' : undefined;
  if (!type) return `bad inode type ${code}`;
  const level = reader.u8();
  if (level !== 0 && level !== 1) return `bad inode level ${level}`;
  reader.u16();
  const id = reader.u32();
  const generation = reader.u32();
  const mode = reader.u32();
  const uid = reader.u32();
  const gid = reader.u32();
  const nlink = reader.u32();
  const size = reader.u64();
  const atimeUs = reader.u64();
  const mtimeUs = reader.u64();
  const ctimeUs = reader.u64();
  const count = reader.u32();
  if (count > INODE_POINTERS) return `inode ${id}: ${count} pointers`;
  const pointers: BlockPointer[] = [];
  for (let index = 0; index < count; index++) pointers.push({ vbn: reader.u32(), crc: reader.u32() });
  return { id, generation, type, mode, uid, gid, nlink, size, atimeUs, mtimeUs, ctimeUs, level, pointers };
}

export function encodeIndirect(pointers: readonly BlockPointer[]): Uint8Array {
  if (pointers.length > POINTERS_PER_INDIRECT) throw new Error(`indirect block: ${pointers.length} pointers`);
  const block = new Uint8Array(BLOCK_BYTES);
  const writer = new ByteWriter(block);
  writer.u32(MAGIC_INDIRECT);
  writer.u32(pointers.length);
  for (const pointer of pointers) {
    writer.u32(pointer.vbn);
    writer.u32(pointer.crc);
  }
  return block;
}

export function decodeIndirect(block: Uint8Array): BlockPointer[] | string {
  const reader = new ByteReader(block);
  if (reader.u32() !== MAGIC_INDIRECT) return 'indirect block has a bad magic number';
  const count = reader.u32();
  if (count > POINTERS_PER_INDIRECT) return `indirect block claims ${count} pointers`;
  const pointers: BlockPointer[] = [];
  for (let index = 0; index < count; index++) pointers.push({ vbn: reader.u32(), crc: reader.u32() });
  return pointers;
}

/** A directory's content as a byte stream: (file id u32, name) pairs, ending with file id 0. */
export function encodeDirectory(entries: Record<string, number>): Uint8Array {
  const names = Object.keys(entries).sort();
  let length = 4;
  const encoded = names.map((name) => encodeUtf8(name));
  for (const name of encoded) length += 6 + name.length;
  const bytes = new Uint8Array(length);
  const view = new DataView(bytes.buffer);
  let offset = 0;
  names.forEach((name, index) => {
    view.setUint32(offset, entries[name], true);
    view.setUint16(offset + 4, encoded[index].length, true);
    bytes.set(encoded[index], offset + 6);
    offset += 6 + encoded[index].length;
  });
  view.setUint32(offset, 0, true);
  return bytes;
}

/** encodeDirectory(entries).length, without sorting or encoding the names (a CP sizes every directory). */
export function directoryBytes(entries: Record<string, number>): number {
  let length = 4;
  for (const name in entries) length += 6 + utf8Length(name);
  return length;
}

export function decodeDirectory(bytes: Uint8Array): Record<string, number> | string {
  const entries: Record<string, number> = {};
  const reader = new ByteReader(bytes);
  for (;;) {
    if (reader.offset + 4 > bytes.length) return 'directory stream has no end marker';
    const fileId = reader.u32();
    if (fileId === 0) return entries;
    try {
      entries[reader.text()] = fileId;
    } catch {
      return 'directory entry runs past the end';
    }
  }
}

/** One volume as the fsinfo block describes it. */
export interface FsinfoVolume {
  readonly name: string;
  readonly fsid: number;
  readonly sizeBytes: number;
  readonly nextFileId: number;
  /** The inode file's own inode (its pointers lead to the inode records). */
  readonly inodeFile: InodeRecord;
  /** What the operator set: `vol offline`, `snap reserve`, `vol options`; absent: the defaults. */
  readonly settings?: VolumeSettings;
  /** The volume's snapshots: each the root of a frozen tree (its inode file) taken at a CP. */
  readonly snapshots?: readonly SnapshotRoot[];
  /** `snap sched` as typed (`0 2 6@8,12,16,20`); absent: no schedule. */
  readonly snapSchedule?: string;
}

export interface SnapshotRoot {
  readonly name: string;
  readonly id: number;
  readonly createdUs: number;
  readonly nextFileId: number;
  /** The snapshot's inode file (its size, level and pointers; the other fields are not stored). */
  readonly inodeFile: InodeRecord;
}

export interface VolumeSettings {
  readonly offline: boolean;
  /** Percent; absent: the default. */
  readonly snapReserve?: number;
  readonly options: Readonly<Record<string, string>>;
}

/** Whether these settings are all defaults (then nothing is written for them). */
function defaultSettings(settings: VolumeSettings | undefined): boolean {
  return !settings || (!settings.offline && settings.snapReserve === undefined && Object.keys(settings.options).length === 0);
}

/**
 * The volumes' settings follow the volume list, only when one has any: an fsinfo without them is byte for
 * byte what it was before they existed (and reads back as all defaults, the rest of the block being zeros).
 */
function writeSettings(writer: ByteWriter, volumes: readonly FsinfoVolume[]): void {
  const set = volumes.filter((volume) => !defaultSettings(volume.settings));
  if (set.length === 0) return;
  writer.u32(MAGIC_VOLUME_SETTINGS);
  writer.u32(set.length);
  for (const volume of set) {
    const settings = volume.settings as VolumeSettings;
    const options = Object.entries(settings.options).sort(([a], [b]) => (a < b ? -1 : 1));
    if (writer.room() < 64 + options.reduce((sum, [key, value]) => sum + key.length + value.length + 8, 0)) throw new Error('fsinfo: too many volume settings for one block');
    writer.text(volume.name);
    writer.u8(settings.offline ? 1 : 0);
    writer.u8(settings.snapReserve ?? 255);
    writer.u32(options.length);
    for (const [key, value] of options) { writer.text(key); writer.text(value); }
  }
}

function readSettings(reader: ByteReader, volumes: FsinfoVolume[]): FsinfoVolume[] {
  const start = reader.offset;
  if (reader.offset + 8 > BLOCK_BYTES - 4 || reader.u32() !== MAGIC_VOLUME_SETTINGS) { reader.offset = start; return volumes; }
  const settings = new Map<string, VolumeSettings>();
  const count = Math.min(reader.u32(), volumes.length);
  for (let index = 0; index < count; index++) {
    const name = reader.text();
    const offline = reader.u8() === 1;
    const reserve = reader.u8();
    const options: Record<string, string> = {};
    const optionCount = Math.min(reader.u32(), 64);
    for (let option = 0; option < optionCount; option++) options[reader.text()] = reader.text();
    settings.set(name, { offline, ...(reserve === 255 ? {} : { snapReserve: reserve }), options });
  }
  return volumes.map((volume) => (settings.has(volume.name) ? { ...volume, settings: settings.get(volume.name) } : volume));
}

const MAGIC_SNAPSHOTS = 0x50414e53; // 'SNAP'
/** More than a volume may hold (the product's limit): a count beyond it is not a snapshot list. */
export const SNAPSHOTS_PER_VOLUME_MAX = 255;

/**
 * The snapshot section follows the settings, only for volumes with snapshots or a schedule: each
 * snapshot's name, id, time and the pointers of its frozen inode file. A volume without any writes none.
 */
function writeSnapshots(writer: ByteWriter, volumes: readonly FsinfoVolume[]): void {
  const listed = volumes.filter((volume) => (volume.snapshots?.length ?? 0) > 0 || volume.snapSchedule !== undefined);
  if (listed.length === 0) return;
  writer.u32(MAGIC_SNAPSHOTS);
  writer.u32(listed.length);
  for (const volume of listed) {
    writer.text(volume.name);
    writer.text(volume.snapSchedule ?? '');
    writer.u32(volume.snapshots?.length ?? 0);
    for (const snapshot of volume.snapshots ?? []) {
      if (writer.room() < 64 + textBytes(snapshot.name) + snapshot.inodeFile.pointers.length * 8) throw new Error('fsinfo: too many snapshots for one block');
      writer.text(snapshot.name);
      writer.u32(snapshot.id);
      writer.u64(snapshot.createdUs);
      writer.u32(snapshot.nextFileId);
      writer.u64(snapshot.inodeFile.size);
      writer.u8(snapshot.inodeFile.level);
      writer.u8(snapshot.inodeFile.pointers.length);
      for (const pointer of snapshot.inodeFile.pointers) { writer.u32(pointer.vbn); writer.u32(pointer.crc); }
    }
  }
}

function readSnapshots(reader: ByteReader, volumes: FsinfoVolume[]): FsinfoVolume[] | string {
  if (reader.offset + 8 > BLOCK_BYTES - 4 || reader.u32() !== MAGIC_SNAPSHOTS) return volumes;
  const byVolume = new Map<string, Pick<FsinfoVolume, 'snapshots' | 'snapSchedule'>>();
  const count = Math.min(reader.u32(), volumes.length);
  try {
    for (let index = 0; index < count; index++) {
      const name = reader.text();
      const schedule = reader.text();
      const snapshots: SnapshotRoot[] = [];
      const snapshotCount = reader.u32();
      if (snapshotCount > SNAPSHOTS_PER_VOLUME_MAX) return `fsinfo: volume ${name} claims ${snapshotCount} snapshots`;
      for (let snapshot = 0; snapshot < snapshotCount; snapshot++) snapshots.push(readSnapshotRoot(reader));
      byVolume.set(name, { snapshots, ...(schedule === '' ? {} : { snapSchedule: schedule }) });
    }
  } catch {
    return 'fsinfo: the snapshot list runs past the block';
  }
  return volumes.map((volume) => (byVolume.has(volume.name) ? { ...volume, ...byVolume.get(volume.name) } : volume));
}

function readSnapshotRoot(reader: ByteReader): SnapshotRoot {
  const name = reader.text();
  const id = reader.u32();
  const createdUs = reader.u64();
  const nextFileId = reader.u32();
  const size = reader.u64();
  const level = reader.u8() === 1 ? 1 : 0;
  const pointerCount = Math.min(reader.u8(), INODE_POINTERS);
  const pointers: BlockPointer[] = [];
  for (let index = 0; index < pointerCount; index++) pointers.push({ vbn: reader.u32(), crc: reader.u32() });
  const inodeFile: InodeRecord = {
    id: 1, generation: 1, type: 'file', mode: 0o600, uid: 0, gid: 0, nlink: 1, size, atimeUs: createdUs, mtimeUs: createdUs, ctimeUs: createdUs, level, pointers,
  };
  return { name, id, createdUs, nextFileId, inodeFile };
}

/** The root of a consistency point, written last, at a fixed place (two slots, by generation parity). */
export interface Fsinfo {
  readonly aggregate: string;
  readonly generation: number;
  /** Highest NVRAM log sequence number the CP contains: replay starts after it. */
  readonly cpSeq: number;
  readonly timeUs: number;
  readonly volumes: readonly FsinfoVolume[];
}

export function encodeFsinfo(info: Fsinfo): Uint8Array {
  const block = new Uint8Array(BLOCK_BYTES);
  const writer = new ByteWriter(block);
  writer.u32(MAGIC_FSINFO);
  writer.u32(FORMAT_VERSION);
  writer.text(info.aggregate);
  writer.u64(info.generation);
  writer.u64(info.cpSeq);
  writer.u64(info.timeUs);
  writer.u32(info.volumes.length);
  for (const volume of info.volumes) {
    if (writer.room() < INODE_BYTES + 64) throw new Error('fsinfo: too many volumes for one block');
    writer.text(volume.name);
    writer.u32(volume.fsid);
    writer.u64(volume.sizeBytes);
    writer.u32(volume.nextFileId);
    encodeInode(volume.inodeFile, block.subarray(writer.offset, writer.offset + INODE_BYTES));
    writer.offset += INODE_BYTES;
  }
  writeSettings(writer, info.volumes);
  writeSnapshots(writer, info.volumes);
  new DataView(block.buffer).setUint32(BLOCK_BYTES - 4, crc32(block, 0, BLOCK_BYTES - 4), true);
  return block;
}

export function decodeFsinfo(block: Uint8Array): Fsinfo | string {
  const view = new DataView(block.buffer, block.byteOffset, block.byteLength);
  if (view.getUint32(0, true) !== MAGIC_FSINFO) return 'no fsinfo';
  if (view.getUint32(BLOCK_BYTES - 4, true) !== crc32(block, 0, BLOCK_BYTES - 4)) return 'fsinfo checksum mismatch';
  const reader = new ByteReader(block);
  reader.offset = 8;
  const aggregate = reader.text();
  const generation = reader.u64();
  const cpSeq = reader.u64();
  const timeUs = reader.u64();
  const count = reader.u32();
  const volumes: FsinfoVolume[] = [];
  for (let index = 0; index < count; index++) {
    const name = reader.text();
    const fsid = reader.u32();
    const sizeBytes = reader.u64();
    const nextFileId = reader.u32();
    const inodeFile = decodeInode(block.subarray(reader.offset, reader.offset + INODE_BYTES));
    reader.offset += INODE_BYTES;
    if (inodeFile === null || typeof inodeFile === 'string') return `fsinfo: volume ${name} has a bad inode file`;
    volumes.push({ name, fsid, sizeBytes, nextFileId, inodeFile });
  }
  const withSnapshots = readSnapshots(reader, readSettings(reader, volumes));
  if (typeof withSnapshots === 'string') return withSnapshots;
  return { aggregate, generation, cpSeq, timeUs, volumes: withSnapshots };
}

/** The RAID label in block 0 of every owned disk: which aggregate, group and position it holds. */
export interface RaidLabel {
  /** Empty for a spare. */
  readonly aggregate: string;
  readonly group: number;
  readonly position: number;
  /** The group's members by position at the time of writing. */
  readonly members: readonly string[];
  readonly stripes: number;
  /** Raised each time the group's membership changes (reconstruction onto a spare). */
  readonly generation: number;
  readonly root: boolean;
  /** The spare was zeroed. */
  readonly zeroed: boolean;
  /**
   * The disks the filer held failed when it wrote this label (its failed-disk registry): they stay
   * failed across a reboot instead of coming back as spares. Written last; none writes zero bytes, so a
   * label without failures is byte for byte what it was before this field.
   */
  readonly failed?: readonly string[];
  /**
   * Where the group's VBNs lie, written only once the aggregate's groups no longer follow each other
   * in order (an `aggr add` grew a group): its first VBN and the runs added disks brought.
   */
  readonly layout?: { readonly baseVbn: number; readonly extents: readonly { readonly firstPosition: number; readonly baseVbn: number }[] };
  /** `aggr offline` and `aggr options`: kept with the disks, as the product keeps them; absent: defaults. */
  readonly settings?: AggregateSettings;
}

export interface AggregateSettings {
  readonly offline: boolean;
  readonly options: Readonly<Record<string, string>>;
}

const MAGIC_LAYOUT = 0x5459414c; // 'LAYT'
const MAGIC_AGGREGATE_SETTINGS = 0x54455341; // 'ASET'
/** Bounds on what a label may claim (more than any lab has). */
const EXTENTS_IN_LABEL_MAX = 64;
const OPTIONS_IN_LABEL_MAX = 64;

/** More than any lab's disks: a count beyond it is not a registry. */
const FAILED_IN_LABEL_MAX = 256;

export function encodeLabel(label: RaidLabel): Uint8Array {
  const block = new Uint8Array(BLOCK_BYTES);
  const writer = new ByteWriter(block);
  writer.u32(MAGIC_LABEL);
  writer.text(label.aggregate);
  writer.u32(label.group);
  writer.u32(label.position);
  writer.u32(label.members.length);
  for (const member of label.members) writer.text(member);
  writer.u64(label.stripes);
  writer.u32(label.generation);
  writer.u8(label.root ? 1 : 0);
  writer.u8(label.zeroed ? 1 : 0);
  writer.u32(label.failed?.length ?? 0);
  for (const disk of label.failed ?? []) writer.text(disk);
  // Both sections follow only when present: a label without them is byte for byte what it was before.
  if (label.layout) {
    writer.u32(MAGIC_LAYOUT);
    writer.u64(label.layout.baseVbn);
    writer.u32(label.layout.extents.length);
    for (const extent of label.layout.extents) { writer.u32(extent.firstPosition); writer.u64(extent.baseVbn); }
  }
  if (label.settings && (label.settings.offline || Object.keys(label.settings.options).length > 0)) {
    const options = Object.entries(label.settings.options).sort(([a], [b]) => (a < b ? -1 : 1));
    writer.u32(MAGIC_AGGREGATE_SETTINGS);
    writer.u8(label.settings.offline ? 1 : 0);
    writer.u32(options.length);
    for (const [key, value] of options) { writer.text(key); writer.text(value); }
  }
  new DataView(block.buffer).setUint32(BLOCK_BYTES - 4, crc32(block, 0, BLOCK_BYTES - 4), true);
  return block;
}

export function decodeLabel(block: Uint8Array): RaidLabel | null {
  const view = new DataView(block.buffer, block.byteOffset, block.byteLength);
  if (view.getUint32(0, true) !== MAGIC_LABEL) return null;
  if (view.getUint32(BLOCK_BYTES - 4, true) !== crc32(block, 0, BLOCK_BYTES - 4)) return null;
  const reader = new ByteReader(block);
  reader.offset = 4;
  const aggregate = reader.text();
  const group = reader.u32();
  const position = reader.u32();
  const count = reader.u32();
  const members: string[] = [];
  for (let index = 0; index < count; index++) members.push(reader.text());
  const stripes = reader.u64();
  const generation = reader.u32();
  const root = reader.u8() === 1;
  const zeroed = reader.u8() === 1;
  const failedCount = reader.u32();
  const failed: string[] = [];
  for (let index = 0; index < Math.min(failedCount, FAILED_IN_LABEL_MAX); index++) failed.push(reader.text());
  let magic = reader.u32();
  let layout: RaidLabel['layout'];
  if (magic === MAGIC_LAYOUT) {
    const baseVbn = reader.u64();
    const extents: { firstPosition: number; baseVbn: number }[] = [];
    const extentCount = Math.min(reader.u32(), EXTENTS_IN_LABEL_MAX);
    for (let index = 0; index < extentCount; index++) extents.push({ firstPosition: reader.u32(), baseVbn: reader.u64() });
    layout = { baseVbn, extents };
    magic = reader.u32();
  }
  let settings: AggregateSettings | undefined;
  if (magic === MAGIC_AGGREGATE_SETTINGS) {
    const offline = reader.u8() === 1;
    const options: Record<string, string> = {};
    const optionCount = Math.min(reader.u32(), OPTIONS_IN_LABEL_MAX);
    for (let index = 0; index < optionCount; index++) options[reader.text()] = reader.text();
    settings = { offline, options };
  }
  return {
    aggregate, group, position, members, stripes, generation, root, zeroed,
    ...(failed.length > 0 ? { failed } : {}), ...(layout ? { layout } : {}), ...(settings ? { settings } : {}),
  };
}
