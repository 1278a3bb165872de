// Undo in a live lab (issue 22). The lab is deterministic, so an undo is exact: undoing an action
// restores an earlier state of the lab (an undo base) and re-enters every input stamped since, at its
// virtual time, without the action, up to where the lab was. The lab that results is the one a run that
// never had the action would have reached. An action is one input (a cable, a fault, power) or a command
// line typed on a console: its keystrokes from the first to the Enter, whatever the command (the
// simplest faithful rule: what a trainee entered, a trainee may take back; a `sysconfig` changes
// nothing, and undoing it changes nothing but the screen).
//
// Bases are taken while the lab is idle between slices, every UNDO_BASE_EVERY_US of virtual time, not
// as an action enters: a snapshot costs tens to hundreds of milliseconds as the lab's disks fill, and
// taken per action it sat between a cable click (or a line's first key) and the lab seeing it
// (cluster-4 10 virtual minutes in: 483 ms from click to diagram; 13-17 ms now). An action only notes
// the newest base and its own place in the input log; Undo runs forward from that base, a few tens of
// virtual seconds more than from the action itself.
import type { Lab } from '../engine/lab.ts';
import type { LabInput, StampedInput } from '../engine/lab-spec.ts';
import type { SavedLabView } from './engine-view.ts';
import type { KeptSnapshot } from './kept-snapshot.ts';

/** How many actions back a trainee can undo. Each may keep a base (a whole snapshot) alive: a few steps, not a history. */
export const UNDO_DEPTH = 5;

/**
 * Virtual time between undo bases: how far before an action its undo may have to start. ha-pair
 * runs forward at 70x-100x on one core, so 30 s is a few tenths of a second of an Undo's wall time.
 */
export const UNDO_BASE_EVERY_US = 30_000_000;

/**
 * The share of wall time bases may take at max speed (a base waits until this holds): a lab running
 * flat out keeps most of its speed, and an undo's run forward stays near this bound in wall time.
 */
export const UNDO_BASE_WALL_SHARE_MAX = 0.05;

/** The lab as it stood at one moment between slices, kept for Undo to start from (as bytes: kept-snapshot.ts). */
export interface UndoBase {
  readonly snapshot: KeptSnapshot;
  readonly view: SavedLabView;
}

/** One trainee action Undo can take back. */
export interface UndoPoint {
  /** What the action was, as the toolbar names it. */
  readonly label: string;
  /** The newest base when the action entered: Undo starts from it. */
  readonly base: UndoBase;
  /** The place of the action's first input in the lab's input log. */
  readonly at: number;
  /** The action's inputs in the order entered: one, or a console line's keystrokes. */
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

/** The last UNDO_DEPTH undo points, newest last, and the newest base with when it is next due. */
export class UndoHistory {
  private readonly points: UndoPoint[] = [];
  private newest: UndoBase | undefined;
  private lastCostMs = 0;
  private lastTakenMs = -Infinity;

  constructor(private readonly baseEveryUs: number = UNDO_BASE_EVERY_US) {}

  /** The base an action entered now rests on; none until the lab's first is taken. */
  get base(): UndoBase | undefined {
    return this.newest;
  }

  /** Whether a base is due with the lab at `nowUs` and the wall clock at `wallMs`. */
  baseDue(nowUs: number, wallMs: number): boolean {
    if (!this.newest) return true;
    if (nowUs < this.newest.snapshot.nowUs + this.baseEveryUs) return false;
    return wallMs - this.lastTakenMs >= this.lastCostMs / UNDO_BASE_WALL_SHARE_MAX;
  }

  /** A base just taken, from wall `startedMs` to `endedMs`. */
  keepBase(base: UndoBase, startedMs: number, endedMs: number): void {
    this.newest = base;
    this.lastTakenMs = endedMs;
    this.lastCostMs = endedMs - startedMs;
  }

  push(point: UndoPoint): void {
    this.points.push(point);
    if (this.points.length > UNDO_DEPTH) this.points.shift();
  }

  pop(): UndoPoint | undefined {
    return this.points.pop();
  }

  /**
   * The lab now is the one an undo of `point` made, its log without the inputs at `removed`. The points
   * left move up by the inputs taken out before them (a typed line's keys may straddle later actions),
   * and a base that holds one of those inputs is no state of the new lab: a point on it, and the newest
   * base, go back to `point`'s own, where the new lab started.
   */
  undone(point: UndoPoint, removed: readonly number[]): void {
    // The action's first input, at point.at, is the first taken out.
    const rebased = (base: UndoBase): UndoBase => (base.snapshot.inputsTaken > point.at ? point.base : base);
    for (let index = 0; index < this.points.length; index++) {
      const left = this.points[index]!;
      const before = removed.filter((place) => place < left.at).length;
      this.points[index] = { ...left, base: rebased(left.base), at: left.at - before };
    }
    if (this.newest) this.newest = rebased(this.newest);
  }

  /** Another lab: no points, no base. */
  clear(): void {
    this.points.length = 0;
    this.newest = undefined;
  }

  get labels(): string[] {
    return this.points.map((point) => point.label);
  }
}

/** What an undo enters again, and the places in the log of the inputs it takes out. */
export interface UndoReplay {
  readonly inputs: StampedInput[];
  readonly removed: number[];
}

/**
 * The inputs to enter again on a lab restored from `point`'s base: every input the running lab stamped
 * after the base except the action's own. The action's first input sits where it was noted; a typed
 * line's later keys follow in order among other inputs.
 */
export function undoReplay(point: UndoPoint, log: readonly StampedInput[]): UndoReplay {
  const from = point.base.snapshot.inputsTaken;
  if (point.at < from) throw new Error(`undo: ${point.label} entered before the state it would start from`);
  const same = (stamped: StampedInput | undefined, input: LabInput | undefined): boolean => stamped !== undefined && JSON.stringify(stamped.input) === JSON.stringify(input);
  if (!same(log[point.at], point.inputs[0])) throw new Error(`undo: the input log does not hold ${point.label} where it was entered`);
  const inputs = log.slice(from, point.at);
  const removed: number[] = [];
  for (let index = point.at; index < log.length; index++) {
    if (removed.length < point.inputs.length && same(log[index], point.inputs[removed.length])) removed.push(index);
    else inputs.push(log[index]!);
  }
  if (removed.length < point.inputs.length) throw new Error(`undo: the input log does not hold all of ${point.label}`);
  return { inputs, removed };
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
