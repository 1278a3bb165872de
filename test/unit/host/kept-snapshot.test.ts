// A snapshot kept as bytes (kept-snapshot.ts), as Undo keeps its bases: read back it is the lab's
// snapshot, whether the lab runs in this thread or in one of its own (which serializes it there and
// moves the bytes here); and two labs restored from the same bytes run as the lab itself went on.
import { describe, expect, it } from 'vitest';
import type { LabInput } from '../../../emulator/engine/lab-spec.ts';
import { loadLabSources, openLab, openLabSpec } from '../../../emulator/host/engine-lab-loader.ts';
import { keepSnapshot, keptLabSnapshot } from '../../../emulator/host/kept-snapshot.ts';

const PULL: LabInput = { kind: 'cable', end: { actor: 'filerA', port: '0a' }, plugged: false };

describe('a kept snapshot', () => {
  it.each(['single', 'workers'] as const)('reads back as the lab\'s snapshot and restores the lab exactly, twice from the same bytes (%s)', async (placement) => {
    const loaded = await loadLabSources();
    if (!loaded.ok) throw new Error(loaded.error);
    const opened = await openLab(loaded.sources, 'ha-pair', { seed: 2, placement });
    if (!opened.ok) throw new Error(opened.errors.join('\n'));
    const lab = opened.lab;
    try {
      await lab.runFor(3_000_000);
      expect(lab.input(PULL)).toEqual({ ok: true });
      // The pull is queued, not yet stamped: the kept snapshot counts it among the inputs taken.
      const kept = await keepSnapshot(lab);
      expect(kept.nowUs).toBe(3_000_000);
      expect(kept.inputsTaken).toBe(1);
      expect(keptLabSnapshot(kept)).toEqual(await lab.snapshot());

      await lab.runFor(2_000_000);
      const wanted = await lab.traceHash();
      for (let restore = 0; restore < 2; restore++) {
        const snapshot = keptLabSnapshot(kept);
        const restored = await openLabSpec(loaded.sources, 'ha-pair', snapshot.spec, { seed: 2, placement: 'single', snapshot });
        if (!restored.ok) throw new Error(restored.errors.join('\n'));
        await restored.lab.runFor(2_000_000);
        expect(await restored.lab.traceHash()).toBe(wanted);
        await restored.lab.dispose();
      }
    } finally {
      await lab.dispose();
    }
  }, 60_000);
});
