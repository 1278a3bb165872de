import { describe, it, expect } from 'vitest';
import { MICROS_PER_SECOND } from '../../../emulator/engine/actor.ts';
import { clientConfig, clientFigures, smallLab } from './lab-fixture.ts';

describe('clients on a real lab', () => {
  it('an NFS and a CIFS client stay busy with no failures and no lost writes', async () => {
    const { lab } = await smallLab([clientConfig('c1', 'nfs', 1), clientConfig('c2', 'cifs', 2)]);
    await lab.runFor(30 * MICROS_PER_SECOND);
    const figures = await clientFigures(lab);
    console.log(JSON.stringify(figures, null, 1));
    for (const name of ['c1', 'c2']) {
      expect(figures[name].opsOk).toBeGreaterThan(200);
      expect(figures[name].opsFailed).toBe(0);
      expect(figures[name].lostWrites).toBe(0);
      expect(figures[name].staleReads).toBe(0);
      expect(figures[name].ackedWrites).toBeGreaterThan(50);
    }
    await lab.dispose();
  });
});
