// Undo in a live lab (issue 22). The lab is deterministic, so an undo is exact: before each trainee
// action the host keeps the lab's snapshot and its view; undoing the action restores that snapshot and
// re-enters every input stamped since, at its virtual time, without the action, up to where the lab
// was. The lab that results is the one a run that never had the action would have reached. An action
// is one input (a cable, a fault, power) or a command line typed on a console: its keystrokes from the
// first to the Enter, whatever the command (the simplest faithful rule: what a trainee entered, a
// trainee may take back; a `sysconfig` changes nothing, and undoing it changes nothing but the screen).
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
  /** The action's inputs in the order entered: one, or a console line's keystrokes (the first entered right after the snapshot). */
  readonly inputs: readonly LabInput[];
}

/**
 * Inputs a trainee undoes one by one: cables, faults, repairs, power and clients. Console keystrokes
 * are undone by the line (isConsoleKeys) and markers change nothing.
 */
export function isUndoableAction(input: LabInput): boolean {
  if (input.kind === 'cable') return true;
  return input.kind === 'actor' && input.input.kind !== 'console';
}

/** Keys typed on a console: one undo step from a line's first key to its Enter. */
export function isConsoleKeys(input: LabInput): input is LabInput & { kind: 'actor'; input: { kind: 'console' } } {
  return input.kind === 'actor' && input.input.kind === 'console';
}

/** Whether these keys end the line (an Enter; a terminal sends CR, a script or a paste may send LF). */
export function endsLine(input: LabInput): boolean {
  return isConsoleKeys(input) && /[\r\n]/.test(input.input.data);
}

/**
 * The toolbar's name for a typed line: `type "cf takeover" on filerB`. The line as the console took
 * it: erased characters gone, other control keys and escape sequences (arrows) left out, then cut short.
 */
export function consoleLineLabel(actor: string, keys: readonly LabInput[]): string {
  const typed = keys.map((input) => (isConsoleKeys(input) ? input.input.data : '')).join('');
  const line = typed.split(/[\r\n]/)[0]!.replace(/\x1b\[[0-9;]*[A-Za-z~]/g, '');
  let text = '';
  for (const character of line) {
    if (character === '\x7f' || character === '\b') text = text.slice(0, -1);
    else if (character >= ' ') text += character;
  }
  const shown = text.trim().length > 40 ? `${text.trim().slice(0, 39)}…` : text.trim();
  return shown ? `type "${shown}" on ${actor}` : `type Enter on ${actor}`;
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
    case 'console': return consoleLineLabel(input.actor, [input]);
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
 * the snapshot except the action's own. The action's first input was entered right after the snapshot
 * was taken, behind the inputs the snapshot holds as pending (the restored lab stamps those itself), so
 * its place in the log is known; a typed line's later keys follow in order among other inputs.
 */
export function inputsSince(point: UndoPoint, log: readonly StampedInput[]): StampedInput[] {
  const at = point.snapshot.inputLog.length + point.snapshot.pendingInputs.length;
  const same = (stamped: StampedInput | undefined, input: LabInput | undefined): boolean => stamped !== undefined && JSON.stringify(stamped.input) === JSON.stringify(input);
  if (!same(log[at], point.inputs[0])) throw new Error(`undo: the input log does not hold ${point.label} where it was entered`);
  const kept: StampedInput[] = [];
  let matched = 0;
  for (const stamped of log.slice(at)) {
    if (matched < point.inputs.length && same(stamped, point.inputs[matched])) matched++;
    else kept.push(stamped);
  }
  if (matched < point.inputs.length) throw new Error(`undo: the input log does not hold all of ${point.label}`);
  return kept;
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
