// Replay (DESIGN.md §2): re-executing topology + seed + input log gives the same trace. Each logged
// input is queued when the lab stands exactly at its stamp, so it is stamped with the same time and
// the same order as the first time.
import type { Micros } from './actor.ts';
import type { Lab } from './lab.ts';
import type { StampedInput } from './lab-spec.ts';

export async function replayInputs(lab: Lab, log: readonly StampedInput[], untilUs: Micros): Promise<void> {
  const ordered = [...log].sort((left, right) => left.atUs - right.atUs || left.sequence - right.sequence);
  for (const stamped of ordered) {
    if (stamped.atUs > untilUs) break;
    if (stamped.atUs < lab.nowUs) throw new Error(`input ${stamped.sequence} at ${stamped.atUs} µs is before the lab's time ${lab.nowUs} µs`);
    await lab.runUntil(stamped.atUs);
    const result = lab.input(stamped.input);
    if (!result.ok) throw new Error(`input ${stamped.sequence} no longer applies: ${result.error}`);
  }
  await lab.runUntil(untilUs);
}
