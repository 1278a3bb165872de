// What the host keeps of a running lab for its UIs: published values by path, unplugged cable ends,
// the last EMS records, each console's transcript for scrollback, and what changed since the last
// delta. Fed by the conductor's emissions; never read back by the lab.
import type { Lab, LabEmission } from '../engine/lab.ts';
import type { EmsRecord, LabDelta, Pace } from '../protocol/channels.ts';
import { TextTail } from './text-tail.ts';

export const EMS_KEPT = 500;
export const SCROLLBACK_CHARS = 256 * 1024;
/**
 * Console characters one delta carries per filer: a burst beyond it (a huge paste echoed) reaches a UI
 * as its last SCROLLBACK_CHARS, which is all a terminal's scrollback or a re-opened pane would show.
 */
export const DELTA_CONSOLE_CHARS = SCROLLBACK_CHARS;

/**
 * The view as plain data, saved with a lab's state: actors publish only what changes, so a lab
 * restored from a snapshot would otherwise show an empty diagram until each part changed again.
 */
export interface SavedLabView {
  readonly state: [string, unknown][];
  readonly ems: EmsRecord[];
  readonly transcripts: [string, string][];
}

export class LabViewState {
  readonly state = new Map<string, unknown>();
  readonly ems: EmsRecord[] = [];
  private readonly transcripts = new Map<string, TextTail>();
  private unplugged: string[];
  private patches = new Map<string, unknown>();
  private newEms: EmsRecord[] = [];
  private newConsole = new Map<string, TextTail>();
  private unpluggedChanged = false;

  constructor(unplugged: string[], saved?: SavedLabView) {
    this.unplugged = unplugged;
    for (const [path, value] of saved?.state ?? []) this.state.set(path, value);
    this.ems.push(...(saved?.ems ?? []));
    for (const [actor, text] of saved?.transcripts ?? []) this.transcripts.set(actor, new TextTail(SCROLLBACK_CHARS, text));
  }

  /** A view of `lab` kept up to date from now on (from `saved` when the lab was restored). */
  static follow(lab: Lab, saved?: SavedLabView): LabViewState {
    const view = new LabViewState(lab.unpluggedEnds(), saved);
    for (const cable of lab.spec.cables) view.state.set(`cables.${cable.id}.up`, lab.linkUp(cable.id));
    lab.onDidEmit((emission) => view.absorb(emission, lab.unpluggedEnds()));
    return view;
  }

  /** What a saved lab keeps of the view (the changes not yet sent are in it: they are in `state`). */
  save(): SavedLabView {
    return { state: [...this.state], ems: [...this.ems], transcripts: [...this.transcripts].map(([actor, tail]) => [actor, tail.text()]) };
  }

  get unpluggedEnds(): string[] {
    return this.unplugged;
  }

  scrollback(actor: string): string {
    return this.transcripts.get(actor)?.text() ?? '';
  }

  get dirty(): boolean {
    return this.patches.size > 0 || this.newEms.length > 0 || this.newConsole.size > 0 || this.unpluggedChanged;
  }

  absorb(emission: LabEmission, unplugged: string[]): void {
    for (const output of emission.outputs) {
      switch (output.type) {
        case 'publish': this.patch(output.path, output.value); break;
        case 'console': this.appendConsole(output.actor, output.text); break;
        case 'ems': this.addEms({ atUs: output.atUs, actor: output.actor, source: output.source, severity: output.severity, text: output.text }); break;
      }
    }
    for (const link of emission.links) this.patch(`cables.${link.cable}.up`, link.up);
    for (const panic of emission.panics) {
      this.patch(`${panic.actor}.panic`, panic.reason);
      this.addEms({ atUs: panic.atUs, actor: panic.actor, source: 'engine', severity: 'emergency', text: `PANIC: ${panic.reason}` });
      this.appendConsole(panic.actor, `\r\nPANIC: ${panic.reason}\r\n`);
    }
    this.setUnplugged(unplugged);
  }

  private setUnplugged(unplugged: string[]): void {
    if (unplugged.join('\n') === this.unplugged.join('\n')) return;
    this.unplugged = unplugged;
    this.unpluggedChanged = true;
  }

  /** Reads cable states straight from the lab (inputs applied while paused emit nothing yet). */
  syncLinks(lab: Lab): void {
    for (const cable of lab.spec.cables) {
      const up = lab.linkUp(cable.id);
      if (this.state.get(`cables.${cable.id}.up`) !== up) this.patch(`cables.${cable.id}.up`, up);
    }
    this.setUnplugged(lab.unpluggedEnds());
  }

  /** The summary's facts (summary-view.ts), patched only where they changed. */
  absorbSummary(entries: ReadonlyArray<[string, unknown]>): void {
    for (const [path, value] of entries) {
      if (JSON.stringify(this.state.get(path)) !== JSON.stringify(value)) this.patch(path, value);
    }
  }

  /** Takes what changed since the last delta. */
  takeDelta(atUs: number, pace: Pace): LabDelta {
    const delta: LabDelta = {
      atUs, pace, patches: [...this.patches], ems: this.newEms,
      console: Object.fromEntries([...this.newConsole].map(([actor, tail]) => [actor, tail.text()])),
      ...(this.unpluggedChanged ? { unplugged: this.unplugged } : {}),
    };
    this.patches = new Map();
    this.newEms = [];
    this.newConsole = new Map();
    this.unpluggedChanged = false;
    return delta;
  }

  private patch(path: string, value: unknown): void {
    this.state.set(path, value);
    this.patches.set(path, value);
  }

  private addEms(record: EmsRecord): void {
    this.ems.push(record);
    if (this.ems.length > EMS_KEPT) this.ems.splice(0, this.ems.length - EMS_KEPT);
    this.newEms.push(record);
  }

  /** Amortized O(text.length): a console that echoes a paste key by key costs no more per key when full. */
  private appendConsole(actor: string, text: string): void {
    tailOf(this.transcripts, actor, SCROLLBACK_CHARS).append(text);
    tailOf(this.newConsole, actor, DELTA_CONSOLE_CHARS).append(text);
  }
}

function tailOf(tails: Map<string, TextTail>, actor: string, limit: number): TextTail {
  let tail = tails.get(actor);
  if (!tail) {
    tail = new TextTail(limit);
    tails.set(actor, tail);
  }
  return tail;
}
