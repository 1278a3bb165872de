// Undo in a live lab (issue 22). The lab is deterministic, so an undo is exact: before each trainee
// action the host keeps the lab's snapshot and its view; undoing the action restores that snapshot and
// re-enters every input stamped since, at its virtual time, without the action, up to where the lab
// was. The lab that results is the one a run that never had the action would have reached.
import type { Lab } from '../engine/lab.ts';
import type { LabInput, StampedInput } from '../engine/lab-spec.ts';
import type { LabSnapshot } from '../engine/snapshot.ts';
import type { SavedLabView } from './engine-view.ts';

/**
 * How many actions back a trainee can undo. Each keeps a whole snapshot of the lab: on ha-pair about
 * 14 MB as JSON and 100 ms to take, so a few steps, not a history.
 */
export const UNDO_DEPTH = 5;

/** The lab as it stood just before one trainee action. */
export interface UndoPoint {
  /** What the action was, as the toolbar names it. */
  readonly label: string;
  readonly snapshot: LabSnapshot;
  readonly view: SavedLabView;
  /** The action itself. */
  readonly input: LabInput;
}

/**
 * Inputs a trainee undoes one by one: cables, faults, repairs, power and clients. Console keystrokes
 * are not actions of their own (a command is many of them) and markers change nothing.
 */
export function isUndoableAction(input: LabInput): boolean {
  if (input.kind === 'cable') return true;
  return input.kind === 'actor' && input.input.kind !== 'console';
}

/** The toolbar's name for an action: `pull filerA:0a`, `fault shelf1.3 fail`, `power filerB off`. */
export function actionLabel(input: LabInput): string {
  if (input.kind === 'cable') return `${input.plugged ? 'plug' : 'pull'} ${input.end.actor}:${input.end.port}`;
  if (input.kind === 'mark') return `mark ${input.text}`;
  const act = input.input;
  switch (act.kind) {
    case 'fault':
    case 'clear': return [act.kind, input.actor, act.fault, ...act.args].join(' ');
    case 'power': return `power ${input.actor} ${act.on ? 'on' : 'off'}`;
    case 'client': return `${act.action} ${input.actor}`;
    case 'console': return `type on ${input.actor}`;
  }
}

/** The last UNDO_DEPTH undo points, newest last. */
export class UndoHistory {
  private readonly points: UndoPoint[] = [];

  push(point: UndoPoint): void {
    this.points.push(point);
    if (this.points.length > UNDO_DEPTH) this.points.shift();
  }

  pop(): UndoPoint | undefined {
    return this.points.pop();
  }

  clear(): void {
    this.points.length = 0;
  }

  get labels(): string[] {
    return this.points.map((point) => point.label);
  }
}

/**
 * The inputs to enter again on a lab restored from `point`: every input the running lab stamped after
 * the undone action. The action was entered right after the snapshot was taken, behind the inputs the
 * snapshot holds as pending (the restored lab stamps those itself), so its place in the log is known.
 */
export function inputsSince(point: UndoPoint, log: readonly StampedInput[]): StampedInput[] {
  const at = point.snapshot.inputLog.length + point.snapshot.pendingInputs.length;
  const action = log[at];
  if (!action || JSON.stringify(action.input) !== JSON.stringify(point.input)) {
    throw new Error(`undo: the input log does not hold ${point.label} where it was entered`);
  }
  return log.slice(at + 1);
}

/** Runs a lab restored from an undo point forward to `untilUs`, entering `inputs` at their stamped times. */
export async function replayInputs(lab: Lab, inputs: readonly StampedInput[], untilUs: number): Promise<void> {
  for (const stamped of inputs) {
    await lab.runUntil(stamped.atUs);
    const entered = lab.input(stamped.input);
    if (!entered.ok) throw new Error(`undo could not enter again ${actionLabel(stamped.input)} at ${stamped.atUs} µs: ${entered.error}`);
  }
  await lab.runUntil(untilUs);
}
