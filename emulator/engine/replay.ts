// Replay (DESIGN.md §2): re-executing topology + seed + input log gives the same trace. Each logged
// input is queued when the lab stands exactly at its stamp, so it is stamped with the same time and
// the same order as the first time.
import type { Micros } from './actor.ts';
import type { Lab } from './lab.ts';
import type { StampedInput } from './lab-spec.ts';
import type { ParsedRecording } from './recording.ts';

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

export interface ReplayCheck {
  readonly atUs: Micros;
  readonly expected: string;
  readonly actual: string;
  readonly matches: boolean;
}

export interface ReplayOutcome {
  /** Every checkpoint, then the end, as far as the replay went. */
  readonly checks: ReplayCheck[];
  /** The first check whose hash differs: where the replay stopped. */
  readonly diverged: ReplayCheck | undefined;
}

/**
 * Re-executes a recording on a fresh lab of its topology and seed, comparing the trace hash at each
 * checkpoint and at the end; stops at the first that differs (what follows it cannot match either).
 * `onCheck` sees each comparison as it is made, for a progress display.
 */
export async function replayRecording(
  lab: Lab, recording: Pick<ParsedRecording, 'inputs' | 'checkpoints' | 'end'>, onCheck?: (check: ReplayCheck) => void,
): Promise<ReplayOutcome> {
  const checks: ReplayCheck[] = [];
  // A recording cut short has no hash at its end: it is replayed that far, its last check a checkpoint.
  const end = recording.end;
  const targets = [...recording.checkpoints, ...(end.traceHash === null ? [] : [{ atUs: end.atUs, traceHash: end.traceHash }])];
  let fromUs = 0;
  for (const target of targets) {
    // A checkpoint at T is the state before the inputs stamped T take effect.
    await replayInputs(lab, recording.inputs.filter((stamped) => stamped.atUs >= fromUs && stamped.atUs < target.atUs), target.atUs);
    fromUs = target.atUs;
    const actual = await lab.traceHash();
    const check: ReplayCheck = { atUs: target.atUs, expected: target.traceHash, actual, matches: actual === target.traceHash };
    checks.push(check);
    onCheck?.(check);
    if (!check.matches) return { checks, diverged: check };
  }
  if (end.traceHash === null) await replayInputs(lab, recording.inputs.filter((stamped) => stamped.atUs >= fromUs), end.atUs);
  return { checks, diverged: undefined };
}
