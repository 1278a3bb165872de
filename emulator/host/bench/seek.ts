// Benchmark of seeking in a played recording (issue 22's target: anywhere in a 30-minute recording
// within 2 s of wall time). Records 30 virtual minutes of ha-pair with a pulled and replugged loop
// cable and markers twice, as a run records (written as it goes, with the window's view following the
// lab): once plain, once with keyframes written beside it — the cost of keyframes is the difference.
// Then opens each in a lab session as the window opens a recent recording and times seeks backward
// and forward across it as the host answers them: the plain one first waits for its index to be built
// by a replay (one seek is made before, the worst case); the one with keyframes seeks from them at once.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { MICROS_PER_SECOND } from '../../engine/actor.ts';
import type { LabInput } from '../../engine/lab-spec.ts';
import { RECORDING_CHECKPOINT_EVERY_US } from '../../engine/recording.ts';
import { loadLabSources, openLab } from '../engine-lab-loader.ts';
import { LabViewState } from '../engine-view.ts';
import { KEYFRAME_EVERY_US } from '../keyframe-index.ts';
import { sidecarPathOf } from '../keyframe-sidecar.ts';
import { createLabSession } from '../lab-session.ts';
import type { LabSession } from '../lab-session.ts';
import { LiveKeyframes } from '../live-keyframes.ts';
import { RECORDING_FLUSH_EVERY_US, RecordingStream } from '../recording-stream.ts';

const MINUTES = 30;
/** Seek targets in virtual seconds: backward and forward jumps across the whole recording. */
const TARGETS_S = [1795, 12, 903.5, 455, 1350, 61, 1799, 1200.25, 300, 1650];
const INPUTS: readonly [number, LabInput][] = [
  [60, { kind: 'mark', text: 'pull a loop cable' }],
  [60, { kind: 'cable', end: { actor: 'filerA', port: '0a' }, plugged: false }],
  [600, { kind: 'cable', end: { actor: 'filerA', port: '0a' }, plugged: true }],
  [1500, { kind: 'mark', text: 'last five minutes' }],
];

export interface SeekFigure { readonly atS: number; readonly wallMs: number; readonly cpuMs: number }

export interface RecordFigure {
  readonly wallS: number;
  readonly cpuS: number;
  /** Virtual seconds per wall second while recording. */
  readonly xRealTime: number;
  readonly keyframes: number;
  readonly sidecarBytes: number;
}

export interface SeekBenchResult {
  readonly virtualMinutes: number;
  readonly plainRecord: RecordFigure;
  readonly keyframedRecord: RecordFigure;
  /** The plain recording: a seek before its index is built, the index's build, the seeks after. */
  readonly beforeIndexSeek: SeekFigure;
  readonly indexWallS: number;
  readonly seeks: SeekFigure[];
  readonly maxSeekMs: number;
  /** The host process's CPU time of the slowest seek: what a machine with a core to spare would take. */
  readonly maxSeekCpuMs: number;
  /** The recording with keyframes: opening it, and the seeks right after (no index build waited for). */
  readonly keyframedOpenMs: number;
  readonly keyframedSeeks: SeekFigure[];
  readonly keyframedMaxSeekMs: number;
  readonly keyframedMaxSeekCpuMs: number;
  /** The machine's 1-minute load average at the end: wall figures on a loaded machine run long. */
  readonly loadAverage: number;
}

