// The lab session: the LabHost that UIs are served from (emulator/host/lab-host.ts). It owns one
// running lab, paces it on the wall clock (paused, step, 0.1x–100x, max), takes inputs, keeps the view
// and sends throttled deltas. The lab runs in slices between which Node's event loop turns, so the
// host stays responsive whatever the speed.
import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { Lab } from '../engine/lab.ts';
import type { LabInput } from '../engine/lab-spec.ts';
import { parseRecording, RECORDING_CHECKPOINT_EVERY_US } from '../engine/recording.ts';
import type { ParsedRecording } from '../engine/recording.ts';
import type { HostEvent, LabSource, LabView, OpenTextAnswer, Pace, RecordAnswer, SavedState } from '../protocol/channels.ts';
import type { PlaybackAnswer, PlaybackRequest } from '../protocol/playback.ts';
import { labFileName, loadLabSources, openLab, openLabSpec, recordedInputCheck, seedOf } from './engine-lab-loader.ts';
import { BarrierSpin } from './placement-workers.ts';
import type { LabSources, PlacementName } from './engine-lab-loader.ts';
import { LabViewState } from './engine-view.ts';
import type { SavedLabView } from './engine-view.ts';
import type { Disposable, LabHost } from './lab-host.ts';
import { defaultSavedLabsDir, SavedLabShelf } from './saved-labs.ts';
import { readInputText } from './files.ts';
import { RecordingPlayer } from './recording-player.ts';
import { defaultRecordingsDir, RecordingShelf } from './recording-shelf.ts';
import { RECORDING_FLUSH_EVERY_US, RecordingStream } from './recording-stream.ts';
import { readSidecar, sidecarPathOf } from './keyframe-sidecar.ts';
import type { LoadedKeyframe, SidecarKeyframes } from './keyframe-index.ts';
import { keepSnapshot, keptLabSnapshot } from './kept-snapshot.ts';
import { LiveKeyframes } from './live-keyframes.ts';
import { summaryEntries } from './summary-view.ts';
import { actionLabel, consoleLineLabel, endsLine, isConsoleKeys, isUndoableAction, replayInputs, undoReplay, UndoHistory } from './lab-undo.ts';
import type { UndoBase } from './lab-undo.ts';
import type { ScenarioEntry, ScenarioExport, ScenarioProgress, UndoAnswer } from '../protocol/scenario-view.ts';
import { LiveAttempt } from './scenario-live.ts';
import { startLiveAttempt, windowScenarios } from './scenario-window.ts';

export interface LabSessionOptions {
  /** The lab to open at once (a built-in name or a file path); none when undefined. */
  readonly lab?: string;
  readonly placement?: PlacementName;
  readonly seed?: number;
  readonly pace?: Pace;
  /** Where labs and behaviours come from; defaults to emulator/lab's catalog and registry. */
  readonly sources?: LabSources;
  /** Where Save state writes and Restore reads (defaultSavedLabsDir() when not given). */
  readonly savedLabsDir?: string;
  /** The folder whose lab files UIs may open by path (defaultLabsDir() when not given). */
  readonly labsDir?: string;
  /** Where graded attempts in the window keep their recordings (defaultAttemptsDir() when not given). */
  readonly attemptsDir?: string;
  /** Where the Record button writes its recordings as it goes (defaultRecordingsDir() when not given). */
  readonly recordingsDir?: string;
  /** Virtual time between a played recording's keyframes (KEYFRAME_EVERY_US when not given; tests make it short). */
  readonly keyframeEveryUs?: number;
  /** Virtual time between the keyframes Record writes beside its recording (LIVE_KEYFRAME_EVERY_US when not given). */
  readonly recordKeyframeEveryUs?: number;
  /** Virtual time between Undo's bases (UNDO_BASE_EVERY_US when not given; tests make it short). */
  readonly undoBaseEveryUs?: number;
}

/** A recording under way: where it started, the file it is written to as it goes (and its keyframes), when it is next written. */
interface Recorder {
  readonly fromUs: number;
  readonly stream: RecordingStream;
  readonly keyframes: LiveKeyframes;
  nextCheckpointUs: number;
  nextFlushUs: number;
}

const DELTA_INTERVAL_MS = 33;
/**
 * Paced and caught up with the wall clock, the next slice runs this much later: as often as deltas go
 * out while someone watches (a window, a console), rarely when nobody does (an idle lab at 1x must
 * cost a laptop next to nothing). An input runs at once either way; no virtual time depends on it.
 */
const WATCHED_TICK_MS = DELTA_INTERVAL_MS;
/** How often a UI's input may show at once, ahead of DELTA_INTERVAL_MS (faster than anyone clicks). */
const SHOW_AT_ONCE_EVERY_MS = 100;
const UNWATCHED_TICK_MS = 250;
const SLICE_WALL_MS = 15;
const IDLE_POLL_MS = 50;
/** How often (wall time) the window's summary facts are refreshed: vserver moves show within this. */
const SUMMARY_INTERVAL_MS = 250;

export async function createLabSession(options: LabSessionOptions = {}): Promise<LabSession> {
  let sources = options.sources;
  let sourceError: string | undefined;
  if (!sources) {
    const loaded = await loadLabSources();
    if (loaded.ok) sources = loaded.sources;
    else sourceError = loaded.error;
  }
  const session = new LabSession(sources, sourceError, options);
  // The lab named at launch (a command line, an environment variable) is the user's own choice: any
  // path, and UIs may open it again by that path.
  if (options.lab) await session.openTrusted(options.lab);
  return session;
}

