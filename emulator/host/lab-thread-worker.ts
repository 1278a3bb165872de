// The thread side of a lab in a thread of its own (lab-thread.ts): the whole lab, its conductor and
// every actor, in `single` placement here, so the host's thread (Electron's main process, the browser
// shell's server) runs no window at all. Requests are taken one at a time, in order.
import { parentPort, workerData } from 'node:worker_threads';
import type { BehaviorRegistry } from '../engine/actor.ts';
import { createLab } from '../engine/lab.ts';
import type { Lab, LabEmission } from '../engine/lab.ts';
import type { LabInput } from '../engine/lab-spec.ts';
import type { LabThreadBoot, LabThreadReply, LabThreadRequest, LabThreadStatus } from './lab-thread-protocol.ts';

const parent = parentPort;
if (!parent) throw new Error('lab-thread-worker.ts must run in a worker thread');
const boot = workerData as LabThreadBoot;

let lab: Lab;
let loggedSoFar = 0;
let emissions: LabEmission[] = [];

function status(): LabThreadStatus {
  const log = lab.inputLog;
  const logged = log.slice(loggedSoFar);
  loggedSoFar = log.length;
  const shown = emissions;
  emissions = [];
  return {
    nowUs: lab.nowUs, eventsHandled: lab.eventsHandled, nextEventUs: lab.nextEventUs(), logged,
    panicked: lab.panicked, unplugged: lab.unpluggedEnds(), emissions: shown,
    linksUp: lab.spec.cables.map((cable) => lab.linkUp(cable.id)),
  };
}

function enter(inputs: readonly LabInput[]): void {
  // The host checked each against the same spec (inputProblem), so none is refused here.
  for (const input of inputs) {
    const entered = lab.input(input);
    if (!entered.ok) throw new Error(`input refused in the lab's thread: ${entered.error}`);
  }
}

async function answer(request: LabThreadRequest): Promise<LabThreadReply> {
  try {
    enter(request.inputs);
    switch (request.op) {
      case 'run':
        await lab.runUntil(request.targetUs);
        return { id: request.id, ok: true, status: status() };
      case 'step': {
        const value = await lab.step();
        return { id: request.id, ok: true, status: status(), value };
      }
      case 'snapshot': return { id: request.id, ok: true, value: await lab.snapshot(), status: status() };
      case 'summary': return { id: request.id, ok: true, value: await lab.summary(), status: status() };
      case 'traceHash': return { id: request.id, ok: true, value: await lab.traceHash(), status: status() };
    }
  } catch (error) {
    return { id: request.id, ok: false, error: String((error as Error).message ?? error) };
  }
}

try {
  const module = await import(boot.registryUrl) as { behaviors?: BehaviorRegistry };
  if (!module.behaviors) throw new Error(`${boot.registryUrl} exports no 'behaviors'`);
  lab = await createLab({ spec: boot.spec, seed: boot.seed, registry: module.behaviors, snapshot: boot.snapshot });
  loggedSoFar = lab.inputLog.length;
  lab.onDidEmit((emission) => emissions.push(emission));
  parent.postMessage({ id: 0, ok: true, status: status() } satisfies LabThreadReply);
} catch (error) {
  parent.postMessage({ id: 0, ok: false, error: String((error as Error).message ?? error) } satisfies LabThreadReply);
  throw error;
}

// One request at a time, in the order sent: a run's inputs must enter before the next request reads.
let queue: Promise<void> = Promise.resolve();
parent.on('message', (request: LabThreadRequest) => {
  queue = queue.then(async () => {
    const reply = await answer(request);
    try {
      parent.postMessage(reply);
    } catch (error) {
      // Something in the answer is not plain data (a behaviour's bug): say so rather than leave the host waiting.
      parent.postMessage({ id: request.id, ok: false, error: `the lab's answer could not cross threads: ${(error as Error).message}` } satisfies LabThreadReply);
    }
  });
});
