// Issue 18's EMS sweep: a busy ha-pair run (a disk failing and reconstructing, a port down and up, a
// volume offline and online, a loop pulled, a panic, the takeover, a partner disk failing in takeover and the giveback) and every EMS line
// either console printed must have the product's shape, `<date> [filerA: source.event:severity]: text`,
// and name things as the product does: no lab actor ids (`shelf1`, `shelf1.3`) and no partner storage
// keys (`filerB:aggr0`).
import { describe, it, expect } from 'vitest';
import { loadLabSources, openLab } from '../../../emulator/host/engine-lab-loader.ts';
import { parseScript, resolveScript } from '../../../emulator/lab/script.ts';

const BUSY = [
  'at 5s fault shelf1.3 fail',
  'at 8s console filerA "ifconfig e0b down"',
  'at 9s console filerA "ifconfig e0b up"',
  'at 10s fault filerA:0a down',
  'at 14s clear filerA:0a down',
  'at 15s console filerA "vol offline vol1"',
  'at 16s console filerA "vol online vol1"',
  'at 18s console filerB "disk fail -f -i 0b.40"',
  'at 30s fault filerB panic',
  // In takeover filerA holds filerB's aggregate: its RAID messages name it as filerB does (/aggr0/…).
  'at 60s fault shelf2.2 fail',
  'at 100s console filerA "cf giveback"',
].join('\n');

/** `rc` is the product's one source without a dot (`[toaster: rc:notice]: The system was down for …`). */
export const EMS_LINE = /^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d GMT \[(filerA|filerB): (rc|[a-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)+):(emergency|alert|critical|error|warning|notice|info|debug)\]: \S.*$/;
const LAB_NAMES = /\bshelf\d+(\.\d+)?\b|\bfiler[AB]:(aggr|vol)\w*/;

describe('every EMS line on the consoles has the product\'s shape and names', () => {
  it('a busy ha-pair run', async () => {
    const loaded = await loadLabSources();
    if (!loaded.ok) throw new Error(loaded.error);
    const opened = await openLab(loaded.sources, 'ha-pair', { seed: 2, placement: 'single' });
    if (!opened.ok) throw new Error(opened.errors.join('\n'));
    const lab = opened.lab;
    const consoles: Record<string, string> = { filerA: '', filerB: '' };
    lab.onDidEmit((emission) => {
      for (const output of emission.outputs) if (output.type === 'console' && output.actor in consoles) consoles[output.actor] += output.text;
    });
    try {
      const parsed = parseScript(BUSY);
      if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
      const resolved = resolveScript(parsed.lines, lab.spec);
      if (!resolved.ok) throw new Error(resolved.errors.join('\n'));
      for (const step of resolved.steps) {
        if (step.kind !== 'input') continue;
        await lab.runFor(step.line.atUs - lab.nowUs);
        expect(lab.input(step.input).ok).toBe(true);
      }
      await lab.runFor(180_000_000 - lab.nowUs);
      const lines = Object.values(consoles).flatMap((text) => text.split(/\r?\n/))
        // EMS lines are printed above the line being typed: strip a prompt or echo left before them.
        .map((line) => line.replace(/^[\s\S]*?(?=[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d GMT \[)/, ''))
        .filter((line) => /GMT \[filer[AB]: /.test(line));
      expect(lines.length).toBeGreaterThan(20);
      const sources = new Set(lines.map((line) => /\[filer[AB]: ([^:\]]+):/.exec(line)?.[1]));
      for (const source of ['raid.disk.fail', 'wafl.vvol.offline', 'cf.fsm.stateTransit']) expect(sources).toContain(source);
      expect(lines.filter((line) => !EMS_LINE.test(line))).toEqual([]);
      expect(lines.filter((line) => LAB_NAMES.test(line))).toEqual([]);
    } finally {
      await lab.dispose();
    }
  }, 180_000);
});
