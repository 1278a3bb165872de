// What a lab showed, kept with its virtual times for exports (issue 22): each console's output as an
// asciicast v2 file (asciinema's format: a JSON header line, then [seconds, "o", text] events), and
// the timeline of EMS events as CSV. Times are the lab's virtual time, never the wall clock's.
import type { Micros } from '../engine/actor.ts';
import type { Lab } from '../engine/lab.ts';
import { csvLine } from '../lab/scenario/gradebook.ts';

interface ConsoleChunk { readonly atUs: Micros; readonly text: string }
interface EmsEvent { readonly atUs: Micros; readonly actor: string; readonly source: string; readonly severity: string; readonly text: string }

/** A terminal of the size a filer's console is drawn in. */
export const CAST_WIDTH = 80;
export const CAST_HEIGHT = 24;

export class LabTapes {
  private readonly consoles = new Map<string, ConsoleChunk[]>();
  private readonly ems: EmsEvent[] = [];

  /** Starts keeping what the lab's consoles print and its EMS events from now on. */
  constructor(lab: Lab) {
    lab.onDidEmit((emission) => {
      for (const output of emission.outputs) {
        if (output.type === 'console') this.append(output.actor, output.atUs, output.text);
        else if (output.type === 'ems') this.ems.push({ atUs: output.atUs, actor: output.actor, source: output.source, severity: output.severity, text: output.text });
      }
      for (const panic of emission.panics) this.append(panic.actor, panic.atUs, `\r\nPANIC: ${panic.reason}\r\n`);
    });
  }

  /** The actors that printed anything. */
  consoleNames(): string[] {
    return [...this.consoles.keys()].sort();
  }

  /** One console as asciicast v2 text; outputs at the same virtual instant are one event. */
  asciicast(actor: string, title: string): string {
    const header = JSON.stringify({ version: 2, width: CAST_WIDTH, height: CAST_HEIGHT, title, env: { TERM: 'xterm-256color' } });
    const events: string[] = [];
    let pending: ConsoleChunk | undefined;
    const flush = (): void => { if (pending) events.push(JSON.stringify([pending.atUs / 1e6, 'o', pending.text])); };
    for (const chunk of this.consoles.get(actor) ?? []) {
      if (pending && pending.atUs === chunk.atUs) pending = { atUs: chunk.atUs, text: pending.text + chunk.text };
      else { flush(); pending = chunk; }
    }
    flush();
    return `${[header, ...events].join('\n')}\n`;
  }

  /** The EMS timeline: one row an event, in virtual-time order, seconds with microsecond precision. */
  timelineCsv(): string {
    const rows = this.ems.map((event) => csvLine([(event.atUs / 1e6).toFixed(6), event.actor, event.source, event.severity, event.text]));
    return `${[csvLine(['timeS', 'filer', 'source', 'severity', 'text']), ...rows].join('\n')}\n`;
  }

  private append(actor: string, atUs: Micros, text: string): void {
    const chunks = this.consoles.get(actor);
    if (chunks) chunks.push({ atUs, text });
    else this.consoles.set(actor, [{ atUs, text }]);
  }
}
