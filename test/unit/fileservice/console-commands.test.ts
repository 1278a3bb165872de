// The file service's console commands on a real lab with busy clients: the real shapes, live figures.
import { describe, it, expect } from 'vitest';
import { MICROS_PER_SECOND } from '../../../emulator/engine/actor.ts';
import { clientConfig, smallLab } from '../clients/lab-fixture.ts';

describe('cifs sessions, cifs stat, nfsstat, sysstat and sysstat -x', () => {
  it('show the sessions, counters and rates of the clients at work', async () => {
    const { lab } = await smallLab([clientConfig('c1', 'nfs', 1), clientConfig('c2', 'cifs', 2)], 5, true);
    let console = '';
    lab.onDidEmit((emission) => {
      for (const output of emission.outputs) if (output.type === 'console' && output.actor === 'filerA') console += output.text;
    });
    await lab.runFor(5 * MICROS_PER_SECOND);
    const type = async (line: string, seconds = 1) => {
      const start = console.length;
      lab.input({ kind: 'actor', actor: 'filerA', input: { kind: 'console', data: line } });
      await lab.runFor(seconds * MICROS_PER_SECOND);
      return console.slice(start);
    };
    const sessions = await type('cifs sessions\r');
    expect(sessions).toContain('PC IP(PC Name) (user)');
    expect(sessions).toMatch(/10\.1\.1\.102\(C2\) \(trainee - pcuser\)/);
    const stat = await type('cifs stat\r');
    expect(stat).toMatch(/Write\s+\d+/);
    expect(stat).toContain('sessions: 1');
    const nfsstat = await type('nfsstat\r');
    expect(nfsstat).toMatch(/Server nfs V3: \(\d+ calls\)/);
    const v3Calls = Number(/Server nfs V3: \((\d+) calls\)/.exec(nfsstat)?.[1]);
    expect(v3Calls).toBeGreaterThan(100);
    const sysstat = await type('sysstat -x 1\r', 3.5);
    expect(sysstat).toContain(' CPU    NFS   CIFS');
    const rows = sysstat.split(/\r?\n/).filter((row) => /^\s*\d+%/.test(row));
    expect(rows.length).toBeGreaterThanOrEqual(3);
    const nfsRate = Number(rows[1].trim().split(/\s+/)[1]);
    const cifsRate = Number(rows[1].trim().split(/\s+/)[2]);
    expect(nfsRate).toBeGreaterThan(10);
    expect(cifsRate).toBeGreaterThan(10);
    const stopped = await type('\x03', 2);
    expect(stopped.split(/\r?\n/).filter((row) => /^\s*\d+%/.test(row)).length).toBeLessThanOrEqual(1);
    // Plain sysstat reads the same live counters: its first line is at once, the next ones show the load.
    const basic = await type('sysstat 1\r', 2.5);
    expect(basic).toContain('                                in   out    read  write  read write   age');
    const basicRows = basic.split(/\r?\n/).filter((row) => /^\s*\d+%/.test(row));
    expect(basicRows.length).toBe(3);
    expect(Number(basicRows[1].trim().split(/\s+/)[1])).toBeGreaterThan(10);
    expect(Number(basicRows[1].trim().split(/\s+/)[2])).toBeGreaterThan(10);
    await type('\x03', 1);
    // uptime counts the ops served since boot, the same counters.
    const uptime = await type('uptime\r', 0.01);
    const uptimeOps = /up\s+[^\n]*?(\d+) NFS ops, (\d+) CIFS ops, 0 HTTP ops, 0 FCP ops, 0 iSCSI ops/.exec(uptime);
    expect(Number(uptimeOps?.[1])).toBeGreaterThan(v3Calls);
    expect(Number(uptimeOps?.[2])).toBeGreaterThan(10);
    // -x anywhere among the flags; disk kB/s, CP time, CP type and disk utilisation are live.
    const extended = await type('sysstat -c 3 -x 1\r', 3.5);
    expect(extended).toContain('  CP  CP  Disk');
    const extendedRows = extended.split(/\r?\n/).filter((row) => /^\s*\d+%/.test(row)).map((row) => row.trim().split(/\s+/));
    expect(extendedRows).toHaveLength(3);
    expect(extendedRows.some((row) => Number(row[8]) > 0)).toBe(true);
    expect(extendedRows.some((row) => row[13] !== '0%')).toBe(true);
    expect(extendedRows.every((row) => /^[-:TFBZ]$/.test(row[14]))).toBe(true);
    expect(extendedRows.some((row) => row[15] !== '0%')).toBe(true);
    expect(extended.trimEnd().endsWith('filerA>')).toBe(true);
    await lab.dispose();
  });
});
