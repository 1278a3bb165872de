// Each filer's console as a transcript file (`filerlab run|replay --consoles DIR` → DIR/<filer>.log):
// everything the console printed, as the text it showed (plain-text.ts), and a panic where an actor died.
import { join } from 'node:path';
import type { Lab } from '../engine/lab.ts';
import { ensureFolder, writeFileAtomic } from './files.ts';
import { plainText } from './plain-text.ts';

export class ConsoleTranscripts {
  private readonly texts = new Map<string, string[]>();

  /** Starts collecting what the lab's consoles print from now on. */
  constructor(private readonly lab: Lab) {
    lab.onDidEmit((emission) => {
      for (const output of emission.outputs) if (output.type === 'console') this.append(output.actor, output.text);
      for (const panic of emission.panics) this.append(panic.actor, `\r\nPANIC: ${panic.reason}\r\n`);
    });
  }

  /** One file per filer (empty when it printed nothing) and per other actor that panicked; each written atomically. */
  write(dir: string): void {
    ensureFolder(dir);
    const filers = this.lab.spec.actors.filter((actor) => actor.kind === 'filer').map((actor) => actor.id);
    for (const actor of new Set([...filers, ...this.texts.keys()])) writeFileAtomic(join(dir, `${actor}.log`), plainText((this.texts.get(actor) ?? []).join('')));
  }

  private append(actor: string, text: string): void {
    const lines = this.texts.get(actor);
    if (lines) lines.push(text);
    else this.texts.set(actor, [text]);
  }
}
