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

describe('a filer reboot, seen from the clients', () => {
  it('drops the CIFS session, which the client re-establishes; the NFS hard mount rides it out', async () => {
    const { lab } = await smallLab([clientConfig('c1', 'nfs', 1), clientConfig('c2', 'cifs', 2)], 11, true);
    await lab.runFor(10 * MICROS_PER_SECOND);
    const before = await clientFigures(lab);
    expect(before.c2.sessionsDropped).toBe(0);
    expect(before.c2.connection).toBe('ready');
    expect(lab.input({ kind: 'actor', actor: 'filerA', input: { kind: 'console', data: 'reboot\r' } })).toEqual({ ok: true });
    await lab.runFor(90 * MICROS_PER_SECOND);
    const after = await clientFigures(lab);
    console.log(JSON.stringify(after, null, 1));
    expect(after.c2.sessionsDropped).toBe(1);
    expect(after.c2.connection).toBe('ready');
    expect(after.c2.opsOk).toBeGreaterThan(before.c2.opsOk + 100);
    expect(after.c1.opsOk).toBeGreaterThan(before.c1.opsOk + 100);
    expect(after.c1.maxOutageMs).toBeGreaterThan(1000);
    for (const name of ['c1', 'c2']) {
      expect(after[name].lostWrites).toBe(0);
      expect(after[name].staleReads).toBe(0);
    }
    await lab.dispose();
  });
});
