// Benchmark of seeking in a played recording (issue 22's target: anywhere in a 30-minute recording
// within 2 s of wall time): records 30 virtual minutes of ha-pair with a pulled and replugged loop
// cable and markers, opens the recording in a lab session as the window does, times how long the seek
// index takes to build, then seeks backward and forward across the recording and times each seek as
// the host answers it. One seek is made before the index is built (the worst case). Figures only.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { MICROS_PER_SECOND } from '../../engine/actor.ts';
import { RECORDING_CHECKPOINT_EVERY_US, recordingText } from '../../engine/recording.ts';
import type { RecordingCheckpoint } from '../../engine/recording.ts';
import { loadLabSources, openLab } from '../engine-lab-loader.ts';
import { KEYFRAME_EVERY_US } from '../keyframe-index.ts';
import { createLabSession } from '../lab-session.ts';

const MINUTES = 30;
/** Seek targets in virtual seconds: backward and forward jumps across the whole recording. */
const TARGETS_S = [1795, 12, 903.5, 455, 1350, 61, 1799, 1200.25, 300, 1650];

export interface SeekFigure { readonly atS: number; readonly wallMs: number; readonly cpuMs: number }

export interface SeekBenchResult {
  readonly virtualMinutes: number;
  readonly recordWallS: number;
  readonly beforeIndexSeek: SeekFigure;
  readonly indexWallS: number;
  readonly seeks: SeekFigure[];
  readonly maxSeekMs: number;
  /** The host process's CPU time of the slowest seek: what a machine with a core to spare would take. */
  readonly maxSeekCpuMs: number;
  /** The machine's 1-minute load average at the end: wall figures on a loaded machine run long. */
  readonly loadAverage: number;
}

async function recordHaPair(): Promise<string> {
  const loaded = await loadLabSources();
  if (!loaded.ok) throw new Error(loaded.error);
  const opened = await openLab(loaded.sources, 'ha-pair', { seed: 1, placement: 'single' });
  if (!opened.ok) throw new Error(opened.errors.join('\n'));
  const lab = opened.lab;
  const inputs: [number, Parameters<typeof lab.input>[0]][] = [
    [60, { kind: 'mark', text: 'pull a loop cable' }],
    [60, { kind: 'cable', end: { actor: 'filerA', port: '0a' }, plugged: false }],
    [600, { kind: 'cable', end: { actor: 'filerA', port: '0a' }, plugged: true }],
    [1500, { kind: 'mark', text: 'last five minutes' }],
  ];
  const checkpoints: RecordingCheckpoint[] = [];
  try {
    for (let atUs = RECORDING_CHECKPOINT_EVERY_US; atUs <= MINUTES * 60 * MICROS_PER_SECOND; atUs += RECORDING_CHECKPOINT_EVERY_US) {
      for (const [atS, input] of inputs) if (atS * MICROS_PER_SECOND >= lab.nowUs && atS * MICROS_PER_SECOND < atUs) { await lab.runUntil(atS * MICROS_PER_SECOND); lab.input(input); }
      await lab.runUntil(atUs);
      checkpoints.push({ atUs, traceHash: await lab.traceHash() });
    }
    return recordingText({ lab: 'ha-pair', seed: 1, spec: lab.spec, inputs: lab.inputLog, checkpoints: checkpoints.slice(0, -1), end: checkpoints.at(-1)! });
  } finally {
    await lab.dispose();
  }
}

/** FILERLAB_BENCH_KEYFRAME_S tries another keyframe interval (virtual seconds) than the built-in one. */
function keyframeEveryUs(): number {
  const seconds = Number(process.env.FILERLAB_BENCH_KEYFRAME_S);
  return Number.isFinite(seconds) && seconds >= 1 ? Math.round(seconds * MICROS_PER_SECOND) : KEYFRAME_EVERY_US;
}

export async function runSeekBench(): Promise<SeekBenchResult> {
  let started = performance.now();
  const text = await recordHaPair();
  const recordWallS = (performance.now() - started) / 1000;
  const session = await createLabSession({ pace: { mode: 'paused', speed: 1 }, keyframeEveryUs: keyframeEveryUs() });
  try {
    started = performance.now();
    const opened = await session.playback({ action: 'open', name: 'bench-30min.filerlab.jsonl', text });
    if (!opened.ok || !opened.state) throw new Error(opened.errors?.join('\n') ?? 'not opened');
    const endUs = opened.state.endUs;
    const seek = async (atS: number): Promise<SeekFigure> => {
      const asked = performance.now();
      const cpu = process.cpuUsage();
      const answer = await session.playback({ action: 'seek', atUs: Math.round(atS * MICROS_PER_SECOND) });
      if (!answer.ok) throw new Error(answer.errors?.join('\n'));
      const used = process.cpuUsage(cpu);
      return { atS, wallMs: Math.round(performance.now() - asked), cpuMs: Math.round((used.user + used.system) / 1000) };
    };
    const beforeIndexSeek = await seek(TARGETS_S[0]!);
    for (;;) {
      const state = (await session.playback({ action: 'status' })).state;
      if (state?.problem) throw new Error(state.problem);
      if (state && state.indexedUs >= endUs) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const indexWallS = (performance.now() - started) / 1000;
    const seeks = [];
    for (const atS of TARGETS_S) seeks.push(await seek(atS));
    return {
      virtualMinutes: MINUTES, recordWallS, beforeIndexSeek, indexWallS, seeks,
      maxSeekMs: Math.max(...seeks.map((entry) => entry.wallMs)), maxSeekCpuMs: Math.max(...seeks.map((entry) => entry.cpuMs)), loadAverage: os.loadavg()[0]!,
    };
  } finally {
    await session.dispose();
  }
}

export function formatSeekBench(result: SeekBenchResult): string {
  const lines = [
    `seek in a ${result.virtualMinutes}-minute ha-pair recording (recorded in ${result.recordWallS.toFixed(1)} s wall)`,
    `  before the index is built: seek to ${result.beforeIndexSeek.atS} s took ${result.beforeIndexSeek.wallMs} ms (it waits for the index to get there)`,
    `  index of keyframes every ${keyframeEveryUs() / MICROS_PER_SECOND} virtual s built ${result.indexWallS.toFixed(1)} s after opening`,
    ...result.seeks.map((entry) => `  seek to ${String(entry.atS).padStart(7)} s: ${String(entry.wallMs).padStart(5)} ms wall, ${String(entry.cpuMs).padStart(5)} ms CPU`),
    `  slowest seek once indexed: ${result.maxSeekMs} ms wall, ${result.maxSeekCpuMs} ms CPU (target: under 2000 ms); load average ${result.loadAverage.toFixed(1)}`,
  ];
  return `${lines.join('\n')}\n`;
}