/** Recordings of graded attempts made in the window: $FILERLAB_ATTEMPTS_DIR, else <data home>/filerlab/attempts. */
export function defaultAttemptsDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FILERLAB_ATTEMPTS_DIR) return env.FILERLAB_ATTEMPTS_DIR;
  return path.join(path.dirname(defaultSavedLabsDir(env)), 'attempts');
}

/** Lab files UIs may open by path: $FILERLAB_LABS_DIR, else <data home>/filerlab/labs. */
export function defaultLabsDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FILERLAB_LABS_DIR) return env.FILERLAB_LABS_DIR;
  return path.join(path.dirname(defaultSavedLabsDir(env)), 'labs');
}

export class LabSession implements LabHost {
  private lab: Lab | undefined;
  private viewState = new LabViewState([]);
  private pace: Pace;
  private readonly listeners = new Set<(event: HostEvent) => void>();
  private pacer: ReturnType<typeof setTimeout> | undefined;
  private deltaTimer: ReturnType<typeof setTimeout> | undefined;
  private lastDeltaMs = 0;
  /**
   * A UI's input waiting to show: once the lab's log holds this many inputs (it was stamped), the next
   * delta goes at once rather than up to DELTA_INTERVAL_MS later, at most every SHOW_AT_ONCE_EVERY_MS. A
   * pulled cable shows in the next frame; a storm of clicks gets the usual pace.
   */
  private showWhenLogged: number | undefined;
  private lastShownAtOnceMs = -Infinity;
  private lastSummaryMs = -Infinity;
  private lastSummaryUs = -1;
  /** Wall-clock anchor of paced running: at wall `anchorWallMs` the lab was at `anchorUs`. */
  private anchorWallMs = 0;
  private anchorUs = 0;
  private virtualSliceUs = 10_000;
  private busy: Promise<void> = Promise.resolve();
  private disposed = false;
  /** Workers placement: threads spin at barriers only while the lab runs flat out (max, or behind). */
  private readonly spin = new BarrierSpin();
  private fellBehind = false;
  private recorder: Recorder | undefined;
  /** The running lab's YAML text and name (Save), when its sources could read it. */
  private source: LabSource | undefined;
  /** Why the last open failed, for a UI that asks. */
  lastError: string | undefined;
  private readonly shelf: SavedLabShelf;
  private readonly labsDir: string;
  /** Lab files opened at launch (real paths): UIs may open them again by path. */
  private readonly launchFiles = new Set<string>();
  /** The last trainee actions and the states Undo starts from. */
  private readonly undoHistory: UndoHistory;
  /** Actions waiting for the lab's first undo base (they enter once it is taken); later inputs queue behind them. */
  private waitingForBase = 0;
  /**
   * Per filer, the console line being typed: where its first key entered (the base it rests on and its
   * place in the log) and its keys so far. Its Enter makes it an undo point.
   */
  private readonly openLines = new Map<string, { start?: { readonly base: UndoBase; readonly at: number }; readonly keys: LabInput[] }>();
  /** The graded scenario attempt on the running lab (still shown once ended, until another lab opens). */
  private attempt: LiveAttempt | undefined;
  /** The recording being played in the window (issue 22); the lab is live when there is none. */
  private player: RecordingPlayer | undefined;
  private readonly recordings: RecordingShelf;

  constructor(private readonly sources: LabSources | undefined, sourceError: string | undefined, private readonly options: LabSessionOptions) {
    this.pace = options.pace ?? { mode: 'running', speed: 1 };
    this.lastError = sourceError;
    this.shelf = new SavedLabShelf(options.savedLabsDir ?? defaultSavedLabsDir());
    this.labsDir = options.labsDir ?? defaultLabsDir();
    this.recordings = new RecordingShelf(options.recordingsDir ?? defaultRecordingsDir());
    this.undoHistory = new UndoHistory(options.undoBaseEveryUs);
  }

  /** The running lab, for the host's own tools (recording, tests). */
  get current(): Lab | undefined {
    return this.lab;
  }

  view(): LabView {
    const lab = this.lab;
    return {
      lab: lab?.spec.name ?? '',
      seed: lab?.seed ?? this.options.seed ?? 1,
      atUs: lab?.nowUs ?? 0,
      pace: this.pace,
      topology: {
        actors: (lab?.spec.actors ?? []).map((actor) => ({ id: actor.id, kind: actor.kind, config: actor.config })),
        cables: (lab?.spec.cables ?? []).map((cable) => ({ id: cable.id, kind: cable.kind, a: cable.a, b: cable.b })),
      },
      state: Object.fromEntries(this.viewState.state),
      unplugged: this.viewState.unpluggedEnds,
      ems: [...this.viewState.ems],
    };
  }

  input(input: LabInput): { ok: boolean; error?: string } {
    if (!this.lab) return { ok: false, error: this.lastError ?? 'no lab is open' };
    if (this.player) return { ok: false, error: 'a recording is playing: Take over to change the lab from here' };
    const refused = this.sources?.validate?.(this.lab.spec, input);
    if (refused) return { ok: false, error: refused };
    if (isUndoableAction(input) && !this.undoOff) return this.inputUndoable(this.lab, input);
    if (isConsoleKeys(input) && !this.undoOff) return this.inputConsoleKeys(this.lab, input);
    const result = this.lab.input(input);
    if (!result.ok) return result;
    this.showWhenLogged = this.lab.inputsTaken;
    this.schedule(0);
    return { ok: true };
  }

  /** Undo is off while recording and during a graded attempt (see undo()): no bases are taken then. */
  private get undoOff(): boolean {
    return this.recorder !== undefined || (this.attempt !== undefined && !this.attempt.ended);
  }

