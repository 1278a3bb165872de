import { describe, it, expect } from 'vitest';
import { MICROS_PER_SECOND } from '../../../emulator/engine/actor.ts';
import { clientConfig, clientFigures, smallLab } from './lab-fixture.ts';

describe('clients on a real lab', () => {
  it('an NFS and a CIFS client stay busy with no failures and no lost writes', async () => {
    const { lab } = await smallLab([clientConfig('c1', 'nfs', 1), clientConfig('c2', 'cifs', 2)]);
    await lab.runFor(30 * MICROS_PER_SECOND);
    const figures = await clientFigures(lab);
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
    expect(lab.input({ kind: 'actor', actor: 'filerA', input: { kind: 'console', data: 'reboot -t 0\r' } })).toEqual({ ok: true });
    await lab.runFor(90 * MICROS_PER_SECOND);
    const after = await clientFigures(lab);
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

describe('client <c> start|stop', () => {
  it('stops the workload (no ops, no outage counted) and starts it again', async () => {
    const { lab } = await smallLab([clientConfig('c1', 'nfs', 1), clientConfig('c2', 'cifs', 2, { running: false })], 9);
    await lab.runFor(5 * MICROS_PER_SECOND);
    let figures = await clientFigures(lab);
    expect(figures.c1.opsOk).toBeGreaterThan(20);
    expect(figures.c2.opsOk).toBe(0);
    lab.input({ kind: 'actor', actor: 'c1', input: { kind: 'client', action: 'stop' } });
    lab.input({ kind: 'actor', actor: 'c2', input: { kind: 'client', action: 'start' } });
    await lab.runFor(1 * MICROS_PER_SECOND);
    const stoppedAt = (await clientFigures(lab)).c1.opsOk;
    await lab.runFor(10 * MICROS_PER_SECOND);
    figures = await clientFigures(lab);
    expect(figures.c1.opsOk).toBe(stoppedAt);
    expect(figures.c1.maxOutageMs).toBeLessThan(100);
    expect((figures.c1 as unknown as { state: string }).state).toBe('stopped');
    expect(figures.c2.opsOk).toBeGreaterThan(50);
    expect(figures.c2.opsFailed).toBe(0);
    await lab.dispose();
  });
});
