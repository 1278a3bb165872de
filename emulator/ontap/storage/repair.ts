// Automatic file-system repair (seed 004 claim 21, N26): damage is found, access blocked, the volume
// repaired and access given back, all without an operator. The fault that damages a volume is
// `fault <filer> fs-corrupt <volume>` (fsck.ts): a directory entry naming a free inode (and a link count
// off by one) in memory, and garbage over the directory's block on disk. Steps, as `volumes.<v>.state`:
//  - detected: every CP first checks the directory tree of each volume it is about to write (entries,
//    link counts: checkVolume), so damage is caught before a CP makes it durable. The volume is
//    `blocked`: its requests are answered NFS3ERR_JUKEBOX (try again later), nothing is logged for it.
//  - repairing, REPAIR_START_US later: the scan runs for REPAIR_SCAN_US, then the tree is mended in
//    memory (entries naming free inodes removed, link counts recounted) and its directories are marked
//    for rewriting: the CP that follows writes them to new blocks (write anywhere), so the damaged block
//    on disk is no longer referenced.
//  - online again once that CP is on disk; `repairs` counts the repairs of the volume.
// Only damage this can mend triggers it; a file shorter than its size is a sparse file, not damage.
import type { Micros } from '../../engine/actor.ts';
import { logEms } from '../ems.ts';
import type { StorageEnv } from './io.ts';
import type { StorageState, VolumeState } from './types.ts';
import { checkVolume } from './wafl-walk.ts';

export const REPAIR_TIMER = 'storage.repair';
export const REPAIR_START_US: Micros = 1_000_000;
export const REPAIR_SCAN_US: Micros = 3_000_000;

function mendable(problem: string): boolean {
  return problem.includes('names free inode') || problem.includes('has link count');
}

/** The volume's repair record (created on first damage): its step and how many repairs it had. */
function repairOf(volume: VolumeState): NonNullable<VolumeState['repair']> {
  return (volume.repair ??= { state: 'online', repairs: 0, problems: 0, sinceUs: 0, afterCp: 0 });
}

/** Before a CP writes the volumes: look for damage in each one not already under repair. */
export function checkBeforeCp(state: StorageState, env: StorageEnv): void {
  for (const volume of Object.values(state.volumes)) {
    if (volume.status !== 'online' || (volume.repair && volume.repair.state !== 'online')) continue;
    const problems = checkVolume(volume).filter(mendable);
    if (problems.length === 0) continue;
    const repair = repairOf(volume);
    repair.state = 'blocked';
    repair.problems = problems.length;
    repair.sinceUs = env.ctx.now;
    logEms(env.filer, env.ctx, 'wafl.vol.inconsistent', 'error', `${volume.name} inconsistent (${problems[0]}${problems.length > 1 ? `, and ${problems.length - 1} more` : ''}); access blocked; automatic repair started.`);
    env.ctx.setTimer(REPAIR_START_US, { kind: REPAIR_TIMER, epoch: state.epoch, volume: volume.name, step: 'scan' });
  }
}

/** Whether requests to the volume wait (answered: try again later). */
export function accessBlocked(volume: VolumeState): boolean {
  return volume.repair !== undefined && volume.repair.state !== 'online';
}

/** The repair timer: start the scan, or mend the tree and write it. */
export function repairStep(state: StorageState, env: StorageEnv, name: string, step: string, startCp: (reason: string) => void): void {
  const volume = state.volumes[name];
  if (!volume?.repair || state.status !== 'online') return;
  if (step === 'scan' && volume.repair.state === 'blocked') {
    volume.repair.state = 'repairing';
    logEms(env.filer, env.ctx, 'wafl.repair.start', 'notice', `${name}: consistency repair scanning its directories (access stays blocked).`);
    env.ctx.setTimer(REPAIR_SCAN_US, { kind: REPAIR_TIMER, epoch: state.epoch, volume: name, step: 'mend' });
    return;
  }
  if (step !== 'mend' || volume.repair.state !== 'repairing') return;
  const fixed = mendTree(volume);
  volume.repair.problems = fixed;
  // Done when a CP that started after the mend is on disk.
  volume.repair.afterCp = state.cp.count + (state.cp.running ? 2 : 1);
  startCp('fs-repair');
}

/** After each CP: a mended volume whose rewrite is on disk is open again. */
export function repairsWritten(state: StorageState, env: StorageEnv): void {
  for (const volume of Object.values(state.volumes)) {
    const repair = volume.repair;
    if (!repair || repair.state !== 'repairing' || repair.afterCp === 0 || state.cp.count < repair.afterCp) continue;
    repair.state = 'online';
    repair.repairs += 1;
    repair.afterCp = 0;
    const seconds = Math.max(1, Math.round((env.ctx.now - repair.sinceUs) / 1_000_000));
    logEms(env.filer, env.ctx, 'wafl.repair.done', 'notice', `${volume.name} repaired (${repair.problems} problems fixed) in ${seconds} seconds; back online.`);
  }
}

/** Removes entries naming free inodes, recounts link counts and marks the directories for rewriting. */
function mendTree(volume: VolumeState): number {
  let fixed = 0;
  const links: Record<number, number> = {};
  for (const dir of Object.values(volume.inodes)) {
    if (dir.type !== 'dir') continue;
    for (const [entry, id] of Object.entries(dir.entries)) {
      if (!volume.inodes[id]) { delete dir.entries[entry]; dir.dirty = 'all'; fixed += 1; continue; }
      links[id] = (links[id] ?? 0) + 1;
    }
  }
  for (const inode of Object.values(volume.inodes)) {
    const expected = inode.type === 'dir' ? 2 + Object.values(inode.entries).filter((id) => volume.inodes[id]?.type === 'dir').length : links[inode.id] ?? inode.nlink;
    if (inode.nlink !== expected) { inode.nlink = expected; inode.dirty = 'all'; fixed += 1; }
    // Every directory is written anew: the damaged block on disk is left behind.
    if (inode.type === 'dir') inode.dirty = 'all';
  }
  volume.dirty = true;
  return fixed;
}