  /** A trainee action that Undo can take back: an undo point on the base it enters after. */
  private inputUndoable(lab: Lab, input: LabInput): { ok: boolean; error?: string } {
    const problem = lab.checkInput(input);
    if (problem) return { ok: false, error: problem };
    this.enterForUndo(lab, input, (base, at) => this.undoHistory.push({ label: actionLabel(input), base, at, inputs: [input] }));
    return { ok: true };
  }

  /**
   * Keys typed on a filer's console, a line an undo step: the line starts where its first key enters,
   * and its Enter makes it an undo point. An input refused on the way (a filer gone) ends the line
   * without a point.
   */
  private inputConsoleKeys(lab: Lab, input: LabInput & { kind: 'actor' }): { ok: boolean; error?: string } {
    const problem = lab.checkInput(input);
    if (problem) return { ok: false, error: problem };
    let line = this.openLines.get(input.actor);
    if (!line) {
      line = { keys: [] };
      this.openLines.set(input.actor, line);
    }
    const open = line;
    open.keys.push(input);
    this.enterForUndo(lab, input, (base, at) => {
      open.start ??= { base, at };
      // A line whose lab was swapped by an Undo meanwhile is no step: its keys still enter.
      if (!endsLine(input) || this.openLines.get(input.actor) !== open) return;
      this.openLines.delete(input.actor);
      this.undoHistory.push({ label: consoleLineLabel(input.actor, open.keys), ...open.start, inputs: open.keys });
    }, () => { if (this.openLines.get(input.actor) === open) this.openLines.delete(input.actor); });
    return { ok: true };
  }

  /**
   * Enters an input Undo may take back and tells `entered` the base it rests on and its place in the
   * log. At once when the lab has a base; else (a lab just opened, before its first slice) once one is
   * taken between slices, and inputs that come meanwhile queue behind it so they keep their order.
   */
  private enterForUndo(lab: Lab, input: LabInput, entered: (base: UndoBase, at: number) => void, refused?: () => void): void {
    const enter = (base: UndoBase): void => {
      const at = lab.inputsTaken;
      const result = lab.input(input);
      if (result.ok) {
        this.showWhenLogged = lab.inputsTaken;
        entered(base, at);
      } else {
        this.lastError = result.error;
        refused?.();
      }
    };
    const base = this.undoHistory.base;
    if (base && this.waitingForBase === 0) {
      enter(base);
      this.schedule(0);
      return;
    }
    this.waitingForBase++;
    const entering = this.busy.then(async () => {
      if (this.lab !== lab) { refused?.(); return; }
      enter(this.undoHistory.base ?? await this.takeUndoBase(lab));
    }).finally(() => { this.waitingForBase--; });
    this.busy = entering.catch((error) => this.fail(error));
    this.schedule(0);
  }

  /** Keeps the lab as it stands as Undo's newest base. Only while the lab is idle (between slices). */
  private async takeUndoBase(lab: Lab): Promise<UndoBase> {
    const started = performance.now();
    const base = { snapshot: await keepSnapshot(lab), view: this.viewState.save() };
    this.undoHistory.keepBase(base, started, performance.now());
    return base;
  }

  /** Between slices: a new undo base when one is due (Undo on, a live lab). */
  private async offerUndoBase(lab: Lab): Promise<void> {
    if (this.undoOff || this.player || this.lab !== lab) return;
    if (this.undoHistory.baseDue(lab.nowUs, performance.now())) await this.takeUndoBase(lab);
  }

  /**
   * Undo: the lab goes back to the base before the last trainee action and runs forward to where it
   * was with every input since except that action (lab-undo.ts). The view follows the replay from the
   * view kept with the base, so consoles and timeline read as if the action never happened.
   */
  async undo(): Promise<UndoAnswer> {
    const lab = this.lab;
    if (!lab || !this.sources) return { ok: false, error: this.lastError ?? 'no lab is open' };
    if (this.attempt && !this.attempt.ended) return { ok: false, error: 'undo is off during a graded scenario attempt: it is graded on what happened' };
    // The recording is written as it goes: what it holds already happened, and a replay must find it.
    if (this.recorder) return { ok: false, error: 'undo is off while recording: stop the recording first' };
    if (this.player) return { ok: false, error: 'undo is off while a recording plays: take over first' };
    const sources = this.sources;
    clearTimeout(this.pacer);
    const undoing = this.busy.then(async () => {
      const point = this.undoHistory.pop();
      if (!point || this.lab !== lab) return undefined;
      const untilUs = lab.nowUs;
      const replay = undoReplay(point, lab.inputLog);
      const snapshot = keptLabSnapshot(point.base.snapshot);
      const opened = await openLabSpec(sources, lab.spec.name, snapshot.spec, { seed: snapshot.seed, placement: this.options.placement ?? 'single', snapshot });
      if (!opened.ok) throw new Error(opened.errors.join('\n'));
      const view = LabViewState.follow(opened.lab, point.base.view);
      await replayInputs(opened.lab, replay.inputs, untilUs);
      return { point, removed: replay.removed, lab: opened.lab, view };
    });
    this.busy = undoing.then(() => undefined, () => undefined);
    let undone: Awaited<typeof undoing>;
    try {
      undone = await undoing;
    } catch (error) {
      this.schedule(0);
      return { ok: false, error: `undo failed: ${(error as Error).message}` };
    }
    if (!undone) {
      this.schedule(0);
      return { ok: false, error: 'nothing to undo: cables, faults, repairs, power and typed command lines are undone' };
    }
    this.lab = undone.lab;
    this.viewState = undone.view;
    this.undoHistory.undone(undone.point, undone.removed);
    // Lines half typed belong to the lab before: their keys are in the replay, their start points are not.
    this.openLines.clear();
    this.lastSummaryMs = -Infinity;
    this.lastSummaryUs = -1;
    this.reanchor();
    await lab.dispose();
    this.emit({ type: 'lab.reset', view: this.view() });
    this.schedule(0);
    return { ok: true, undone: undone.point.label, left: this.undoHistory.labels };
  }

