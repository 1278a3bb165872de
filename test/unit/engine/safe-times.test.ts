// Per-partition safe times (emulator/engine/safe-times.ts): a partition runs as far as nothing can
// reach it, and however far that is, the trace stays the one of a single partition.
import { describe, expect, it } from 'vitest';
import { LOOKAHEAD_US } from '../../../emulator/engine/actor.ts';
import { createLab } from '../../../emulator/engine/lab.ts';
import type { LabSpec } from '../../../emulator/engine/lab-spec.ts';
import { localPartition } from '../../../emulator/engine/placement.ts';
import type { Placement } from '../../../emulator/engine/placement.ts';
import { SafeTimes } from '../../../emulator/engine/safe-times.ts';
import { behaviors, RING_SCRIPT, ringLab } from './fixtures/ping-actors.ts';

/** One partition per placement group and one for the rest, all in this thread: `workers` without threads. */
const split: Placement = {
  name: 'split',
  createPartitions: async (request) => {
    const groups = new Map<string, string[]>();
    const rest: string[] = [];
    for (const actor of request.spec.actors) {
      if (actor.placementGroup === undefined) rest.push(actor.id);
      else groups.set(actor.placementGroup, [...(groups.get(actor.placementGroup) ?? []), actor.id]);
    }
    return [localPartition(request, rest), ...[...groups.values()].map((ids) => localPartition(request, ids))];
  },
};


async function run(spec: LabSpec, placement: Placement | undefined): Promise<{ hash: string; events: number; summary: unknown }> {
  const lab = await createLab({ spec, seed: 42, registry: behaviors, placement });
  for (const [atUs, input] of RING_SCRIPT) {
    await lab.runUntil(atUs);
    lab.input(input);
  }
  await lab.runUntil(200_000);
  return { hash: await lab.traceHash(), events: lab.eventsHandled, summary: await lab.summary() };
}

describe('per-partition safe times', () => {
  it('gives the trace of one partition, with inputs, pulled cables and ports turned off', async () => {
    for (const spec of [ringLab(5, { groups: 3, latencyUs: 1200 }), ringLab(6, { groups: 2 }), ringLab(4, { groups: 4, periodUs: 700 })]) {
      const single = await run(spec, undefined);
      const several = await run(spec, split);
      expect(several).toEqual(single);
    }
  });

  it('lets a partition run k·L past an actor k cables away, and 2 L past its own lone actor', () => {
    const ring = ringLab(6);
    const times = new SafeTimes(ring, [['n0'], ['n1', 'n2', 'n3', 'n4', 'n5']]);
    const earliest = new Float64Array(6).fill(Infinity);
    earliest[3] = 10_000; // n3 is three cables from n0 either way round
    expect(times.horizon(0, earliest)).toBe(10_000 + 3 * LOOKAHEAD_US);
    expect(times.horizon(1, earliest)).toBe(10_000 + LOOKAHEAD_US);
    earliest[0] = 5_000;
    expect(times.horizon(0, earliest)).toBe(5_000 + 2 * LOOKAHEAD_US);
  });
});
