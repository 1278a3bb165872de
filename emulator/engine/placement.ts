// Where actors run. The conductor drives partitions through this interface and never knows whether a
// partition lives in its own thread or in a worker; `single` lives here, `workers` in emulator/host
// (only the host may start threads). Results may come back synchronously: `single` pays no promise.
import type { ActorId, BehaviorRegistry, Micros } from './actor.ts';
import type { LabSpec } from './lab-spec.ts';
import { Partition } from './partition.ts';
import type { TraceLanes } from './trace-hash.ts';
import type { ActorSnapshot, WindowRequest, WindowResult } from './window.ts';

type MaybePromise<T> = T | Promise<T>;

export interface PartitionHandle {
  readonly actorIds: readonly ActorId[];
  /** Runs in another thread: the conductor starts these first each window. */
  readonly threaded: boolean;
  /**
   * The partition itself when it runs in the conductor's thread: in `single` (one partition, no
   * threads) the conductor calls it directly, without a request and a result per window.
   */
  readonly local?: Partition;
  /** The earliest pending event right after creation. */
  readonly initialNextUs: Micros;
  runWindow(request: WindowRequest): MaybePromise<WindowResult>;
  /**
   * Threaded partitions may split a window in two: start it (the thread begins at once) and, after the
   * conductor's own partition has run, finish it (wait for the thread's answer, synchronously when it
   * comes soon). Without it the conductor calls runWindow.
   */
  startWindow?(request: WindowRequest): () => MaybePromise<WindowResult>;
  snapshot(): MaybePromise<ActorSnapshot[]>;
  summarize(): MaybePromise<[ActorId, Record<string, unknown>][]>;
  traces(): MaybePromise<[ActorId, TraceLanes][]>;
  dispose(): MaybePromise<void>;
}

export interface PlacementRequest {
  readonly spec: LabSpec;
  readonly seed: number;
  /** Behaviours for the actors that run in the conductor's thread. */
  readonly registry: BehaviorRegistry;
  readonly snapshot?: readonly ActorSnapshot[];
}

export interface Placement {
  readonly name: string;
  createPartitions(request: PlacementRequest): Promise<PartitionHandle[]>;
}

/** Wraps an in-thread Partition as a handle. */
export function localPartition(request: PlacementRequest, actorIds: readonly ActorId[]): PartitionHandle {
  const partition = new Partition({ ...request, actorIds });
  return {
    actorIds: partition.actorIds,
    threaded: false,
    local: partition,
    initialNextUs: partition.nextUs(),
    runWindow: (windowRequest) => partition.runWindow(windowRequest),
    snapshot: () => partition.snapshot(),
    summarize: () => partition.summarize(),
    traces: () => partition.traces(),
    dispose: () => undefined,
  };
}

/** Everything in the calling thread: tests, fuzzing, the CLI default. */
export const singlePlacement: Placement = {
  name: 'single',
  createPartitions: async (request) => [localPartition(request, request.spec.actors.map((actor) => actor.id))],
};