/** Records 30 minutes of ha-pair into `file` as a run does, with keyframes beside it or not. */
async function recordHaPair(file: string, withKeyframes: boolean): Promise<RecordFigure> {
  const loaded = await loadLabSources();
  if (!loaded.ok) throw new Error(loaded.error);
  const opened = await openLab(loaded.sources, 'ha-pair', { seed: 1, placement: 'single' });
  if (!opened.ok) throw new Error(opened.errors.join('\n'));
  const lab = opened.lab;
  const started = performance.now();
  const cpu = process.cpuUsage();
  const view = LabViewState.follow(lab);
  const stream = new RecordingStream(file, lab, 'ha-pair');
  const keyframes = withKeyframes ? new LiveKeyframes(sidecarPathOf(file), stream.headerLine, lab, view) : undefined;
  const endUs = MINUTES * 60 * MICROS_PER_SECOND;
  try {
    for (let atUs = RECORDING_FLUSH_EVERY_US; atUs <= endUs; atUs += RECORDING_FLUSH_EVERY_US) {
      for (const [atS, input] of INPUTS) if (atS * MICROS_PER_SECOND >= lab.nowUs && atS * MICROS_PER_SECOND < atUs) { await lab.runUntil(atS * MICROS_PER_SECOND); lab.input(input); }
      await lab.runUntil(atUs);
      if (atUs === endUs) break;
      if (atUs % RECORDING_CHECKPOINT_EVERY_US === 0) stream.checkpoint({ atUs, traceHash: await lab.traceHash() });
      stream.flush();
      view.takeDelta(lab.nowUs, { mode: 'paused', speed: 1 });
      await keyframes?.offer();
    }
    stream.finish({ atUs: endUs, traceHash: await lab.traceHash() });
    await keyframes?.close();
    const used = process.cpuUsage(cpu);
    const wallS = (performance.now() - started) / 1000;
    return {
      wallS, cpuS: (used.user + used.system) / 1e6, xRealTime: endUs / MICROS_PER_SECOND / wallS,
      keyframes: keyframes?.taken ?? 0, sidecarBytes: withKeyframes ? statSync(sidecarPathOf(file)).size : 0,
    };
  } finally {
    stream.abandon();
    await lab.dispose();
  }
}

/** FILERLAB_BENCH_KEYFRAME_S tries another keyframe interval (virtual seconds) than the built-in one. */
function keyframeEveryUs(): number {
  const seconds = Number(process.env.FILERLAB_BENCH_KEYFRAME_S);
  return Number.isFinite(seconds) && seconds >= 1 ? Math.round(seconds * MICROS_PER_SECOND) : KEYFRAME_EVERY_US;
}

async function seek(session: LabSession, atS: number): Promise<SeekFigure> {
  const asked = performance.now();
  const cpu = process.cpuUsage();
  const answer = await session.playback({ action: 'seek', atUs: Math.round(atS * MICROS_PER_SECOND) });
  if (!answer.ok) throw new Error(answer.errors?.join('\n'));
  const used = process.cpuUsage(cpu);
  return { atS, wallMs: Math.round(performance.now() - asked), cpuMs: Math.round((used.user + used.system) / 1000) };
}

async function openRecent(session: LabSession, name: string): Promise<number> {
  const opened = await session.playback({ action: 'openRecent', name });
  if (!opened.ok || !opened.state) throw new Error(opened.errors?.join('\n') ?? 'not opened');
  return opened.state.endUs;
}

