// Benchmark of the engine alone (issue 3): events per second of the window loop with trivial actors,
// `single` against `workers`, and what one barrier costs (median of many windows). Also the raw cost
// of a thread round trip by postMessage and by SharedArrayBuffer + Atomics, the floor under a barrier.
// Figures only: nothing here asserts a timing.
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { LOOKAHEAD_US } from '../../engine/actor.ts';
import { createLab } from '../../engine/lab.ts';
import type { Placement } from '../../engine/placement.ts';
import { workersPlacement } from '../placement-workers.ts';
import { behaviors, tickerRing, TRIVIAL_REGISTRY_URL } from './trivial-actors.ts';

export interface EngineBenchResult {
  readonly throughput: { placement: string; actors: number; eventsPerWindow: number; eventsPerSecond: number }[];
  readonly barrierUs: { placement: string; actors: number; workers: number; medianUs: number }[];
  readonly roundTripUs: { postMessage: number; atomics: number };
}

const ACTORS = 4;

function placementFor(name: 'single' | 'workers'): Placement | undefined {
  return name === 'workers' ? workersPlacement({ registryUrl: TRIVIAL_REGISTRY_URL }) : undefined;
}

/** Events per wall second with each ticker busy all through every window (L / periodUs ticks each). */
async function throughput(placement: 'single' | 'workers', periodUs: number, virtualUs: number): Promise<EngineBenchResult['throughput'][number]> {
  const lab = await createLab({ spec: tickerRing(ACTORS, periodUs, true), seed: 1, registry: behaviors, placement: placementFor(placement) });
  try {
    await lab.runFor(virtualUs / 10); // warm up
    const events = lab.eventsHandled;
    const start = performance.now();
    await lab.runFor(virtualUs);
    const seconds = (performance.now() - start) / 1000;
    const handled = lab.eventsHandled - events;
    return { placement, actors: ACTORS, eventsPerWindow: Math.round(handled / (virtualUs / LOOKAHEAD_US)), eventsPerSecond: Math.round(handled / seconds) };
  } finally {
    await lab.dispose();
  }
}

/**
 * Windows with one event per actor, run back to back: what a window costs, and in `workers` what the
 * barrier adds. Timed in batches of BATCH windows inside one run (so a promise per window does not
 * count); the median batch is the figure. In `workers`, the first `workers` tickers get a thread each
 * and the rest stay in the conductor's thread.
 */
const BATCH = 500;

async function barrier(placement: 'single' | 'workers', workers: number, batches: number): Promise<EngineBenchResult['barrierUs'][number]> {
  const spec = tickerRing(ACTORS, LOOKAHEAD_US, true);
  const grouped = { ...spec, actors: spec.actors.map((actor, index) => index < workers ? actor : { ...actor, placementGroup: undefined }) };
  const lab = await createLab({ spec: grouped, seed: 1, registry: behaviors, placement: placementFor(placement) });
  try {
    await lab.runFor(2 * BATCH * LOOKAHEAD_US);
    const samples: number[] = [];
    for (let batch = 0; batch < batches; batch++) {
      const start = performance.now();
      await lab.runFor(BATCH * LOOKAHEAD_US);
      samples.push((performance.now() - start) * 1000 / BATCH);
    }
    return { placement, actors: ACTORS, workers: placement === 'single' ? 0 : workers, medianUs: median(samples) };
  } finally {
    await lab.dispose();
  }
}

const ECHO_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const flags = new Int32Array(workerData);
parentPort.on('message', (message) => {
  if (message === 'atomics') {
    parentPort.postMessage('ready');
    for (;;) {
      Atomics.wait(flags, 0, 0);
      const value = Atomics.load(flags, 0);
      if (value < 0) return;
      Atomics.store(flags, 0, 0);
      Atomics.store(flags, 1, value);
      Atomics.notify(flags, 1);
    }
  }
  parentPort.postMessage(message);
});`;

/** A bare thread round trip, by message and by shared memory, as the floor under a barrier. */
async function roundTrips(count: number): Promise<EngineBenchResult['roundTripUs']> {
  const shared = new SharedArrayBuffer(8);
  const flags = new Int32Array(shared);
  const worker = new Worker(ECHO_WORKER, { eval: true, workerData: shared });
  try {
    const messageSamples: number[] = [];
    for (let index = 0; index < count; index++) {
      const start = performance.now();
      await new Promise((resolve) => { worker.once('message', resolve); worker.postMessage(index); });
      messageSamples.push((performance.now() - start) * 1000);
    }
    worker.postMessage('atomics');
    await new Promise((resolve) => worker.once('message', resolve));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const atomicSamples: number[] = [];
    for (let index = 1; index <= count; index++) {
      const start = performance.now();
      Atomics.store(flags, 1, 0);
      Atomics.store(flags, 0, index);
      Atomics.notify(flags, 0);
      while (Atomics.load(flags, 1) !== index) Atomics.wait(flags, 1, 0, 100);
      atomicSamples.push((performance.now() - start) * 1000);
    }
    Atomics.store(flags, 0, -1);
    Atomics.notify(flags, 0);
    return { postMessage: median(messageSamples), atomics: median(atomicSamples) };
  } finally {
    await worker.terminate();
  }
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export async function runEngineBench(): Promise<EngineBenchResult> {
  const throughputs: EngineBenchResult['throughput'] = [];
  const barriers: EngineBenchResult['barrierUs'] = [];
  for (const placement of ['single', 'workers'] as const) throughputs.push(await throughput(placement, 50, 2_000_000));
  barriers.push(await barrier('single', 0, 21));
  for (const workers of [1, 2, 4]) barriers.push(await barrier('workers', workers, 21));
  return { throughput: throughputs, barrierUs: barriers, roundTripUs: await roundTrips(2_000) };
}

export function formatEngineBench(result: EngineBenchResult): string {
  const lines = ['engine: window loop with trivial actors (a ring of tickers, one per placement group)'];
  for (const row of result.throughput) {
    lines.push(`  ${row.placement.padEnd(8)} ${String(row.eventsPerSecond).padStart(10)} events/s  (${row.actors} actors, ${row.eventsPerWindow} events per window)`);
  }
  const alone = result.barrierUs.find((row) => row.placement === 'single')?.medianUs ?? 0;
  lines.push(`  a window of one event per each of ${ACTORS} actors, back to back (median of batches of ${BATCH}); the barrier is what threads add (target < 50 µs):`);
  for (const row of result.barrierUs) {
    const threads = row.placement === 'single' ? 'no worker' : `${row.workers} worker${row.workers === 1 ? '' : 's'}`;
    const added = row.placement === 'single' ? '' : `  barrier ${(row.medianUs - alone).toFixed(1).padStart(6)} µs`;
    lines.push(`  ${row.placement.padEnd(8)} ${row.medianUs.toFixed(1).padStart(10)} µs per window, ${threads.padEnd(9)}${added}`);
  }
  const cores = availableParallelism();
  lines.push(`  (${cores} cores here: with at most ${cores - 1} worker${cores === 2 ? '' : 's'} every thread spins while it waits; with more, only the conductor spins and the kernel wakes each worker in turn)`);
  lines.push(`  thread round trip: postMessage ${result.roundTripUs.postMessage.toFixed(1)} µs, SharedArrayBuffer+Atomics ${result.roundTripUs.atomics.toFixed(1)} µs (median)`);
  return lines.join('\n');
}