  /** The scenarios the window's panel lists (the built-in ones). */
  listScenarios(): ScenarioEntry[] {
    return windowScenarios();
  }

  /** Opens a built-in scenario's lab with its setup in place (its fault drawn by `faultSeed` if given) and grades it live from now on. */
  async startScenario(name: string, faultSeed?: number): Promise<ScenarioProgress> {
    if (!this.sources) throw new Error(this.lastError ?? 'no lab catalog');
    const started = await startLiveAttempt(name, this.sources, {
      ...(faultSeed === undefined ? {} : { faultSeed }),
      placement: this.options.placement ?? 'single',
      attemptsDir: this.options.attemptsDir ?? defaultAttemptsDir(),
      onChange: (progress) => this.emit({ type: 'scenario.progress', progress }),
    });
    await this.replace(started.attempt.lab);
    this.attempt = started.live;
    const text = this.sources.readText?.(started.live.scenario.lab);
    this.source = text?.ok ? { name: text.name, yaml: text.yaml } : undefined;
    this.emit({ type: 'lab.reset', view: this.view() });
    return this.scenarioProgressOrThrow();
  }

  scenarioStatus(): ScenarioProgress | null {
    return this.attempt && this.lab ? this.attempt.progress(this.lab.nowUs) : null;
  }

  /** Reveals a hint of the attempt under way, at its cost. */
  async scenarioHint(hint: number): Promise<ScenarioProgress> {
    const { attempt, lab } = this.attemptUnderWay();
    const progress = attempt.takeHint(lab, hint);
    this.schedule(0);
    return progress;
  }

  /** The trainee is done before the time limit: the attempt is graded at the lab's time. */
  async finishScenario(): Promise<ScenarioProgress> {
    const { attempt, lab } = this.attemptUnderWay();
    clearTimeout(this.pacer);
    const ending = this.busy.then(() => attempt.end(lab));
    this.busy = ending.then(() => undefined, () => undefined);
    try {
      return await ending;
    } finally {
      this.pauseAfterAttempt();
    }
  }

  /** The ended attempt's result as a file for a gradebook (JSON or CSV). */
  exportScenario(format: 'json' | 'csv'): ScenarioExport {
    if (!this.attempt) throw new Error('no scenario attempt: pick one in the Scenario panel');
    return this.attempt.export(format);
  }

  private attemptUnderWay(): { attempt: LiveAttempt; lab: Lab } {
    if (!this.attempt || !this.lab || this.attempt.ended) throw new Error('no scenario attempt is under way: pick one in the Scenario panel');
    return { attempt: this.attempt, lab: this.lab };
  }

  private scenarioProgressOrThrow(): ScenarioProgress {
    const progress = this.scenarioStatus();
    if (!progress) throw new Error('the scenario did not start');
    return progress;
  }

  /** An ended attempt leaves the lab paused on its result. */
  private pauseAfterAttempt(): void {
    this.pace = { ...this.pace, mode: 'paused' };
    this.reanchor();
    this.scheduleDelta();
    this.schedule(0);
  }

  /** The attempt's stop, if the lab reached it: setup, grading, checkpoint; the end pauses the lab. */
  private async atAttemptStop(lab: Lab): Promise<void> {
    const attempt = this.attempt;
    if (!attempt || attempt.ended || lab.nowUs < attempt.nextStopUs()) return;
    await attempt.reached(lab);
    if (attempt.ended) this.pauseAfterAttempt();
  }

  /** `targetUs`, or sooner where the attempt under way must look at the lab. */
  private stopBefore(targetUs: number): number {
    return Math.min(targetUs, this.attempt?.nextStopUs() ?? Infinity);
  }

  setPace(pace: Pace): Pace {
    this.reanchor();
    // Speed changes go into the input log as marks: a recording shows them, the lab does not see them.
    if (this.lab && !this.player && pace.speed !== this.pace.speed) this.lab.input({ kind: 'mark', text: `speed ${pace.speed}` });
    this.pace = pace;
    this.scheduleDelta();
    this.schedule(0);
    return this.pace;
  }

  /**
   * `lab.open` from a UI (over the socket or IPC): a built-in lab, the lab given at launch, or a
   * `*.lab.yaml` inside the labs folder — not any path (issue 21: the socket read any file, and a YAML
   * error quoted it). Other files are opened as text from the window (lab.openText). A file that does
   * not look like a lab file is refused without a word of its content.
   */
  async open(name: string): Promise<LabView> {
    if (!this.sources) throw new Error(this.lastError ?? 'no lab catalog');
    const refused = this.openRefusal(name);
    if (refused) {
      this.lastError = refused;
      throw new Error(refused);
    }
    return this.openTrusted(name);
  }

  /** Opens a lab by name or any path: for the host's own callers (the launch), never for UIs. */
  async openTrusted(name: string): Promise<LabView> {
    if (!this.sources) throw new Error(this.lastError ?? 'no lab catalog');
    if (!this.sources.listLabs().includes(name)) this.launchFiles.add(realPathOf(name) ?? name);
    const opened = await openLab(this.sources, name, { seed: this.options.seed, placement: this.options.placement ?? 'single', spin: this.spin });
    if (!opened.ok) {
      this.lastError = opened.errors.join('\n');
      throw new Error(this.lastError);
    }
    const text = this.sources.readText?.(name);
    await this.replace(opened.lab);
    this.source = text?.ok ? { name: text.name, yaml: text.yaml } : undefined;
    const view = this.view();
    this.emit({ type: 'lab.reset', view });
    return view;
  }

