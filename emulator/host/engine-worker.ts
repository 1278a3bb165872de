// The worker-thread side of `workers` placement: one partition (the actors of one placement group),
// driven by the conductor through request/reply messages. The behaviour registry is imported by URL,
// so the worker rebuilds the same behaviours the conductor's thread has. After boot the thread sleeps
// on the request counter in shared memory and never returns to its event loop (see the protocol).
import { parentPort, workerData } from 'node:worker_threads';
import type { BehaviorRegistry } from '../engine/actor.ts';
import { Partition } from '../engine/partition.ts';
import { LaneReceiver, LaneSender, REPLY_LANE, REQUEST_LANE } from './engine-worker-protocol.ts';
import type { WorkerBoot, WorkerReply, WorkerRequest } from './engine-worker-protocol.ts';

const parent = parentPort;
if (!parent) throw new Error('engine-worker.ts must run in a worker thread');
const boot = workerData as WorkerBoot;

let partition: Partition;
try {
  const module = await import(boot.registryUrl) as { behaviors?: BehaviorRegistry };
  if (!module.behaviors) throw new Error(`${boot.registryUrl} exports no 'behaviors'`);
  partition = new Partition({ spec: boot.spec, seed: boot.seed, registry: module.behaviors, actorIds: boot.actorIds, snapshot: boot.snapshot });
  parent.postMessage({ id: 0, ok: true, value: partition.nextUs() } satisfies WorkerReply);
} catch (error) {
  parent.postMessage({ id: 0, ok: false, error: String((error as Error).stack ?? error) } satisfies WorkerReply);
  throw error;
}

function answer(request: WorkerRequest): WorkerReply {
  try {
    switch (request.op) {
      case 'window': return { id: request.id, ok: true, value: partition.runWindow(request.request) };
      case 'snapshot': return { id: request.id, ok: true, value: partition.snapshot() };
      case 'summarize': return { id: request.id, ok: true, value: partition.summarize() };
      case 'traces': return { id: request.id, ok: true, value: partition.traces() };
    }
  } catch (error) {
    return { id: request.id, ok: false, error: String((error as Error).stack ?? error) };
  }
}

// Sleeping in Atomics.wait: the conductor's terminate() still ends the thread (V8 interrupts the wait).
const control = new Int32Array(boot.control);
const requests = new LaneReceiver(control, boot.areas, REQUEST_LANE, boot.port, boot.spinUs);
const replies = new LaneSender(control, boot.areas, REPLY_LANE, boot.port);
for (;;) {
  if (!requests.pending()) {
    requests.wait(Infinity);
    continue;
  }
  // A request that cannot be read means the lane is out of step: throwing ends the thread, and the
  // conductor takes that as a panic of this partition's actors.
  const reply = answer(requests.take() as WorkerRequest);
  try {
    replies.send(reply);
  } catch (error) {
    // A behaviour put something other than plain data in a message or its state: say so, not die.
    replies.send({ id: reply.id, ok: false, error: String((error as Error).message ?? error) } satisfies WorkerReply);
  }
}
