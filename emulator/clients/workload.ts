// The workload a client runs: which op next, on which file, how big, and how long to think before it.
// Every draw comes from the actor's PRNG, so the same lab seed gives the same ops. File names are
// never reused, so that an op whose outcome is unknown (maybe) cannot be confused with a later one.
import { MICROS_PER_SECOND, type Micros } from '../engine/actor.ts';
import type { OpKind } from './history.ts';

export interface WorkloadConfig {
  /** Relative weights of each kind of op. */
  readonly mix: Readonly<Record<OpKind, number>>;
  /** Mean ops per second the client aims at (exponential think time between ops). */
  readonly opsPerSecond: number;
  readonly fileSizeBytes: { readonly min: number; readonly max: number };
  /** Files the client keeps at most: past it, creates become removes. */
  readonly maxFiles: number;
}

/** What a lab file may set of a workload: any part, the rest from DEFAULT_WORKLOAD. */
export interface WorkloadSettings {
  readonly mix?: Readonly<Partial<Record<OpKind, number>>>;
  readonly opsPerSecond?: number;
  readonly fileSizeBytes?: { readonly min?: number; readonly max?: number };
  readonly maxFiles?: number;
}

export const DEFAULT_WORKLOAD: WorkloadConfig = {
  mix: { create: 1, write: 4, read: 4, rename: 0.5, remove: 0.5 },
  opsPerSecond: 20,
  fileSizeBytes: { min: 512, max: 8192 },
  maxFiles: 16,
};

export interface WorkloadState {
  nextFileNumber: number;
  /** Names the client believes exist (acknowledged creates and renames, not yet removed). */
  files: string[];
}

export type PlannedOp =
  | { readonly kind: 'create' | 'write'; readonly path: string; readonly sizeBytes: number; readonly contentSeed: number }
  | { readonly kind: 'read' | 'remove'; readonly path: string }
  | { readonly kind: 'rename'; readonly path: string; readonly target: string };

export function createWorkload(): WorkloadState {
  return { nextFileNumber: 1, files: [] };
}

/** Returns why a configuration cannot run, or null. */
export function workloadProblem(config: WorkloadConfig): string | null {
  const weights = Object.values(config.mix);
  if (weights.some((weight) => !(weight >= 0)) || !weights.some((weight) => weight > 0)) return 'the op mix needs a positive weight';
  if (!(config.opsPerSecond > 0)) return 'opsPerSecond must be positive';
  const { min, max } = config.fileSizeBytes;
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max < min) return 'fileSizeBytes needs 0 <= min <= max';
  if (!Number.isInteger(config.maxFiles) || config.maxFiles < 1) return 'maxFiles must be at least 1';
  return null;
}

// Helpers are module functions, not closures per op: under tsx each named closure costs a defineProperty.
function needsFile(kind: OpKind): boolean {
  return kind !== 'create';
}

function drawSize(config: WorkloadConfig, random: () => number): number {
  return config.fileSizeBytes.min + Math.floor(random() * (config.fileSizeBytes.max - config.fileSizeBytes.min + 1));
}

function drawSeed(random: () => number): number {
  return Math.floor(random() * 0xffffffff);
}

function drawExisting(state: WorkloadState, random: () => number): string {
  return state.files[Math.floor(random() * state.files.length)];
}

function forget(state: WorkloadState, path: string): void {
  state.files = state.files.filter((file) => file !== path);
}

/** Whether an op of `kind` can be drawn now: it has weight, and a file to work on if it needs one. */
function drawable(config: WorkloadConfig, state: WorkloadState, kind: OpKind): boolean {
  return config.mix[kind] > 0 && (!needsFile(kind) || state.files.length > 0);
}

/**
 * A weighted draw among the drawable kinds, in the mix's key order. Two plain passes over the keys,
 * no arrays or callbacks: this runs for every op. (`for in` visits a plain object's keys in the order
 * Object.keys gives, so the total is summed, and the draw spent, in the same order as ever.)
 */
function pickKind(config: WorkloadConfig, state: WorkloadState, random: () => number): OpKind {
  let total = 0;
  let last: OpKind | null = null;
  for (const key in config.mix) {
    const kind = key as OpKind;
    if (!drawable(config, state, kind)) continue;
    total += config.mix[kind];
    last = kind;
  }
  if (last === null) return 'create';
  let draw = random() * total;
  for (const key in config.mix) {
    const kind = key as OpKind;
    if (!drawable(config, state, kind)) continue;
    draw -= config.mix[kind];
    if (draw < 0) return kind;
  }
  return last;
}

function freshName(state: WorkloadState, directory: string): string {
  const name = `${directory}/f${state.nextFileNumber}`;
  state.nextFileNumber += 1;
  return name;
}

/** Draws the next op. `directory` is the client's own folder: clients never share files. */
export function planNextOp(config: WorkloadConfig, state: WorkloadState, directory: string, random: () => number): PlannedOp {
  let kind = pickKind(config, state, random);
  if (kind === 'create' && state.files.length >= config.maxFiles) kind = 'remove';
  switch (kind) {
    case 'create': return { kind, path: freshName(state, directory), sizeBytes: drawSize(config, random), contentSeed: drawSeed(random) };
    case 'write': return { kind, path: drawExisting(state, random), sizeBytes: drawSize(config, random), contentSeed: drawSeed(random) };
    case 'read': return { kind, path: drawExisting(state, random) };
    case 'remove': return { kind, path: drawExisting(state, random) };
    case 'rename': return { kind, path: drawExisting(state, random), target: freshName(state, directory) };
  }
}

/**
 * Updates the names the client believes in once an op ends. A create, remove or rename that may have
 * happened (maybe) takes its names out of play for good, so that no later op depends on its outcome.
 */
export function workloadOpEnded(state: WorkloadState, op: PlannedOp, outcome: 'ok' | 'fail' | 'maybe'): void {
  if (outcome === 'maybe') {
    // A maybe write or read leaves the file there: the checker accepts either content next time.
    if (op.kind === 'remove' || op.kind === 'rename') forget(state, op.path);
    return;
  }
  if (outcome === 'fail') return;
  if (op.kind === 'create') state.files.push(op.path);
  if (op.kind === 'remove') forget(state, op.path);
  if (op.kind === 'rename') { forget(state, op.path); state.files.push(op.target); }
}

/** Think time before the next op: exponential with mean 1/opsPerSecond, at least 1 µs. */
export function thinkTimeUs(config: WorkloadConfig, random: () => number): Micros {
  const meanUs = MICROS_PER_SECOND / config.opsPerSecond;
  return Math.max(1, Math.round(-Math.log(1 - random()) * meanUs));
}