  /** Why a UI may not open `name` by path, or undefined. */
  private openRefusal(name: string): string | undefined {
    if (this.sources?.listLabs().includes(name)) return undefined;
    const where = `lab.open takes a built-in lab (${this.listLabs().join(', ')}) or a .lab.yaml file in ${this.labsDir}; open other files from the window`;
    if (!/\.lab\.ya?ml$/i.test(name)) return `'${name.slice(0, 80)}' is not a built-in lab: ${where}`;
    const real = realPathOf(name);
    if (real === undefined) return `no lab file ${name.slice(0, 200)}`;
    const labsDir = realPathOf(this.labsDir);
    const inLabsDir = labsDir !== undefined && real.startsWith(`${labsDir}${path.sep}`);
    if (!inLabsDir && !this.launchFiles.has(real)) return `${name.slice(0, 200)} is outside the labs folder: ${where}`;
    return looksLikeLabFile(real) ? undefined : `${name.slice(0, 200)} is not a lab file (it has no 'filers:' section)`;
  }

  /**
   * Opens a lab from YAML text a UI read from disk. A file that does not parse or check is refused
   * with its errors (`name:line: …`) and the running lab goes on untouched.
   */
  async openText(name: string, yaml: string): Promise<OpenTextAnswer> {
    if (!this.sources?.resolveText) return { ok: false, errors: [this.lastError ?? 'this host cannot read lab files'] };
    const resolved = this.sources.resolveText(name, yaml);
    if (!resolved.ok) return resolved;
    const opened = await openLabSpec(this.sources, name, resolved.spec, { seed: seedOf(this.options.seed, resolved), placement: this.options.placement ?? 'single', spin: this.spin });
    if (!opened.ok) return opened;
    await this.replace(opened.lab);
    this.source = { name: labFileName(name), yaml };
    const view = this.view();
    this.emit({ type: 'lab.reset', view });
    return { ok: true, view };
  }

  /** The running lab's YAML source, for Save. */
  labSource(): LabSource {
    if (!this.lab) throw new Error(this.lastError ?? 'no lab is open');
    if (!this.source) throw new Error(`the source of lab ${this.lab.spec.name} is not available`);
    return this.source;
  }

  /**
   * The Record button. `start` marks the input log and writes the recording as it goes into the
   * recordings folder (every input since virtual time 0 — a replay starts from a fresh lab with the same
   * seed — then checkpoints, flushed every virtual second: a crash loses at most that); `stop` ends it
   * with the trace hash now and returns its text. Recording stops when another lab is opened.
   */
  async record(action: 'start' | 'stop' | 'status'): Promise<RecordAnswer> {
    const lab = this.lab;
    if (action === 'status' || !lab) return this.recorder ? { recording: true, sinceUs: this.recorder.fromUs } : { recording: false };
    if (action === 'start') {
      if (this.player) throw new Error('a recording is playing: Take over first, then record the branch');
      if (!this.recorder) {
        const stream = new RecordingStream(this.recordings.newPath(lab.spec.name, lab.seed), lab, lab.spec.name, lab.nowUs);
        const keyframes = new LiveKeyframes(sidecarPathOf(stream.path), stream.headerLine, lab, this.viewState, this.options.recordKeyframeEveryUs);
        this.recorder = { fromUs: lab.nowUs, stream, keyframes, nextCheckpointUs: lab.nowUs + RECORDING_CHECKPOINT_EVERY_US, nextFlushUs: lab.nowUs };
        lab.input({ kind: 'mark', text: 'recording started' });
        this.schedule(0);
      }
      return { recording: true, sinceUs: this.recorder.fromUs };
    }
    const recorder = this.recorder;
    if (!recorder) return { recording: false };
    this.recorder = undefined;
    lab.input({ kind: 'mark', text: 'recording stopped' });
    // The lab is idle only between slices: queue behind the pacer, stamp the mark, take the hash.
    const finished = this.busy.then(async () => {
      await lab.runUntil(lab.nowUs);
      recorder.stream.finish({ atUs: lab.nowUs, traceHash: await lab.traceHash() });
      await recorder.keyframes.close();
      const read = readInputText(recorder.stream.path, 'recording');
      if (!read.ok) throw new Error(read.error);
      const text = read.text;
      // A recording replay would refuse (past a day of virtual time, an input it cannot check) is not handed out.
      const refused = parseRecording(text, this.sources && recordedInputCheck(this.sources));
      if (!refused.ok) throw new Error(`this recording would not replay (${refused.error})`);
      return text;
    });
    this.busy = finished.then(() => undefined, () => undefined);
    const text = await finished;
    this.schedule(0);
    return { recording: false, fileName: `${lab.spec.name}-${lab.seed}.filerlab.jsonl`, text };
  }

  /** Save state: the lab as it stands (taken between slices, when it is idle) and the view UIs draw. */
  async saveState(): Promise<SavedState> {
    const lab = this.lab;
    if (!lab) throw new Error(this.lastError ?? 'no lab is open');
    const saving = this.busy.then(async () => this.shelf.save({ snapshot: await lab.snapshot(), view: this.viewState.save(), source: this.source }));
    this.busy = saving.then(() => undefined, () => undefined);
    try {
      return await saving;
    } finally {
      this.schedule(0);
    }
  }

  savedStates(): SavedState[] {
    return this.shelf.list();
  }

