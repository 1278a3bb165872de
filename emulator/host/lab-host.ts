// The lab host's face toward UIs: what a Transport (Electron IPC or WebSocket) serves. One running lab
// at a time; every UI sees the same lab and the same console bytes.
import type { LabInput } from '../engine/lab-spec.ts';
import type { HostEvent, LabSource, LabView, OpenTextAnswer, Pace, RecordAnswer, SavedState } from '../protocol/channels.ts';
import type { ScenarioEntry, ScenarioExport, ScenarioProgress, UndoAnswer } from '../protocol/scenario-view.ts';
import type { PlaybackAnswer, PlaybackRequest } from '../protocol/playback.ts';

export interface Disposable {
  dispose(): void;
}

export interface LabHost {
  /** The whole current view, for a UI that connects or reconnects. */
  view(): LabView;
  /** Queues an input for the next window; refuses an unknown actor, port or fault with the reason. */
  input(input: LabInput): { ok: boolean; error?: string };
  setPace(pace: Pace): Pace;
  /** Replaces the running lab by a built-in lab name or a lab file path. */
  open(lab: string): Promise<LabView>;
  listLabs(): string[];
  /** Replaces the running lab by a lab file's text from a UI; a bad file is refused with its lines. */
  openText(name: string, yaml: string): Promise<OpenTextAnswer>;
  /** The running lab's YAML source (the toolbar's Save). */
  labSource(): LabSource;
  /** Starts, stops or reports a recording of the running lab (on stop: its JSON lines). */
  record(action: 'start' | 'stop' | 'status'): Promise<RecordAnswer>;
  /** A marker in the recording under way (the instructor's text); refused when not recording. */
  mark(text: string): { ok: boolean; error?: string };
  /** Plays a recording in the window: open (text or a recent one), seek, take over, status (issue 22). */
  playback(request: PlaybackRequest): Promise<PlaybackAnswer>;
  /** Saves the running lab as it stands (Save state): its snapshot and the view UIs draw. */
  saveState(): Promise<SavedState>;
  /** The saved labs, newest first. */
  savedStates(): SavedState[];
  /** Replaces the running lab by a saved one; a missing or damaged file is refused with why. */
  restoreState(name: string): Promise<OpenTextAnswer>;
  /** Takes back the last trainee action exactly (the lab as if it had never happened). */
  undo(): Promise<UndoAnswer>;
  /** The graded scenarios the window offers. */
  listScenarios(): ScenarioEntry[];
  /** Replaces the running lab by a scenario's, with its setup in place, graded live. */
  startScenario(name: string, faultSeed?: number): Promise<ScenarioProgress>;
  /** The attempt on the running lab (under way or ended), or null. */
  scenarioStatus(): ScenarioProgress | null;
  scenarioHint(hint: number): Promise<ScenarioProgress>;
  /** Ends the attempt under way now and grades it. */
  finishScenario(): Promise<ScenarioProgress>;
  /** The ended attempt's result as a file: JSON (as `filerlab scenario run --json`) or a gradebook CSV. */
  exportScenario(format: 'json' | 'csv'): ScenarioExport;
  /** A filer's console transcript so far (the scrollback a re-opened pane shows). */
  scrollback(filer: string): string;
  /** Deltas (throttled for the screen) and resets, to every subscriber. */
  onDidEmit(listener: (event: HostEvent) => void): Disposable;
  dispose(): Promise<void>;
}