/** The plain recording: a seek at once (it waits for the index), the index's build, then the seeks. */
async function seekPlain(dir: string): Promise<Pick<SeekBenchResult, 'beforeIndexSeek' | 'indexWallS' | 'seeks'>> {
  const session = await createLabSession({ pace: { mode: 'paused', speed: 1 }, keyframeEveryUs: keyframeEveryUs(), recordingsDir: dir });
  try {
    const started = performance.now();
    const endUs = await openRecent(session, 'plain.filerlab.jsonl');
    const beforeIndexSeek = await seek(session, TARGETS_S[0]!);
    for (;;) {
      const state = (await session.playback({ action: 'status' })).state;
      if (state?.problem) throw new Error(state.problem);
      if (state && state.indexedUs >= endUs) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const indexWallS = (performance.now() - started) / 1000;
    const seeks = [];
    for (const atS of TARGETS_S) seeks.push(await seek(session, atS));
    return { beforeIndexSeek, indexWallS, seeks };
  } finally {
    await session.dispose();
  }
}

/** The recording with keyframes: opened, then seeks at once. */
async function seekKeyframed(dir: string): Promise<{ openMs: number; seeks: SeekFigure[] }> {
  const session = await createLabSession({ pace: { mode: 'paused', speed: 1 }, keyframeEveryUs: keyframeEveryUs(), recordingsDir: dir });
  try {
    const started = performance.now();
    await openRecent(session, 'keyframed.filerlab.jsonl');
    const openMs = Math.round(performance.now() - started);
    const seeks = [];
    for (const atS of TARGETS_S) seeks.push(await seek(session, atS));
    return { openMs, seeks };
  } finally {
    await session.dispose();
  }
}

export async function runSeekBench(): Promise<SeekBenchResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'filerlab-seek-bench-'));
  try {
    const plainRecord = await recordHaPair(path.join(dir, 'plain.filerlab.jsonl'), false);
    const keyframedRecord = await recordHaPair(path.join(dir, 'keyframed.filerlab.jsonl'), true);
    const plain = await seekPlain(dir);
    const keyframed = await seekKeyframed(dir);
    const slowest = (seeks: readonly SeekFigure[], figure: 'wallMs' | 'cpuMs'): number => Math.max(...seeks.map((entry) => entry[figure]));
    return {
      virtualMinutes: MINUTES, plainRecord, keyframedRecord, ...plain,
      maxSeekMs: slowest(plain.seeks, 'wallMs'), maxSeekCpuMs: slowest(plain.seeks, 'cpuMs'),
      keyframedOpenMs: keyframed.openMs, keyframedSeeks: keyframed.seeks,
      keyframedMaxSeekMs: slowest(keyframed.seeks, 'wallMs'), keyframedMaxSeekCpuMs: slowest(keyframed.seeks, 'cpuMs'),
      loadAverage: os.loadavg()[0]!,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatSeekBench(result: SeekBenchResult): string {
  const recorded = (what: string, figure: RecordFigure): string =>
    `  recorded ${what}: ${figure.wallS.toFixed(1)} s wall (${figure.xRealTime.toFixed(0)}x real time), ${figure.cpuS.toFixed(1)} s CPU${figure.keyframes ? `; ${figure.keyframes} keyframes, ${(figure.sidecarBytes / 1_048_576).toFixed(0)} MiB beside it` : ''}`;
  const seekLine = (entry: SeekFigure): string => `    seek to ${String(entry.atS).padStart(7)} s: ${String(entry.wallMs).padStart(5)} ms wall, ${String(entry.cpuMs).padStart(5)} ms CPU`;
  const lines = [
    `seek in a ${result.virtualMinutes}-minute ha-pair recording`,
    recorded('plain', result.plainRecord),
    recorded('with keyframes', result.keyframedRecord),
    'without keyframes beside it:',
    `  before the index is built: seek to ${result.beforeIndexSeek.atS} s took ${result.beforeIndexSeek.wallMs} ms (it waits for the index to get there)`,
    `  index of keyframes every ${keyframeEveryUs() / MICROS_PER_SECOND} virtual s built ${result.indexWallS.toFixed(1)} s after opening`,
    ...result.seeks.map(seekLine),
    `  slowest seek once indexed: ${result.maxSeekMs} ms wall, ${result.maxSeekCpuMs} ms CPU (target: under 2000 ms)`,
    'with keyframes beside it:',
    `  opened in ${result.keyframedOpenMs} ms; seeks at once:`,
    ...result.keyframedSeeks.map(seekLine),
    `  slowest seek: ${result.keyframedMaxSeekMs} ms wall, ${result.keyframedMaxSeekCpuMs} ms CPU (target: under 2000 ms)`,
    `load average ${result.loadAverage.toFixed(1)}`,
  ];
  return `${lines.join('\n')}\n`;
}
