// The built-in ha-pair lab, as `filerlab run` opens it: two filers with their shelves on the FC loops,
// the NVRAM mirror over the interconnect, and four clients (two NFS, two CIFS) at work.
import { describe, it, expect } from 'vitest';
import { MICROS_PER_SECOND } from '../../../emulator/engine/actor.ts';
import { loadLabSources, openLab } from '../../../emulator/host/engine-lab-loader.ts';
import type { ClientFigures } from './lab-fixture.ts';

describe('ha-pair with its four clients', () => {
  it('keeps all four clients busy for two virtual minutes with no failures and no lost writes', async () => {
    const loaded = await loadLabSources();
    if (!loaded.ok) throw new Error(loaded.error);
    const opened = await openLab(loaded.sources, 'ha-pair', { seed: 1, placement: 'single' });
    if (!opened.ok) throw new Error(opened.errors.join('\n'));
    const lab = opened.lab;
    try {
      await lab.runFor(120 * MICROS_PER_SECOND);
      const summary = await lab.summary() as unknown as { clients: Record<string, ClientFigures> };
      expect(Object.keys(summary.clients).sort()).toEqual(['c1', 'c2', 'c3', 'c4']);
      for (const [name, figures] of Object.entries(summary.clients)) {
        expect({ name, ...figures }).toMatchObject({ name, opsFailed: 0, lostWrites: 0, staleReads: 0, sessionsDropped: 0 });
        expect(figures.opsOk).toBeGreaterThan(1000);
        expect(figures.ackedWrites).toBeGreaterThan(400);
        expect(figures.maxOutageMs).toBeLessThan(1000);
      }
      expect(summary.clients.c2.protocol).toBe('cifs');
      expect(summary.clients.c1.protocol).toBe('nfs');
    } finally {
      await lab.dispose();
    }
  });
});
