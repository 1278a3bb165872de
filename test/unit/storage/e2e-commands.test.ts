// The storage commands on the REAL engine with the built-in ha-pair lab: typed on filerA's console and
// read back from its transcript, while the four clients keep reading and writing.
import { describe, it, expect } from 'vitest';
import { MICROS_PER_SECOND } from '../../../emulator/engine/actor.ts';
import { clientFigures, type ClientFigures } from '../clients/lab-fixture.ts';
import { labConsole, type LabConsole } from '../console/lab-console.ts';

interface Bench extends LabConsole {
  clients(): Promise<Record<string, ClientFigures>>;
}

/** The ha-pair lab, typed on filerA's console while the four clients keep reading and writing. */
async function haPair(warmupSeconds: number): Promise<Bench> {
  const bench = await labConsole('ha-pair', 'filerA', warmupSeconds);
  return { ...bench, clients: () => clientFigures(bench.lab) };
}

/**
 * Table rows of `sysconfig -r` (members, spares, broken) by device: [role, device, ha, shelf, bay, chan].
 * The partner's disks, in their own section, are left out: these are the filer's own 14.
 */
function raidRows(text: string): string[][] {
  return text.split('\n')
    .filter((line) => /\s(FC:[AB]|-)\s+0\s+FCAL\s/.test(line) && !line.startsWith('partner '))
    .map((line) => {
      const match = /^\s*(admin failed|\S+)\s+(\S+)\s+(\S+)\s+(\d+)\s+(\d+)\s+(\S+)/.exec(line);
      return match ? match.slice(1, 7) : [];
    });
}

function roleOf(text: string, device: string): string | undefined {
  return raidRows(text).find((row) => row[1] === device)?.[0];
}

function expectNoClientTrouble(clients: Record<string, ClientFigures>): void {
  for (const [name, figures] of Object.entries(clients)) {
    expect({ name, lostWrites: figures.lostWrites, staleReads: figures.staleReads }).toEqual({ name, lostWrites: 0, staleReads: 0 });
  }
}

