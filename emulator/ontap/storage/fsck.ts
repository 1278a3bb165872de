// The consistency checker: walks a volume's committed image on disk (every block against the checksum
// its pointer carries, indirect blocks, inode records, directories), checks the result's references and
// link counts, and checks the in-memory file system the same way. And the fault it exists to find:
// `fault <filer> fs-corrupt <volume>` damages both the on-disk root directory block and the in-memory
// directory tree.
import { logEms } from '../ems.ts';
import { BLOCK_BYTES } from '../../hardware/scsi.ts';
import { issue, openBatch, type StorageEnv } from './io.ts';
import { diskLba, locateVbn, ROOT_STRIPES, vbnAt, dataWidth } from './raid-layout.ts';
import type { FsckReport, IoBatch, StorageState } from './types.ts';
import { readVbns, resolveVbnBatch } from './vbn-read.ts';
import { ROOT_FILE_ID } from './wafl-fs.ts';
import { decodeFsinfo, type Fsinfo } from './wafl-format.ts';
import { absorbRound, checkVolume, doubleReferences, startWalk, volumeFromWalk, type WalkItem, type WalkState } from './wafl-walk.ts';

/** Starts fsck of a volume; the report fills in as the walk proceeds (`done` at the end). */
export function startFsck(state: StorageState, env: StorageEnv, volumeName: string): number | 'no-such-volume' {
  const volume = state.volumes[volumeName];
  const aggregate = volume ? state.aggregates[volume.aggregate] : undefined;
  if (!volume || !aggregate) return 'no-such-volume';
  const fsckId = state.nextFsckId++;
  const report: FsckReport = { volume: volumeName, done: false, problems: [], inodesChecked: 0, blocksChecked: 0 };
  state.fsck[fsckId] = report;
  report.problems.push(...checkVolume(volume).map((problem) => `in memory: ${problem}`));
  const group = aggregate.raidGroups[0];
  const vbns: number[] = [];
  for (let stripe = 0; stripe < ROOT_STRIPES; stripe++) {
    for (let position = 0; position < dataWidth(group); position++) vbns.push(vbnAt(group, stripe, position));
  }
  readVbns(state, env, { kind: 'fsck', volume: volumeName, fsckId }, aggregate.name, vbns, { stage: 'root' });
  return fsckId;
}

export function fsckRead(state: StorageState, env: StorageEnv, batch: IoBatch): void {
  if (batch.purpose.kind !== 'fsck') return;
  const report = state.fsck[batch.purpose.fsckId];
  const blocks = resolveVbnBatch(state, env, batch);
  if (blocks === 'retrying' || !report) return;
  const aggregate = batch.carry.aggregate as string;
  if (batch.carry.stage === 'root') {
    let best: Fsinfo | null = null;
    for (const block of blocks) {
      const info = block ? decodeFsinfo(block) : null;
      if (info && typeof info !== 'string' && (!best || info.generation > best.generation)) best = info;
    }
    const volume = best?.volumes.find((candidate) => candidate.name === report.volume);
    if (!best || !volume) { report.problems.push(`on disk: no fsinfo names volume ${report.volume}`); report.done = true; return; }
    const walk = startWalk({ ...best, volumes: [volume] });
    continueWalk(state, env, batch.purpose.fsckId, aggregate, walk, walk.pending.length > 0 ? walk.pending : absorbRound(walk, [], []));
    return;
  }
  const walk = batch.carry.walk as WalkState;
  continueWalk(state, env, batch.purpose.fsckId, aggregate, walk, absorbRound(walk, batch.carry.round as WalkItem[], blocks));
}

function continueWalk(state: StorageState, env: StorageEnv, fsckId: number, aggregate: string, walk: WalkState, round: WalkItem[]): void {
  const report = state.fsck[fsckId];
  if (round.length > 0) {
    readVbns(state, env, { kind: 'fsck', volume: report.volume, fsckId }, aggregate, round.map((item) => item.vbn), { stage: 'walk', walk, round });
    return;
  }
  const image = volumeFromWalk(walk, report.volume, aggregate);
  report.problems.push(...walk.problems.map((problem) => `on disk: ${problem}`));
  report.problems.push(...checkVolume(image).map((problem) => `on disk: ${problem}`));
  for (const vbn of doubleReferences(walk)) report.problems.push(`on disk: block ${vbn} is referenced twice`);
  report.inodesChecked = Object.keys(image.inodes).length;
  report.blocksChecked = walk.blocksChecked;
  report.done = true;
  const severity = report.problems.length > 0 ? 'error' : 'notice';
  logEms(env.filer, env.ctx, 'wafl.scan.done', severity, `Consistency check of volume ${report.volume} found ${report.problems.length} problem(s).`);
  if (report.problems.length > 0 && state.volumes[report.volume]) state.volumes[report.volume].inconsistent = true;
}

/**
 * `fault <filer> fs-corrupt <volume>`: garbage over the root directory's first block on its data disk
 * (behind RAID's back: parity no longer matches either), and a directory entry naming a free inode in
 * memory (which the next CP makes durable). Returns an error text for bad input.
 */
export function corruptVolume(state: StorageState, env: StorageEnv, volumeName: string): string | null {
  const volume = state.volumes[volumeName];
  if (!volume) return `no volume ${volumeName}`;
  const aggregate = state.aggregates[volume.aggregate];
  const root = volume.inodes[ROOT_FILE_ID];
  if (!aggregate || !root) return `volume ${volumeName} is not mounted`;
  const pointer = root.blocks[0];
  const location = pointer ? locateVbn(aggregate, pointer.vbn) : null;
  if (location && !root.dirty) {
    const disk = aggregate.raidGroups[location.group].members[location.position];
    const garbage = new Uint8Array(BLOCK_BYTES);
    for (let index = 0; index < garbage.length; index++) garbage[index] = Math.floor(env.ctx.random() * 256);
    issue(state, env, openBatch(state, { kind: 'corrupt' }), disk, { op: 'write', lba: diskLba(location.stripe), blocks: 1, data: garbage });
  }
  root.entries[`.corrupt-${volume.nextFileId}`] = volume.nextFileId + 1_000_000;
  root.nlink += 1;
  logEms(env.filer, env.ctx, 'wafl.fault.injected', 'warning', `File system corruption injected in volume ${volumeName}.`);
  return null;
}
