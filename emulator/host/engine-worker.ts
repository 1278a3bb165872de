// The worker-thread side of `workers` placement: one partition (the actors of one placement group),
// driven by the conductor through request/reply messages. The behaviour registry is imported by URL,
// so the worker rebuilds the same behaviours the conductor's thread has.
import { parentPort, workerData } from 'node:worker_threads';
import type { BehaviorRegistry } from '../engine/actor.ts';
import { Partition } from '../engine/partition.ts';
import type { WorkerBoot, WorkerReply, WorkerRequest } from './engine-worker-protocol.ts';

const port = parentPort;
if (!port) throw new Error('engine-worker.ts must run in a worker thread');
const boot = workerData as WorkerBoot;

let partition: Partition;
try {
  const module = await import(boot.registryUrl) as { behaviors?: BehaviorRegistry };
  if (!module.behaviors) throw new Error(`${boot.registryUrl} exports no 'behaviors'`);
  partition = new Partition({ spec: boot.spec, seed: boot.seed, registry: module.behaviors, actorIds: boot.actorIds, snapshot: boot.snapshot });
  port.postMessage({ id: 0, ok: true, value: partition.nextUs() } satisfies WorkerReply);
} catch (error) {
  port.postMessage({ id: 0, ok: false, error: String((error as Error).stack ?? error) } satisfies WorkerReply);
  throw error;
}

port.on('message', (request: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    switch (request.op) {
      case 'window': reply = { id: request.id, ok: true, value: partition.runWindow(request.request) }; break;
      case 'snapshot': reply = { id: request.id, ok: true, value: partition.snapshot() }; break;
      case 'summarize': reply = { id: request.id, ok: true, value: partition.summarize() }; break;
      case 'traces': reply = { id: request.id, ok: true, value: partition.traces() }; break;
    }
  } catch (error) {
    reply = { id: request.id, ok: false, error: String((error as Error).stack ?? error) };
  }
  port.postMessage(reply);
});
