// How fast RAID's background jobs sweep a disk: reconstruction, scrub and spare zeroing each go over
// EVERY block of the disk, as the real product does, so their progress and duration follow the disk's
// capacity, not how much of it holds data. Only the stripes holding blocks in use need real work (read,
// XOR, write or compare); a stripe no block lives in is never read before a consistency point writes
// it whole again with fresh parity (write anywhere), and a never-written one is zeros everywhere
// (parity of zeros is zero): sweeping it costs only time, spent at the paced rate below.
//
// The real product rebuilds a 36 GB FC disk in hours, throttled by `raid.reconstruct.perf_impact`.
// A lab cannot wait that long: the same option here maps to virtual MiB/s chosen so that a lab disk
// (2018 MiB in ha-pair) is rebuilt in about 3:20 (low), 1:40 (medium, the default) or 0:50 (high).
import type { Micros } from '../../engine/actor.ts';
import type { FilerState } from '../../hardware/filer/subsystem.ts';
import { BLOCK_BYTES } from '../../hardware/scsi.ts';
import { optionValue } from '../options/options.ts';

const MIB = 1024 * 1024;

/** Reconstruction rate by `raid.reconstruct.perf_impact`, in virtual MiB/s per disk. */
export const RECONSTRUCT_MIB_PER_S: Readonly<Record<string, number>> = { low: 10, medium: 20, high: 40 };
/** Scrub runs in the background at the product's low impact: every group in parallel, this rate each. */
export const SCRUB_MIB_PER_S = 20;
/** Zeroing writes zeros as fast as the disk takes them: the fastest of the three. */
export const ZERO_MIB_PER_S = 100;

/** A sweep advances in steps of this much virtual time (progress moves about 0.5% per step at medium). */
export const PACE_STEP_US = 500_000;
/** At most this many stripes' blocks are read in one batch (a step may need several). */
export const STRIPES_PER_BATCH = 64;

export function reconstructRate(filer: FilerState): number {
  return RECONSTRUCT_MIB_PER_S[optionValue(filer, 'raid.reconstruct.perf_impact') ?? 'medium'] ?? RECONSTRUCT_MIB_PER_S.medium;
}

/** Stripes (one block per disk each) swept in one step at `mibPerSecond`. */
export function stripesPerStep(mibPerSecond: number): number {
  return Math.max(1, Math.floor((mibPerSecond * MIB * PACE_STEP_US) / 1_000_000 / BLOCK_BYTES));
}

/** Virtual time that sweeping `stripes` stripes takes at `mibPerSecond`. */
export function sweepUs(stripes: number, mibPerSecond: number): Micros {
  return Math.ceil((stripes * BLOCK_BYTES * 1_000_000) / (mibPerSecond * MIB));
}

/** The wait before the next step: what is left of the step's paced time once its real work is done. */
export function remainingUs(stepStartedUs: Micros, stripes: number, mibPerSecond: number, now: Micros): Micros {
  return Math.max(1, stepStartedUs + sweepUs(stripes, mibPerSecond) - now);
}

/** Whole percent of a sweep: 100 only when every stripe is done. */
export function sweepPercent(done: number, total: number): number {
  return total <= 0 ? 100 : Math.floor((done * 100) / total);
}
