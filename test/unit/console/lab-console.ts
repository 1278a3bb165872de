// A built-in lab on the real engine, with one filer's console to type on and read back: for tests that
// compare a command's whole transcript in a known lab state.
import { expect } from 'vitest';
import { MICROS_PER_SECOND } from '../../../emulator/engine/actor.ts';
import type { Lab } from '../../../emulator/engine/lab.ts';
import { loadLabSources, openLab } from '../../../emulator/host/engine-lab-loader.ts';

export interface LabConsole {
  readonly lab: Lab;
  /** Types keys on the filer's console, lets `seconds` of virtual time pass, returns what it printed (LF). */
  type(keys: string, seconds?: number): Promise<string>;
  /** Everything the filer's console printed so far (LF). */
  transcript(): string;
}

export async function labConsole(labName: string, filer: string, warmupSeconds: number, seed = 3): Promise<LabConsole> {
  const loaded = await loadLabSources();
  if (!loaded.ok) throw new Error(loaded.error);
  const opened = await openLab(loaded.sources, labName, { seed, placement: 'single' });
  if (!opened.ok) throw new Error(opened.errors.join('\n'));
  const lab = opened.lab;
  let transcript = '';
  lab.onDidEmit((emission) => {
    for (const output of emission.outputs) if (output.type === 'console' && output.actor === filer) transcript += output.text;
  });
  await lab.runFor(warmupSeconds * MICROS_PER_SECOND);
  return {
    lab,
    async type(keys, seconds = 1) {
      const start = transcript.length;
      expect(lab.input({ kind: 'actor', actor: filer, input: { kind: 'console', data: keys } })).toEqual({ ok: true });
      await lab.runFor(seconds * MICROS_PER_SECOND);
      return transcript.slice(start).replace(/\r\n/g, '\n');
    },
    transcript: () => transcript.replace(/\r\n/g, '\n'),
  };
}

/** Types each command on a fresh lab's filer console (0.2 virtual s apart) and returns the whole session. */
export async function typedSession(labName: string, filer: string, commands: readonly string[]): Promise<string> {
  const bench = await labConsole(labName, filer, 5);
  try {
    let text = '';
    for (const command of commands) text += await bench.type(`${command}\r`, 0.2);
    return text;
  } finally {
    await bench.lab.dispose();
  }
}
