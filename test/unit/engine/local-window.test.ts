// `single`'s window (lab.ts runLocalWindow): the conductor calls its one partition directly and routes
// sends as they are made. It must be the general window path to the last detail, which this checks by
// running the same lab through both: the general path gets the same one partition with its direct door
// hidden.
import { describe, expect, it } from 'vitest';
import { createLab } from '../../../emulator/engine/lab.ts';
import type { Lab, LabEmission } from '../../../emulator/engine/lab.ts';
import type { LabInput, LabSpec } from '../../../emulator/engine/lab-spec.ts';
import { localPartition } from '../../../emulator/engine/placement.ts';
import type { Placement } from '../../../emulator/engine/placement.ts';
import { behaviors, RING_SCRIPT, ringLab } from './fixtures/ping-actors.ts';

/** One partition in this thread, driven by requests and results like a worker's. */
const throughRequests: Placement = {
  name: 'single',
  createPartitions: async (request) => [{ ...localPartition(request, request.spec.actors.map((actor) => actor.id)), local: undefined }],
};

/** `single` as it is, but a window that went through a request would fail: the direct path is what runs. */
const directOnly: Placement = {
  name: 'single',
  createPartitions: async (request) => [{
    ...localPartition(request, request.spec.actors.map((actor) => actor.id)),
    runWindow: () => { throw new Error("single's window went through a request"); },
  }],
};

// The ring script, and an actor that throws while messages to it are on their way and more are sent
// to it in the same window.
const SCRIPT: readonly [number, LabInput][] = [
  ...RING_SCRIPT,
  [150_000, { kind: 'actor', actor: 'n3', input: { kind: 'console', data: 'crash' } }],
  // A snapshot at the end of the crash's window: what was sent to n3 in it is dropped, not in flight.
  [150_900, { kind: 'actor', actor: 'n0', input: { kind: 'console', data: 'after' } }],
  [170_000, { kind: 'cable', end: { actor: 'n1', port: 'l' }, plugged: false }],
];

interface Seen { lab: Lab; emissions: string[]; snapshots: string[] }

async function run(spec: LabSpec, placement: Placement | undefined): Promise<Seen> {
  const lab = await createLab({ spec, seed: 7, registry: behaviors, placement });
  const emissions: string[] = [];
  const snapshots: string[] = [];
  lab.onDidEmit((emission: LabEmission) => emissions.push(JSON.stringify({ now: lab.nowUs, emission })));
  for (const [atUs, input] of SCRIPT) {
    await lab.runUntil(atUs);
    snapshots.push(JSON.stringify(await lab.snapshot()));
    expect(lab.input(input)).toEqual({ ok: true });
  }
  await lab.runUntil(220_000);
  // Stepping goes through the same window.
  for (let step = 0; step < 25; step++) await lab.step();
  snapshots.push(JSON.stringify(await lab.snapshot()));
  return { lab, emissions, snapshots };
}

describe("single's direct window", () => {
  it('is the general window: same trace, emissions with their clock, snapshots, summary and panics', async () => {
    for (const spec of [ringLab(5, { latencyUs: 1200 }), ringLab(4, { periodUs: 700 })]) {
      const direct = await run(spec, directOnly);
      const general = await run(spec, throughRequests);
      expect(await direct.lab.traceHash()).toBe(await general.lab.traceHash());
      expect(direct.lab.eventsHandled).toBe(general.lab.eventsHandled);
      expect(direct.lab.nowUs).toBe(general.lab.nowUs);
      expect(direct.lab.panicked.map((panic) => panic.actor)).toEqual(['n3']);
      expect(direct.lab.panicked).toEqual(general.lab.panicked);
      expect(direct.emissions.length).toBeGreaterThan(50);
      expect(direct.emissions).toEqual(general.emissions);
      expect(direct.snapshots).toEqual(general.snapshots);
      expect(await direct.lab.summary()).toEqual(await general.lab.summary());
      await direct.lab.dispose();
      await general.lab.dispose();
    }
  });
});
