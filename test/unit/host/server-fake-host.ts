// A small LabHost for the transport's unit tests: it records what reached it and emits what the test
// asks. The part under test is the server, not the lab.
import type { LabInput } from '../../../emulator/engine/lab-spec.ts';
import type { Disposable, LabHost } from '../../../emulator/host/lab-host.ts';
import type { HostEvent, LabSource, LabView, OpenTextAnswer, Pace, RecordAnswer, SavedState } from '../../../emulator/protocol/channels.ts';
import type { ScenarioEntry, ScenarioExport, ScenarioProgress, UndoAnswer } from '../../../emulator/protocol/scenario-view.ts';
import type { PlaybackAnswer } from '../../../emulator/protocol/playback.ts';

export class FakeLabHost implements LabHost {
  readonly inputs: LabInput[] = [];
  private readonly listeners = new Set<(event: HostEvent) => void>();
  private current: LabView = {
    lab: 'ha-pair',
    seed: 1,
    atUs: 0,
    pace: { mode: 'running', speed: 1 },
    topology: { actors: [{ id: 'filerA', kind: 'filer', config: {} }], cables: [] },
    state: { 'filerA.state': 'up' },
    unplugged: [],
    ems: [],
  };

  view(): LabView {
    return this.current;
  }
  input(input: LabInput): { ok: boolean; error?: string } {
    if (input.kind === 'actor' && input.actor !== 'filerA') return { ok: false, error: `no actor ${input.actor}` };
    this.inputs.push(input);
    return { ok: true };
  }
  setPace(pace: Pace): Pace {
    this.current = { ...this.current, pace };
    return pace;
  }
  async open(lab: string): Promise<LabView> {
    if (lab === 'broken') throw new Error('no lab named broken');
    this.current = { ...this.current, lab };
    return this.current;
  }
  listLabs(): string[] {
    return ['ha-pair', 'cluster-4'];
  }
  scrollback(filer: string): string {
    return `${filer}> `;
  }
  async openText(name: string): Promise<OpenTextAnswer> {
    return { ok: false, errors: [`${name}: this fake host opens no files`] };
  }
  labSource(): LabSource {
    return { name: this.current.lab, yaml: `name: ${this.current.lab}\n` };
  }
  async record(): Promise<RecordAnswer> {
    return { recording: false };
  }
  mark(): { ok: boolean; error?: string } {
    return { ok: false, error: 'not recording' };
  }
  async playback(): Promise<PlaybackAnswer> {
    return { ok: false, errors: ['the fake host plays no recordings'] };
  }
  async saveState(): Promise<SavedState> {
    return { name: `${this.current.lab}-0s.state`, lab: this.current.lab, atUs: this.current.atUs, bytes: 0 };
  }
  savedStates(): SavedState[] {
    return [];
  }
  async undo(): Promise<UndoAnswer> {
    return { ok: false, error: 'nothing to undo' };
  }
  listScenarios(): ScenarioEntry[] {
    return [];
  }
  async startScenario(name: string): Promise<ScenarioProgress> {
    throw new Error(`no scenario named ${name}`);
  }
  scenarioStatus(): ScenarioProgress | null {
    return null;
  }
  async scenarioHint(): Promise<ScenarioProgress> {
    throw new Error('no scenario attempt is under way');
  }
  async finishScenario(): Promise<ScenarioProgress> {
    throw new Error('no scenario attempt is under way');
  }
  exportScenario(): ScenarioExport {
    throw new Error('no scenario attempt has ended');
  }
  async restoreState(name: string): Promise<OpenTextAnswer> {
    return { ok: false, errors: [`no saved lab named ${name}`] };
  }
  onDidEmit(listener: (event: HostEvent) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
  emit(event: HostEvent): void {
    for (const listener of this.listeners) listener(event);
  }
  listenerCount(): number {
    return this.listeners.size;
  }
  async dispose(): Promise<void> {}
}