  /** Restore: a saved lab replaces the running one and goes on from where it was saved, at this pace. */
  async restoreState(name: string): Promise<OpenTextAnswer> {
    if (!this.sources) return { ok: false, errors: [this.lastError ?? 'this host has no lab catalog'] };
    const read = this.shelf.read(name);
    if (!read.ok) return { ok: false, errors: [read.error] };
    const { snapshot, view, source } = read.saved;
    const opened = await openLabSpec(this.sources, name, snapshot.spec, { seed: snapshot.seed, placement: this.options.placement ?? 'single', spin: this.spin, snapshot });
    if (!opened.ok) return opened;
    await this.replace(opened.lab, view);
    // Without the file's text in the save, a built-in lab's own file serves for Save.
    const text = source || !this.sources.listLabs().includes(snapshot.spec.name) ? undefined : this.sources.readText?.(snapshot.spec.name);
    this.source = source ?? (text?.ok ? { name: text.name, yaml: text.yaml } : undefined);
    const labView = this.view();
    this.emit({ type: 'lab.reset', view: labView });
    return { ok: true, view: labView };
  }

  /** A marker in the recording under way (the instructor's text from the toolbar). */
  mark(text: string): { ok: boolean; error?: string } {
    if (!this.lab || !this.recorder) return { ok: false, error: 'not recording: press Record first, then add markers' };
    const result = this.lab.input({ kind: 'mark', text });
    this.schedule(0);
    return result;
  }

  /** Playing a recording in the window (issue 22): open, seek, take over, the recent list, where it stands. */
  async playback(request: PlaybackRequest): Promise<PlaybackAnswer> {
    switch (request.action) {
      case 'recent': return { ok: true, recent: this.recordings.recent() };
      case 'status': return { ok: true, state: this.player?.state() ?? null };
      case 'open': return this.play(labFileName(request.name), request.text);
      case 'openRecent': {
        const read = this.recordings.read(request.name);
        return read.ok ? this.play(request.name, read.text, this.recordings.pathOf(request.name)) : { ok: false, errors: [read.error] };
      }
      case 'seek': return this.seek(request.atUs);
      case 'takeOver': {
        // A branch: the played lab goes on live from here; the recording's later inputs are dropped.
        const player = this.player;
        if (!player) return { ok: false, errors: ['no recording is playing'] };
        this.player = undefined;
        void player.dispose();
        this.emit({ type: 'playback.state', state: null });
        return { ok: true, state: null };
      }
    }
  }

  /**
   * Opens a recording to play: refused with its line when it does not read; starts paused at its Record
   * press. A recording on disk (`file`) with valid keyframes beside it seeks from them at once.
   */
  private async play(name: string, text: string, file?: string): Promise<PlaybackAnswer> {
    const sources = this.sources;
    if (!sources) return { ok: false, errors: [this.lastError ?? 'this host has no lab catalog'] };
    const parsed = parseRecording(text, recordedInputCheck(sources), { cutShort: 'accept' });
    if (!parsed.ok) return { ok: false, errors: [`${name}: ${parsed.error}`] };
    const { recording } = parsed;
    const fresh = async (from?: LoadedKeyframe): Promise<Lab> => {
      const opened = await openLabSpec(sources, `${name} (its topology)`, recording.spec, { seed: recording.seed, placement: this.options.placement ?? 'single', snapshot: from?.snapshot });
      if (!opened.ok) throw new Error(opened.errors.join('\n'));
      return opened.lab;
    };
    let lab: Lab;
    try {
      lab = await fresh();
    } catch (error) {
      return { ok: false, errors: [`${name}: ${(error as Error).message}`] };
    }
    const player = new RecordingPlayer(name, recording, fresh, () => this.emit({ type: 'playback.state', state: this.player?.state() ?? null }), this.options.keyframeEveryUs, sidecarOf(file, text, recording));
    this.pace = { mode: 'paused', speed: this.pace.speed === 'max' ? 1 : this.pace.speed };
    await this.replace(lab, undefined, player);
    player.follow(lab, 0);
    return this.seek(recording.fromUs);
  }

  /**
   * Puts the played lab at `atUs` (clamped to the recording): runs it on when the target is just ahead,
   * else restores the keyframe before the target and runs forward from it. The UIs get the whole view.
   */
  private async seek(atUs: number): Promise<PlaybackAnswer> {
    const player = this.player;
    const sources = this.sources;
    if (!player || !sources) return { ok: false, errors: ['no recording is playing'] };
    const started = performance.now();
    const targetUs = Math.min(atUs, player.endUs);
    await player.awaitIndex(this.lab, targetUs);
    if (this.player !== player) return { ok: false, errors: ['the recording was closed during the seek'] };
    clearTimeout(this.pacer);
    const seeking = this.busy.then(async () => {
      const plan = player.seekPlan(this.lab, targetUs);
      if (plan.kind === 'restore') {
        const keyframe = player.index.load(plan.keyframe);
        const opened = await openLabSpec(sources, player.name, player.recording.spec, { seed: player.recording.seed, placement: this.options.placement ?? 'single', snapshot: keyframe.snapshot });
        if (!opened.ok) throw new Error(opened.errors.join('\n'));
        await this.swapIn(opened.lab, keyframe.view, player);
        player.follow(opened.lab, keyframe.inputsHeld, keyframe.stats);
      }
      const lab = this.lab!;
      await player.advance(lab, targetUs);
      this.reanchor();
      this.lastSummaryMs = -Infinity;
      await this.refreshSummary(lab);
      // The whole view goes out as a reset: what changed on the way is in it.
      this.viewState.takeDelta(lab.nowUs, this.pace);
      this.emit({ type: 'lab.reset', view: this.view() });
      // The charts' last minute, sample by sample (a reset holds only the latest).
      this.emit({ type: 'lab.delta', delta: { atUs: lab.nowUs, pace: this.pace, patches: player.chartPatches(), ems: [], console: {} } });
    });
    this.busy = seeking.catch((error) => this.fail(error));
    try {
      await seeking;
    } catch (error) {
      return { ok: false, errors: [(error as Error).message] };
    } finally {
      this.schedule(0);
    }
    return { ok: true, state: player.state(), wallMs: Math.round(performance.now() - started) };
  }

