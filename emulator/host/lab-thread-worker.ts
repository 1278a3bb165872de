// The thread side of a lab in a thread of its own (lab-thread.ts): the whole lab, its conductor and
// every actor, in `single` placement here, so the host's thread (Electron's main process, the browser
// shell's server) runs no window at all. Requests are taken one at a time, in order. A thread runs one
// lab at a time; after 'close' it waits, its code warm, for the host to open the next.
import { parentPort } from 'node:worker_threads';
import { keptSnapshot } from './kept-snapshot.ts';
import type { KeptSnapshot } from './kept-snapshot.ts';
import type { BehaviorRegistry } from '../engine/actor.ts';
import { createLab } from '../engine/lab.ts';
import type { Lab, LabEmission } from '../engine/lab.ts';
import type { LabInput } from '../engine/lab-spec.ts';
import type { LabThreadBoot, LabThreadReply, LabThreadRequest, LabThreadStatus } from './lab-thread-protocol.ts';

const parent = parentPort;
if (!parent) throw new Error('lab-thread-worker.ts must run in a worker thread');

/** The open lab, with what its host has already been told. */
interface Open { readonly lab: Lab; loggedSoFar: number; emissions: LabEmission[] }
let open: Open | undefined;

async function openLab(boot: LabThreadBoot): Promise<Open> {
  const module = await import(boot.registryUrl) as { behaviors?: BehaviorRegistry };
  if (!module.behaviors) throw new Error(`${boot.registryUrl} exports no 'behaviors'`);
  const lab = await createLab({ spec: boot.spec, seed: boot.seed, registry: module.behaviors, snapshot: boot.snapshot });
  const opened: Open = { lab, loggedSoFar: lab.inputLog.length, emissions: [] };
  lab.onDidEmit((emission) => opened.emissions.push(emission));
  return opened;
}

function status(told: Open): LabThreadStatus {
  const lab = told.lab;
  const log = lab.inputLog;
  const logged = log.slice(told.loggedSoFar);
  told.loggedSoFar = log.length;
  const emissions = told.emissions;
  told.emissions = [];
  return {
    nowUs: lab.nowUs, eventsHandled: lab.eventsHandled, nextEventUs: lab.nextEventUs(), logged,
    panicked: lab.panicked, unplugged: lab.unpluggedEnds(), emissions,
    linksUp: lab.spec.cables.map((cable) => lab.linkUp(cable.id)),
  };
}

function enter(lab: Lab, inputs: readonly LabInput[]): void {
  // The host checked each against the same spec (inputProblem), so none is refused here.
  for (const input of inputs) {
    const entered = lab.input(input);
    if (!entered.ok) throw new Error(`input refused in the lab's thread: ${entered.error}`);
  }
}

async function answer(request: LabThreadRequest): Promise<LabThreadReply> {
  const { id } = request;
  try {
    if (request.op === 'open') {
      if (open) throw new Error('this thread already runs a lab');
      open = await openLab(request.boot);
      return { id, ok: true, status: status(open) };
    }
    if (!open) throw new Error('no lab is open in this thread');
    const { lab } = open;
    if (request.op === 'close') {
      open = undefined;
      await lab.dispose();
      return { id, ok: true };
    }
    enter(lab, request.inputs);
    switch (request.op) {
      case 'run':
        await lab.runUntil(request.targetUs);
        return { id, ok: true, status: status(open) };
      case 'step': {
        const value = await lab.step();
        return { id, ok: true, status: status(open), value };
      }
      case 'snapshot': return { id, ok: true, value: await lab.snapshot(), status: status(open) };
      case 'snapshotBytes': return { id, ok: true, value: keptSnapshot(await lab.snapshot()), status: status(open) };
      case 'summary': return { id, ok: true, value: await lab.summary(), status: status(open) };
      case 'traceHash': return { id, ok: true, value: await lab.traceHash(), status: status(open) };
    }
  } catch (error) {
    return { id, ok: false, error: String((error as Error).message ?? error) };
  }
}

// One request at a time, in the order sent: a run's inputs must enter before the next request reads.
let queue: Promise<void> = Promise.resolve();
parent.on('message', (request: LabThreadRequest) => {
  queue = queue.then(async () => {
    const reply = await answer(request);
    try {
      // A kept snapshot's bytes move to the host rather than being copied (they are this reply's own).
      const kept = request.op === 'snapshotBytes' && reply.ok ? reply.value as KeptSnapshot : undefined;
      parent.postMessage(reply, kept ? [kept.bytes.buffer as ArrayBuffer] : []);
    } catch (error) {
      // Something in the answer is not plain data (a behaviour's bug): say so rather than leave the host waiting.
      parent.postMessage({ id: request.id, ok: false, error: `the lab's answer could not cross threads: ${(error as Error).message}` } satisfies LabThreadReply);
    }
  });
});