describe('storage commands on the ha-pair lab (real engine)', () => {
  it('sysconfig -r lists the 14 disks of shelf1 with their roles over loop A; vol status, df, disk show -v agree', async () => {
    const bench = await haPair(5);
    try {
      const raid = await bench.type('sysconfig -r\r');
      const rows = raidRows(raid);
      expect(rows).toHaveLength(14);
      // Each group lists its parity disk first, as the product does.
      expect(rows.map((row) => row[1])).toEqual(['0a.21', '0a.16', '0a.17', '0a.18', '0a.19', '0a.20', '0a.27', '0a.22', '0a.23', '0a.24', '0a.25', '0a.26', '0a.28', '0a.29']);
      expect(rows.every((row) => row[2] === '0a' && row[3] === '1' && row[5] === 'FC:A')).toBe(true);
      expect(rows.map((row) => row[0])).toEqual([
        'parity', 'data', 'data', 'data', 'data', 'data', 'parity', 'data', 'data', 'data', 'data', 'data', 'spare', 'spare',
      ]);
      expect(raid).toContain('Aggregate aggr0 (online, raid4) (block checksums)\n  Plex /aggr0/plex0 (online, normal, active)\n    RAID group /aggr0/plex0/rg0 (normal)');
      expect(raid).toContain('    RAID group /aggr0/plex0/rg1 (normal)');
      expect(raid).toMatch(/\nspare {11}0a\.29 {3}0a {6}1 {2}13 FC:A {2}0 {3}FCAL 10000 2018\/4132864 {6}2048\/4194304\n/);
      expect(raid).not.toContain('Broken disks');

      const vols = await bench.type('vol status\r');
      expect(vols).toContain('         Volume State           Status            Options\n           vol0 online          raid4, flex       root\n           vol1 online          raid4, flex\n');

      const df = (await bench.type('df\r')).split('\n');
      expect(df[1]).toBe('Filesystem              kbytes       used      avail capacity  Mounted on');
      const vol1 = df.find((line) => line.startsWith('/vol/vol1/ '))?.trim().split(/\s+/) ?? [];
      expect(vol1[0]).toBe('/vol/vol1/');
      expect(Number(vol1[1])).toBe(4_194_304 - 838_860); // 4 GB less the 20% snapshot reserve
      expect(Number(vol1[2])).toBeGreaterThan(0); // the clients' files
      expect(Number(vol1[1])).toBe(Number(vol1[2]) + Number(vol1[3]));
      expect(df).toContain('/vol/vol0/.snapshot     209715          0     209715       0%  /vol/vol0/.snapshot');

      const disks = (await bench.type('disk show -v\r')).split('\n');
      expect(disks).toContain('0a.19        filerA(0101165001)       Pool0  FL0103X0');
      expect(disks.filter((line) => line.includes('filerA(0101165001)'))).toHaveLength(14);
    } finally {
      await bench.lab.dispose();
    }
  }, 120_000);

  it('disk fail -i asks, fails the disk, and the group goes degraded, reconstructs onto the spare and is normal again; no write lost', async () => {
    const bench = await haPair(30);
    try {
      const asked = await bench.type('disk fail -i 0a.19\r', 0.1);
      expect(asked).toContain('*** You are about to fail the following file system disk. ***');
      expect(asked).toContain('  Disk /aggr0/plex0/rg0/0a.19');
      expect(asked.trimEnd().endsWith('Really fail disk 0a.19?')).toBe(true);
      expect(roleOf(asked, '0a.19')).toBe('data');

      const failed = await bench.type('y\rvol status\r', 0.01);
      expect(failed).toContain('disk fail: The following disk was failed: 0a.19');
      expect(failed).toMatch(/\[filerA: raid\.disk\.fail\.admin:notice\]: Disk \/aggr0\/plex0\/rg0\/0a\.19 Shelf 1 Bay 3 .* failed by administrator\./);
      expect(failed).toContain('           vol1 online          raid4, flex\n                                degraded\n                                reconstruct\n');

      // The whole 2018 MiB disk is rebuilt at the default pace (medium, 20 MiB/s): about 1:41 of lab
      // time, run at full speed here. A look every 5 virtual seconds sees it climb.
      const seen: string[] = [];
      let last = '';
      const startedUs = bench.lab.nowUs;
      for (let poll = 0; poll < 40 && !last.includes('rg0 (normal)'); poll++) {
        last = await bench.type('aggr status -r aggr0\r', 5);
        seen.push(/rg0 \(([^)]*)\)/.exec(last)?.[1] ?? '?');
      }
      const tookSeconds = (bench.lab.nowUs - startedUs) / MICROS_PER_SECOND;
      const percents = seen.map((status) => /^reconstruction (\d+)% completed$/.exec(status)?.[1]).filter((p) => p !== undefined).map(Number);
      expect(percents.length).toBeGreaterThan(10);
      expect(percents.filter((percent) => percent > 10 && percent < 90).length).toBeGreaterThan(5);
      expect(percents.every((percent) => percent < 100)).toBe(true);
      expect([...percents].sort((a, b) => a - b)).toEqual(percents);
      expect(seen[seen.length - 1]).toBe('normal');
      expect(tookSeconds).toBeGreaterThan(90);
      expect(tookSeconds).toBeLessThan(120);
      // RAID's EMS events reach the console as the product prints them, not only the timeline.
      expect(bench.transcript()).toMatch(/\[filerA: raid\.rg\.recons\.start:notice\]: \/aggr0\/plex0\/rg0: starting reconstruction/);
      expect(bench.transcript()).toMatch(/\[filerA: raid\.rg\.recons\.done:notice\]: \/aggr0\/plex0\/rg0: reconstruction completed in/);

      const after = await bench.type('sysconfig -r\r');
      expect(roleOf(after, '0a.28')).toBe('data');
      expect(raidRows(after.slice(0, after.indexOf('rg1')))
        .map((row) => row[1])).toEqual(['0a.21', '0a.16', '0a.17', '0a.18', '0a.28', '0a.20']);
      expect(after).toContain('Broken disks');
      expect(roleOf(after, '0a.19')).toBe('admin failed');
      expect(roleOf(after, '0a.29')).toBe('spare');

      // With the last spare failed too, a failure in rg1 leaves it degraded: reads rebuild from parity.
      expect(await bench.type('disk fail -f 0a.29\r')).toContain('disk fail: The following disk was failed: 0a.29');
      // No spare left: even without -i there is nothing to copy to, the disk fails at once.
      expect(await bench.type('disk fail -f 0a.22\r')).toContain('disk fail: The following disk was failed: 0a.22');
      const degraded = await bench.type('sysconfig -r\r', 10);
      expect(degraded).toContain('Aggregate aggr0 (online, raid4, degraded) (block checksums)');
      expect(degraded).toContain('    RAID group /aggr0/plex0/rg1 (degraded)');
      expect(degraded).toMatch(/\n {6}data {6}FAILED {2}N\/A {32}2018\/4132864\n/);
      expect(degraded).toContain('There are no spare disks.');

      const clients = await bench.clients();
      expectNoClientTrouble(clients);
      expect(clients.c1.ackedWrites).toBeGreaterThan(100);
      expect(clients.c1.opsFailed).toBe(0);
    } finally {
      await bench.lab.dispose();
    }
  }, 120_000);

  it('a second disk fail in the group while it reconstructs fails the aggregate, as the product reports it', async () => {
    const bench = await haPair(10);
    try {
      await bench.type('disk fail -i -f 0a.17\r', 0.01);
      expect(await bench.type('aggr status -r aggr0\r', 0.01)).toMatch(/RAID group \/aggr0\/plex0\/rg0 \(reconstruction \d+% completed\)/);
      const warned = await bench.type('disk fail 0a.18\r', 0.01);
      expect(warned).toContain('*** RAID group /aggr0/plex0/rg0 is already degraded: failing this disk will fail aggregate aggr0. ***');
      const second = await bench.type('yes\r', 0.5);
      expect(second).toMatch(/GMT \[filerA: raid\.vol\.failed:critical\]: Aggregate aggr0: Failed due to multi-disk error/);
      const raid = await bench.type('aggr status -r\r', 0.2);
      expect(raid).toContain('Aggregate aggr0 (failed, raid4) (block checksums)\n  Plex /aggr0/plex0 (offline, failed, inactive)\n    RAID group /aggr0/plex0/rg0 (failed)');
      expect(raid.match(/ FAILED /g)).toHaveLength(2);
      expect(roleOf(raid, '0a.17')).toBe('admin failed');
      expect(roleOf(raid, '0a.18')).toBe('admin failed');
      const vols = await bench.type('vol status\r', 0.2);
      expect(vols).toContain('           vol1 offline         raid4, flex\n');
      expect(await bench.type('df\r', 0.2)).toContain('df: /vol/vol1/: Volume is offline');
      expect(await bench.type('df -A\r', 0.2)).toContain('df: aggr0: Aggregate is failed');
    } finally {
      await bench.lab.dispose();
    }
  }, 120_000);

  it('storage show disk -p shows both paths; after pull filerA:0a the disks are reached over loop B and I/O goes on', async () => {
    const bench = await haPair(10);
    try {
      const paths = (await bench.type('storage show disk -p\r')).split('\n');
      expect(paths).toContain('PRIMARY  PORT  SECONDARY  PORT SHELF BAY');
      expect(paths).toContain('0a.19    A     0b.19      B        1   3');
      expect(paths.filter((line) => /^0a\.\d+ +A +0b\.\d+ +B +1 +\d+$/.test(line))).toHaveLength(14);

      const before = (await bench.clients()).c1.opsOk;
      expect(bench.lab.input({ kind: 'cable', end: { actor: 'filerA', port: '0a' }, plugged: false }).ok).toBe(true);
      await bench.lab.runFor(20 * MICROS_PER_SECOND);
      const single = (await bench.type('storage show disk -p\r')).split('\n');
      // The secondary columns are blank: loop A is down.
      expect(single).toContain(`0b.19    B${' '.repeat(25)}1   3`);
      expect(single.filter((line) => /^0b\.\d+ +B +1 +\d+$/.test(line))).toHaveLength(14);
      const raid = await bench.type('sysconfig -r\r');
      const rows = raidRows(raid);
      expect(rows).toHaveLength(14);
      expect(rows.every((row) => row[1].startsWith('0b.') && row[2] === '0b' && row[5] === 'FC:B')).toBe(true);
      expect(raid).not.toContain('Broken disks');

      const clients = await bench.clients();
      expect(clients.c1.opsOk).toBeGreaterThan(before + 100);
      expectNoClientTrouble(clients);
      expect(clients.c1.opsFailed).toBe(0);
    } finally {
      await bench.lab.dispose();
    }
  }, 120_000);

  it('disk replace start copies a member onto a spare; disk zero spares zeroes the disk it freed', async () => {
    const bench = await haPair(10);
    try {
      // High reconstruct impact: the copy runs at 40 MiB/s, about 50 s for the 2018 MiB disk.
      expect(await bench.type('options raid.reconstruct.perf_impact high\r', 0.01)).not.toContain('usage');
      const replacedAt = bench.lab.nowUs;
      const replaced = await bench.type('disk replace start 0a.17 0a.29\r', 0.01);
      expect(replaced).toContain('disk replace: Disk 0a.17 was marked for replacing.');
      let raid = '';
      // A disk copy sweeps the whole disk as a reconstruction does: let the lab run at full speed.
      const copying = await bench.type('sysconfig -r\r', 1);
      // The source stays in its group, which stays normal, while the copy runs.
      expect(copying).toContain('    RAID group /aggr0/plex0/rg0 (normal)');
      expect(copying).toMatch(/\n {6}data {6}0a\.17 .* \(replacing, copy in progress\)\n {6}-> copy {3}0a\.29 .* \(copy \d+% completed\)\n/);
      for (let poll = 0; poll < 40 && (raid === '' || raid.includes('-> copy')); poll++) raid = await bench.type('sysconfig -r\r', 5);
      expect(bench.transcript()).toMatch(/\[filerA: raid\.rg\.diskcopy\.done:notice\]: \/aggr0\/plex0\/rg0: disk copy from 0a\.17 to 0a\.29 completed in 0:\d\d\.00/);
      const copySeconds = (bench.lab.nowUs - replacedAt) / MICROS_PER_SECOND;
      expect(copySeconds).toBeGreaterThan(45);
      expect(copySeconds).toBeLessThan(65);
      expect(raidRows(raid.slice(0, raid.indexOf('rg1'))).map((row) => row[1])).toEqual(['0a.21', '0a.16', '0a.29', '0a.18', '0a.19', '0a.20']);
      expect(raid).toMatch(/\nspare {11}0a\.17 .* \(not zeroed\)\n/);

      const zeroing = await bench.type('disk zero spares\rsysconfig -r\r', 2.5);
      expect(zeroing).toMatch(/\nspare {11}0a\.17 .* \(zeroing, \d+% done\)\n/);
      // Zeroing sweeps the 2018 MiB disk at 100 MiB/s: about 20 s.
      await bench.lab.runFor(20 * MICROS_PER_SECOND);
      const zeroed = await bench.type('sysconfig -r\r');
      expect(zeroed).toMatch(/\nspare {11}0a\.17 .* 2048\/4194304\n/);
      expect(zeroed).toMatch(/\nspare {11}0a\.28 .* 2048\/4194304\n/);
      expectNoClientTrouble(await bench.clients());
    } finally {
      await bench.lab.dispose();
    }
  }, 120_000);

  it('disk fail without -i prefails: the disk is copied onto a spare, the group stays normal, then the disk is failed', async () => {
    const bench = await haPair(10);
    try {
      expect(await bench.type('options raid.reconstruct.perf_impact high\r', 0.01)).not.toContain('usage');
      const asked = await bench.type('disk fail 0a.19\r', 0.1);
      expect(asked).toContain('*** You are about to prefail the following file system disk, ***\n*** which will eventually result in it being failed ***\n  Disk /aggr0/plex0/rg0/0a.19\n');
      expect(asked.trimEnd().endsWith('Really prefail disk 0a.19?')).toBe(true);
      const prefailed = await bench.type('y\r', 1);
      expect(prefailed).toContain('disk fail: The following disk was prefailed: 0a.19\nDisk 0a.19 has been prefailed.  Its contents will be copied to a\nreplacement disk, and the prefailed disk will be failed out.\n');
      expect(prefailed).toMatch(/\[filerA: raid\.rg\.diskcopy\.start:notice\]: \/aggr0\/plex0\/rg0: starting disk copy from 0a\.19 to 0a\.28/);
      const during = await bench.type('aggr status -r aggr0\rvol status\r', 0.1);
      expect(during).toContain('Aggregate aggr0 (online, raid4) (block checksums)');
      expect(during).toContain('    RAID group /aggr0/plex0/rg0 (normal)');
      expect(during).toMatch(/ {6}data {6}0a\.19 .* \(prefail, copy in progress\)\n {6}-> copy {3}0a\.28 .* \(copy \d+% completed\)/);
      expect(during).not.toContain('degraded');
      expect(await bench.type('disk fail -i 0a.19\r')).toContain('disk fail: Disk 0a.19 is being copied to a replacement disk already.');
      let raid = '';
      for (let poll = 0; poll < 30 && (raid === '' || raid.includes('-> copy')); poll++) raid = await bench.type('sysconfig -r\r', 5);
      expect(raid).toContain('    RAID group /aggr0/plex0/rg0 (normal)');
      expect(roleOf(raid, '0a.28')).toBe('data');
      expect(roleOf(raid, '0a.19')).toBe('admin failed');
      expect(bench.transcript()).toMatch(/raid\.rg\.diskcopy\.done:notice\]: \/aggr0\/plex0\/rg0: disk copy from 0a\.19 to 0a\.28 completed in/);
      expect(bench.transcript()).not.toContain('raid.rg.degraded');
      expect(bench.transcript()).not.toContain('starting reconstruction');
      expectNoClientTrouble(await bench.clients());
    } finally {
      await bench.lab.dispose();
    }
  }, 120_000);

  it('answers bad input with the usage line and never breaks the console', async () => {
    const bench = await haPair(5);
    try {
      const unknown = await bench.type('disk fail 0a.99\r');
      expect(unknown).toContain('disk fail: Disk 0a.99 not found');
      expect(unknown).toContain('usage: disk fail [-i] [-f] <disk_name>');
      expect(await bench.type('disk fail\r')).toContain('usage: disk fail [-i] [-f] <disk_name>');
      expect(await bench.type('disk replace start 0a.19\r')).toContain('usage: disk replace start [-f] [-m] <disk_name> <spare_disk_name>');
      expect(await bench.type('disk replace start 0a.28 0a.19\r')).toContain('disk replace: Disk 0a.28 is not a file system disk.');
      expect(await bench.type('aggr status aggr9\r')).toContain("aggr status: No aggregate named 'aggr9' exists.");
      expect(await bench.type('vol status nope\r')).toContain("vol status: No volume named 'nope' exists.");
      expect(await bench.type('df -Z\r')).toContain('usage: df');
      const declined = await bench.type('disk fail 0a.20\r', 0.1) + await bench.type('n\r');
      expect(declined).toContain('disk fail: Disk not failed.');
      expect(roleOf(await bench.type('sysconfig -r\r'), '0a.20')).toBe('data');
      expect(await bench.type('sysconfig\r')).toContain('        System ID: 0101165001 (filerA); partner ID: 0101165002 (filerB)\n');
    } finally {
      await bench.lab.dispose();
    }
  }, 120_000);
});