  listLabs(): string[] {
    return this.sources?.listLabs() ?? [];
  }

  scrollback(filer: string): string {
    return this.viewState.scrollback(filer);
  }

  onDidEmit(listener: (event: HostEvent) => void): Disposable {
    this.listeners.add(listener);
    if (this.listeners.size === 1) {
      // Unwatched, the summary's facts were not refreshed: the first watcher gets them at the next slice.
      this.lastSummaryMs = -Infinity;
      this.schedule(0);
    }
    return { dispose: () => { this.listeners.delete(listener); } };
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    clearTimeout(this.pacer);
    clearTimeout(this.deltaTimer);
    this.listeners.clear();
    await this.busy;
    this.recorder?.stream.abandon();
    await this.recorder?.keyframes.close();
    await this.player?.dispose();
    await this.lab?.dispose();
    this.lab = undefined;
  }

  /**
   * Swaps in a lab (a freshly opened one, or one restored from a saved state with its view); a
   * recording played in the window comes with its player, any other lab ends the playback.
   */
  async replace(lab: Lab, savedView?: SavedLabView, player?: RecordingPlayer): Promise<void> {
    clearTimeout(this.pacer);
    await this.busy;
    await this.swapIn(lab, savedView, player);
  }

  /** replace() once the lab is idle (also from inside the busy chain: a seek). */
  private async swapIn(lab: Lab, savedView?: SavedLabView, player?: RecordingPlayer): Promise<void> {
    const previous = this.lab;
    this.lab = lab;
    if (this.player !== player) {
      void this.player?.dispose();
      this.player = player;
      this.emit({ type: 'playback.state', state: player?.state() ?? null });
    }
    // A recording cut short by another lab keeps what was flushed (players and replay accept it).
    this.recorder?.stream.abandon();
    void this.recorder?.keyframes.close();
    this.recorder = undefined;
    this.undoHistory.clear();
    this.showWhenLogged = undefined;
    this.openLines.clear();
    if (this.attempt) {
      this.attempt.abandon();
      this.attempt = undefined;
      this.emit({ type: 'scenario.progress', progress: null });
    }
    this.source = undefined;
    this.viewState = LabViewState.follow(lab, savedView);
    this.lastSummaryMs = -Infinity;
    this.lastSummaryUs = -1;
    this.lastError = undefined;
    this.reanchor();
    await previous?.dispose();
    this.schedule(0);
  }

  private reanchor(): void {
    this.anchorWallMs = performance.now();
    this.anchorUs = this.lab?.nowUs ?? 0;
  }

  private schedule(delayMs: number): void {
    if (this.disposed || !this.lab) return;
    clearTimeout(this.pacer);
    this.pacer = setTimeout(() => { this.busy = this.busy.then(() => this.tick()).catch((error) => this.fail(error)); }, delayMs);
  }

  /** One slice of pacing, then the next is scheduled so the event loop turns in between. */
  private async tick(): Promise<void> {
    const lab = this.lab;
    if (!lab || this.disposed) return;
    await this.atAttemptStop(lab);
    const pace = this.pace;
    if (pace.mode === 'paused') {
      // Inputs still enter while paused (a cable pulled on a frozen lab shows unplugged at once);
      // the actors see them when time moves again.
      await lab.runUntil(lab.nowUs);
      this.viewState.syncLinks(lab);
      await this.refreshSummary(lab);
      this.scheduleDelta();
      return;
    }
    if (pace.mode === 'step') {
      const stopUs = this.stopBefore(Infinity);
      if (this.player) await this.player.advance(lab, Math.min(stopUs, this.player.stepTargetUs(lab)));
      else if (stopUs < lab.nextEventUs()) await lab.runUntil(stopUs);
      else await lab.step();
      await this.atAttemptStop(lab);
      this.pace = { ...pace, mode: 'paused' };
      this.lastSummaryMs = -Infinity;
      await this.refreshSummary(lab);
      this.scheduleDelta();
      return;
    }
    const started = performance.now();
    this.spin.set(pace.speed === 'max' || this.fellBehind);
    if (pace.speed === 'max') {
      if (this.pausedAtEnd(lab)) return;
      if (lab.nextEventUs() === Infinity) { this.schedule(IDLE_POLL_MS); return; }
      while (performance.now() - started < SLICE_WALL_MS && lab.nextEventUs() !== Infinity && this.pace === pace && !this.player?.atEnd(lab)) {
        const sliceStart = performance.now();
        await this.advance(lab, this.stopBefore(lab.nowUs + this.virtualSliceUs));
        this.adaptSlice(performance.now() - sliceStart);
        await this.atAttemptStop(lab);
      }
      this.reanchor();
      await this.checkpoint(lab);
      await this.refreshSummary(lab);
      this.scheduleDelta();
      await this.offerUndoBase(lab);
      this.schedule(0);
      return;
    }
    if (this.pausedAtEnd(lab)) return;
    const targetUs = this.anchorUs + Math.floor((started - this.anchorWallMs) * 1000 * pace.speed);
    // Never take more than a slice of wall time: a lab too heavy for its speed falls behind, it does
    // not freeze the host.
    while (lab.nowUs < targetUs && performance.now() - started < SLICE_WALL_MS && this.pace === pace) {
      const sliceStart = performance.now();
      await this.advance(lab, this.stopBefore(Math.min(targetUs, lab.nowUs + this.virtualSliceUs)));
      this.adaptSlice(performance.now() - sliceStart);
      await this.atAttemptStop(lab);
    }
    if (lab.nowUs < targetUs && performance.now() - started >= SLICE_WALL_MS) this.reanchorIfFarBehind(targetUs);
    this.fellBehind = lab.nowUs < targetUs;
    await this.checkpoint(lab);
    await this.refreshSummary(lab);
    this.scheduleDelta();
    await this.offerUndoBase(lab);
    this.schedule(lab.nowUs < targetUs && !this.player?.atEnd(lab) ? 0 : this.listeners.size > 0 ? WATCHED_TICK_MS : UNWATCHED_TICK_MS);
  }

