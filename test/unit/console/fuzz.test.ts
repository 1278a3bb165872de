// Throws seeded random bytes and random command lines at the console, thousands of lines, through the
// real filer actor: nothing may throw, output stays bounded, and after each line (plus Ctrl-C when a
// command holds the console) the console is back at a prompt. A command line that holds the console
// until Ctrl-C fails too, unless holding is its job (sysstat, a question, a boot). A failure prints
// the seed.
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../emulator/ontap/console/commands.ts';
import { ConsoleBench, filerConfig } from './harness.ts';

function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const WORDS = ['-a', '-r', '-t', '-f', '-x', 'e0a', 'e0b', 'e9z', 'up', 'down', 'on', 'off', '?', 'all', 'chassis', '0a', '0b',
  'advanced', 'diag', 'admin', 'set', '/etc/messages', '/etc/rc', 'cf.takeover.detection.seconds', 'cifs.persistent_state', '15', '"quoted word"', ''];
const KEYS = ['\x03', '\x15', '\x7f', '\t', '\x1b[A', '\x1b[B', '\x1b[C', '\x1b[D', '\x1b[3~', '\x1b', '\x00', '\n', '?'];

interface FuzzLine {
  readonly text: string;
  /** A command line (not raw bytes or keys, which may leave an escape sequence or a partial line open). */
  readonly command: boolean;
}

function randomLine(random: () => number): FuzzLine {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const roll = random();
  if (roll < 0.15) {
    // Raw bytes, control characters and all.
    return { text: Array.from({ length: Math.floor(random() * 40) }, () => String.fromCharCode(Math.floor(random() * 256))).join(''), command: false };
  }
  if (roll < 0.25) return { text: Array.from({ length: 1 + Math.floor(random() * 6) }, () => pick(KEYS)).join('') + pick(WORDS), command: false };
  const name = pick(COMMANDS.names);
  // Halting and rebooting are exercised, but rarely, so that most lines reach the OS prompt.
  if ((name === 'halt' || name === 'reboot') && random() < 0.9) return { text: 'version', command: true };
  const args = Array.from({ length: Math.floor(random() * 4) }, () => pick(WORDS));
  return { text: [name, ...args].join(' '), command: true };
}

/** Commands whose job is to hold the console until a key: live counters, a confirmation, a boot, wrfile's lines. */
const MEANT_TO_HOLD = /^(sysstat|halt|reboot|boot_ontap|wrfile|cf (takeover|forcetakeover|giveback)|disk (fail|replace|zero)|vol (offline|destroy)|aggr (offline|destroy))\b/;

function atPrompt(bench: ConsoleBench): boolean {
  const tail = ConsoleBench.plain(bench.output.slice(-200));
  return /(filerA\*?> |LOADER-A> )$/.test(tail);
}

describe('console fuzz', () => {
  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: 1500 random lines never throw, stay bounded and end at a prompt`, () => {
      const random = prng(seed);
      const bench = new ConsoleBench(filerConfig({ start: seed === 3 ? 'cold' : 'warm' }));
      bench.advance(3_000_000);
      if (seed === 3) bench.run('boot_ontap', 10_000_000);
      const heldByMistake: string[] = [];
      for (let index = 0; index < 1500; index++) {
        const { text: line, command } = randomLine(random);
        const before = bench.output.length;
        try {
          const mode = bench.console.mode;
          bench.type(`${line}\r`);
          bench.advance(Math.floor(random() * 3_000_000));
          // A slow command is not a held one: give it time before deciding.
          if (!atPrompt(bench)) bench.advance(30_000_000);
          if (!atPrompt(bench)) {
            // Held: fine for sysstat, a question or a boot; a hang that yields to Ctrl-C otherwise.
            if (command && mode === 'prompt' && !MEANT_TO_HOLD.test(line)) heldByMistake.push(`line ${index} ${JSON.stringify(line)}: ${JSON.stringify(ConsoleBench.plain(bench.output.slice(-200)))}`);
            bench.type('\x03');
            bench.advance(20_000_000);
          }
          if (bench.console.mode === 'loader' && random() < 0.5) bench.run('boot_ontap', 10_000_000);
        } catch (error) {
          throw new Error(`seed ${seed}, line ${index} ${JSON.stringify(line)}: ${String(error)}`);
        }
        expect(bench.output.length - before, `seed ${seed} line ${index} output bound`).toBeLessThan(200_000);
        expect(atPrompt(bench), `seed ${seed} line ${index} ${JSON.stringify(line)} ends at a prompt: ${JSON.stringify(bench.output.slice(-300))}`).toBe(true);
        expect(bench.pendingTimers(), `seed ${seed} timers bounded`).toBeLessThan(50);
      }
      expect(heldByMistake, `seed ${seed}: command lines that held the console until Ctrl-C`).toEqual([]);
      expect(bench.console.messages.length).toBeLessThanOrEqual(500);
      expect(bench.console.editor.history.length).toBeLessThanOrEqual(100);
    });
  }
});
