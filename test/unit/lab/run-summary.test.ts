// The run summary's filer and vserver fields (issue 3's JSON shape) follow the lab, not a constant:
// powering filerA off empties what it serves and stops its vserver; powering it on brings both back.
import { describe, it, expect } from 'vitest';
import { MICROS_PER_SECOND } from '../../../emulator/engine/actor.ts';
import { loadLabSources, openLab } from '../../../emulator/host/engine-lab-loader.ts';

interface FilerFigures { power: string; cf: { state: string; interconnect: string; partner: string | null }; serving: string[] }
interface Summary { filers: Record<string, FilerFigures>; vservers: Record<string, { node: string | null; state: string; vips: string[] }> }

describe('run summary: filers and vservers', () => {
  it('reports power, cf and the identities served, and follows a power cycle', async () => {
    const loaded = await loadLabSources();
    if (!loaded.ok) throw new Error(loaded.error);
    const opened = await openLab(loaded.sources, 'ha-pair', { seed: 3, placement: 'single' });
    if (!opened.ok) throw new Error(opened.errors.join('\n'));
    const lab = opened.lab;
    try {
      await lab.runFor(2 * MICROS_PER_SECOND);
      let summary = await lab.summary() as unknown as Summary;
      expect(summary.filers.filerA).toMatchObject({ power: 'on', cf: { state: 'up', interconnect: 'up', partner: 'filerB' }, serving: ['filerA'] });
      expect(summary.vservers.filerA).toEqual({ node: 'filerA', state: 'running', vips: ['10.1.1.10', '10.1.2.10'] });
      expect(summary.vservers.filerB.node).toBe('filerB');

      expect(lab.input({ kind: 'actor', actor: 'filerA', input: { kind: 'power', on: false } }).ok).toBe(true);
      await lab.runFor(1 * MICROS_PER_SECOND);
      summary = await lab.summary() as unknown as Summary;
      expect(summary.filers.filerA).toMatchObject({ power: 'off', cf: { state: 'off' }, serving: [] });
      expect(summary.vservers.filerA).toEqual({ node: null, state: 'stopped', vips: [] });
      expect(summary.filers.filerB.cf.interconnect).toBe('down');
      expect(summary.filers.filerB.serving).toEqual(['filerB']);

      expect(lab.input({ kind: 'actor', actor: 'filerA', input: { kind: 'power', on: true } }).ok).toBe(true);
      await lab.runFor(60 * MICROS_PER_SECOND);
      summary = await lab.summary() as unknown as Summary;
      expect(summary.filers.filerA).toMatchObject({ power: 'on', cf: { state: 'up' }, serving: ['filerA'] });
      expect(summary.vservers.filerA.state).toBe('running');
    } finally {
      await lab.dispose();
    }
  });
});