  /** Runs the lab on to `targetUs`: a played recording's lab through its player, which feeds the recorded inputs. */
  private advance(lab: Lab, targetUs: number): Promise<void> {
    return this.player ? this.player.advance(lab, targetUs) : lab.runUntil(targetUs);
  }

  /** A played recording that reached its end pauses there (true then). */
  private pausedAtEnd(lab: Lab): boolean {
    if (!this.player?.atEnd(lab)) return false;
    this.pace = { ...this.pace, mode: 'paused' };
    this.scheduleDelta();
    return true;
  }

  /** The run summary's facts for the window (summary-view.ts), at most every SUMMARY_INTERVAL_MS. */
  private async refreshSummary(lab: Lab): Promise<void> {
    if (this.listeners.size === 0) return; // nobody to show them to (see onDidEmit)
    const now = performance.now();
    if (lab.nowUs === this.lastSummaryUs || now - this.lastSummaryMs < SUMMARY_INTERVAL_MS) return;
    this.lastSummaryMs = now;
    this.lastSummaryUs = lab.nowUs;
    this.viewState.absorbSummary(summaryEntries(await lab.summary()));
  }

  /**
   * While recording (the lab is idle here): a trace hash every RECORDING_CHECKPOINT_EVERY_US of virtual
   * time, and what happened written to the file every RECORDING_FLUSH_EVERY_US.
   */
  private async checkpoint(lab: Lab): Promise<void> {
    const recorder = this.recorder;
    if (!recorder) return;
    if (lab.nowUs >= recorder.nextCheckpointUs) {
      recorder.stream.checkpoint({ atUs: lab.nowUs, traceHash: await lab.traceHash() });
      recorder.nextCheckpointUs = lab.nowUs + RECORDING_CHECKPOINT_EVERY_US;
    }
    if (lab.nowUs >= recorder.nextFlushUs) {
      recorder.stream.flush();
      recorder.nextFlushUs = lab.nowUs + RECORDING_FLUSH_EVERY_US;
    }
    await recorder.keyframes.offer();
  }

  private reanchorIfFarBehind(targetUs: number): void {
    // More than a second of wall time behind: forget the debt rather than race to catch up.
    if (this.lab && targetUs - this.lab.nowUs > 1_000_000 * (this.pace.speed as number)) this.reanchor();
  }

  private adaptSlice(wallMs: number): void {
    if (wallMs < 2) this.virtualSliceUs = Math.min(this.virtualSliceUs * 2, 10_000_000);
    else if (wallMs > 8) this.virtualSliceUs = Math.max(Math.floor(this.virtualSliceUs / 2), 1_000);
  }

  private scheduleDelta(): void {
    const showNow = this.showWhenLogged !== undefined && (this.lab?.inputLog.length ?? 0) >= this.showWhenLogged
      && performance.now() - this.lastShownAtOnceMs >= SHOW_AT_ONCE_EVERY_MS;
    if ((this.deltaTimer !== undefined && !showNow) || this.disposed) return;
    if (this.listeners.size === 0) {
      // Nobody to send it to; the view's state has every change already. Taken so it does not pile up.
      if (this.lab && this.viewState.dirty) this.viewState.takeDelta(this.lab.nowUs, this.pace);
      return;
    }
    if (showNow) {
      this.showWhenLogged = undefined;
      this.lastShownAtOnceMs = performance.now();
      clearTimeout(this.deltaTimer);
    }
    const wait = showNow ? 0 : Math.max(0, this.lastDeltaMs + DELTA_INTERVAL_MS - performance.now());
    this.deltaTimer = setTimeout(() => {
      this.deltaTimer = undefined;
      this.lastDeltaMs = performance.now();
      if (!this.lab) return;
      this.emit({ type: 'lab.delta', delta: this.viewState.takeDelta(this.lab.nowUs, this.pace) });
    }, wait);
  }

  private fail(error: unknown): void {
    this.lastError = `the lab stopped: ${(error as Error).message}`;
    this.pace = { ...this.pace, mode: 'paused' };
    this.scheduleDelta();
  }

  private emit(event: HostEvent): void {
    for (const listener of this.listeners) {
      try { listener(event); } catch { /* a UI's listener failing must not stop the lab */ }
    }
  }
}

function realPathOf(file: string): string | undefined {
  try {
    return realpathSync(file);
  } catch {
    return undefined;
  }
}

/**
 * The keyframes written beside a recording on disk, when they belong to it; none otherwise (the
 * player then indexes the whole recording, as for one opened from elsewhere).
 */
function sidecarOf(file: string | undefined, text: string, recording: ParsedRecording): SidecarKeyframes | undefined {
  if (!file) return undefined;
  const sidecarFile = sidecarPathOf(file);
  const read = readSidecar(sidecarFile, text.slice(0, text.indexOf('\n') + 1), recording.inputs, recording.end.atUs);
  return read.ok && read.keyframes.length > 0 ? { file: sidecarFile, keyframes: read.keyframes } : undefined;
}

/** A lab file has a top-level `filers:` section; anything else is not quoted back to a UI. */
function looksLikeLabFile(file: string): boolean {
  const read = readInputText(file, 'lab');
  return read.ok && /^filers\s*:/m.test(read.text);
}
