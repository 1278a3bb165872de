// `workers` placement (DESIGN.md §2): one worker thread per placement group (a filer each), the other
// actors in the conductor's thread. A worker that throws outside an actor, runs out of memory or exits
// is a panic of its actors: the conductor hears a panic for each and goes on without them.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ActorId, Micros } from '../engine/actor.ts';
import { compareIds } from '../engine/partition.ts';
import { localPartition } from '../engine/placement.ts';
import type { PartitionHandle, Placement, PlacementRequest } from '../engine/placement.ts';
import type { TraceLanes } from '../engine/trace-hash.ts';
import type { ActorSnapshot, WindowRequest, WindowResult } from '../engine/window.ts';
import type { WorkerBoot, WorkerReply, WorkerRequest } from './engine-worker-protocol.ts';

export interface WorkersPlacementOptions {
  /** Module exporting `behaviors`, imported by each worker. */
  readonly registryUrl: string;
  /** Heap limit of each worker; beyond it the worker dies and its filer panics. */
  readonly maxHeapMb?: number;
}

const WORKER_URL = new URL('./engine-worker.ts', import.meta.url);
// The worker runs TypeScript: a tiny bootstrap registers tsx's loader (found from this file, so any
// cwd works) and then imports the worker module. `--import tsx` in execArgv does not reach a worker's
// entry module on Node 20, hence the bootstrap.
const TSX_API_URL = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
const BOOTSTRAP = `import(${JSON.stringify(TSX_API_URL)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL.href)}); })
  .catch((error) => { setImmediate(() => { throw error; }); });`;

export function workersPlacement(options: WorkersPlacementOptions): Placement {
  return {
    name: 'workers',
    async createPartitions(request) {
      const groups = new Map<string, ActorId[]>();
      const local: ActorId[] = [];
      for (const actor of request.spec.actors) {
        if (actor.placementGroup === undefined) local.push(actor.id);
        else groups.set(actor.placementGroup, [...(groups.get(actor.placementGroup) ?? []), actor.id]);
      }
      const names = [...groups.keys()].sort(compareIds);
      const started = await Promise.allSettled(names.map((name) => startWorker(request, groups.get(name)!, options)));
      const failed = started.find((outcome) => outcome.status === 'rejected');
      if (failed) {
        await Promise.all(started.map((outcome) => outcome.status === 'fulfilled' ? outcome.value.dispose() : undefined));
        throw (failed as PromiseRejectedResult).reason;
      }
      const workers = started.map((outcome) => (outcome as PromiseFulfilledResult<PartitionHandle>).value);
      return local.length > 0 ? [localPartition(request, local), ...workers] : workers;
    },
  };
}

async function startWorker(request: PlacementRequest, actorIds: ActorId[], options: WorkersPlacementOptions): Promise<PartitionHandle> {
  const mine = new Set(actorIds);
  const boot: WorkerBoot = {
    spec: request.spec, seed: request.seed, actorIds, registryUrl: options.registryUrl,
    snapshot: request.snapshot?.filter((actor) => mine.has(actor.id)),
  };
  const worker = new Worker(BOOTSTRAP, {
    eval: true,
    workerData: boot,
    resourceLimits: options.maxHeapMb ? { maxOldGenerationSizeMb: options.maxHeapMb } : undefined,
    stdout: false,
  });
  const handle = new WorkerPartition(worker, [...actorIds].sort(compareIds));
  await handle.ready;
  return handle;
}

class WorkerPartition implements PartitionHandle {
  readonly ready: Promise<void>;
  readonly threaded = true;
  initialNextUs: Micros = Infinity;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  /** Why the thread died, once it has. */
  private death: string | undefined;
  private deathReported = false;
  private lastNextUs: Micros = Infinity;

  constructor(private readonly worker: Worker, readonly actorIds: readonly ActorId[]) {
    this.ready = new Promise((resolve, reject) => {
      this.pending.set(0, {
        resolve: (value) => { this.initialNextUs = value as Micros; this.lastNextUs = this.initialNextUs; resolve(); },
        reject,
      });
    });
    worker.on('message', (reply: WorkerReply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (reply.ok) waiter.resolve(reply.value);
      else waiter.reject(new Error(reply.error));
    });
    worker.on('error', (error) => this.die(describeDeath(error)));
    worker.on('exit', (code) => this.die(`worker thread exited with code ${code}`));
  }

  async runWindow(request: WindowRequest): Promise<WindowResult> {
    if (this.death === undefined) {
      try {
        const result = await this.call({ id: 0, op: 'window', request }) as WindowResult;
        this.lastNextUs = result.nextUs;
        return result;
      } catch (error) {
        if (this.death === undefined) this.die(`worker thread failed: ${(error as Error).message}`);
      }
    }
    return this.deadResult(request.endUs);
  }

  async snapshot(): Promise<ActorSnapshot[]> {
    if (this.death === undefined) {
      try { return await this.call({ id: 0, op: 'snapshot' }) as ActorSnapshot[]; } catch { /* died meanwhile: below */ }
    }
    return this.actorIds.map((id) => ({
      id, state: null, queue: [], prng: [0, 0, 0, 1], nextSequence: 0, nextTimerId: 1, liveTimers: [],
      trace: [0, 0], disabledPorts: [], carrier: [], eventsHandled: 0, panic: this.death ?? 'worker thread lost',
    }));
  }

  async summarize(): Promise<[ActorId, Record<string, unknown>][]> {
    if (this.death !== undefined) return [];
    try { return await this.call({ id: 0, op: 'summarize' }) as [ActorId, Record<string, unknown>][]; } catch { return []; }
  }

  async traces(): Promise<[ActorId, TraceLanes][]> {
    if (this.death === undefined) {
      try { return await this.call({ id: 0, op: 'traces' }) as [ActorId, TraceLanes][]; } catch { /* died meanwhile: below */ }
    }
    return this.actorIds.map((id) => [id, [0, 0]]);
  }

  async dispose(): Promise<void> {
    this.death ??= 'disposed';
    this.deathReported = true;
    await this.worker.terminate();
  }

  private call(message: WorkerRequest): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id });
    });
  }

  private die(reason: string): void {
    if (this.death !== undefined) return;
    this.death = reason;
    for (const waiter of this.pending.values()) waiter.reject(new Error(reason));
    this.pending.clear();
  }

  /** After death: one panic per actor, once, at the window the conductor was running; then silence. */
  private deadResult(endUs: Micros): WindowResult {
    const panics = this.deathReported ? [] : this.actorIds.map((actor) => ({ actor, atUs: Math.min(this.lastNextUs, endUs), reason: this.death! }));
    this.deathReported = true;
    return { outbound: [], portChanges: [], outputs: [], panics, nextUs: Infinity, eventsHandled: 0 };
  }
}

function describeDeath(error: Error): string {
  const code = (error as { code?: string }).code;
  if (code === 'ERR_WORKER_OUT_OF_MEMORY') return 'out of memory (worker heap limit reached)';
  return `${error.name}: ${error.message}`;
}
