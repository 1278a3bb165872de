// A recording's inputs handed to a lab at their stamps as it runs (issue 22, playback): each one is
// queued when the lab stands exactly at its time, as replay does (engine/replay.ts), so the played lab
// is the recorded one whatever the slices it is run in. Inputs stamped at the time a run stops at are
// queued by the next run: a lab stopped at T holds none of T's inputs yet (where keyframes are taken).
import type { Micros } from '../engine/actor.ts';
import type { Lab } from '../engine/lab.ts';
import type { StampedInput } from '../engine/lab-spec.ts';

export class RecordingFeed {
  private next: number;

  /**
   * `inputs` in recorded order; the lab holds the first `inputsHeld` of them (a fresh lab none, a
   * restored keyframe those its snapshot logged or had pending).
   */
  constructor(private readonly inputs: readonly StampedInput[], inputsHeld: number) {
    this.next = Math.min(inputsHeld, inputs.length);
  }

  /** The time of the next input not yet handed over (Infinity after the last). */
  nextInputUs(): Micros {
    return this.inputs[this.next]?.atUs ?? Infinity;
  }

  /** Runs the lab to `targetUs`, queueing each input stamped before it when the lab reaches its time. */
  async runUntil(lab: Lab, targetUs: Micros): Promise<void> {
    while (this.next < this.inputs.length && this.inputs[this.next]!.atUs < targetUs) {
      const stamped = this.inputs[this.next]!;
      await lab.runUntil(stamped.atUs);
      const result = lab.input(stamped.input);
      if (!result.ok) throw new Error(`recorded input ${stamped.sequence} at ${stamped.atUs} µs no longer applies: ${result.error}`);
      this.next++;
    }
    await lab.runUntil(targetUs);
  }
}
