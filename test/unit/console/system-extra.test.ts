// Issue 18's system commands (wrfile/rdfile, logout, savecore, statit, stats show) on the
// ha-pair lab: the whole session compared line for line with system-extra.transcript (docs/fidelity.md
// lists the shapes and their sources); then what they read of the lab after a panic and a written file.
import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { labConsole } from './lab-console.ts';

/** Keys typed, in order: each entry is one line (a bare '\x03' is Ctrl-C). */
export const SYSTEM_SESSION = [
  'wrfile', 'wrfile etc/x', 'wrfile /etc/hosts.equiv', 'admin1 root', 'admin2 root', '\x03', 'rdfile /etc/hosts.equiv',
  'wrfile -a /etc/hosts.equiv admin3 root', 'rdfile /etc/hosts.equiv', 'logout', 'logout telnet', 'logout x',
  'savecore -x', 'savecore', 'savecore -l', 'stats', 'stats show volume',
  'stats show system', 'statit -b', 'priv set -q advanced', 'statit -e', 'statit -b', 'statit -x', 'statit -e -n', 'statit -e', 'statit -e', 'priv set',
];

async function session(keys: readonly string[]): Promise<string> {
  const bench = await labConsole('ha-pair', 'filerA', 5);
  try {
    let text = '';
    for (const key of keys) text += await bench.type(key === '\x03' ? key : `${key}\r`, 0.5);
    return text;
  } finally {
    await bench.lab.dispose();
  }
}

describe('system commands answer from the lab\'s state with the product\'s shapes', () => {
  it('the whole session matches its transcript', async () => {
    const expected = readFileSync(new URL('./system-extra.transcript', import.meta.url), 'utf8');
    expect((await session(SYSTEM_SESSION)).split('\n')).toEqual(expected.split('\n'));
  }, 120_000);

  it('a panic leaves a core that savecore -l lists after the reboot; a written file outlives the reboot; statit counts the disk commands of a CP', async () => {
    const bench = await labConsole('ha-pair', 'filerA', 5);
    try {
      await bench.type('wrfile -a /etc/rc.local ifconfig e0a up\r');
      // Without HA the panicked filer reboots by itself instead of waiting for giveback.
      await bench.type('cf disable\r');
      expect(bench.lab.input({ kind: 'actor', actor: 'filerA', input: { kind: 'fault', fault: 'panic', args: [] } }).ok).toBe(true);
      await bench.type('', 120);
      const listed = await bench.type('savecore -l\r');
      expect(listed).toMatch(/core\.0101165001\.2013-06-03\.09_00_\d\d\.nz +Mon Jun  3 09:00:\d\d GMT 2013 +Fault injected by the lab operator/);
      expect(await bench.type('rdfile /etc/rc.local\r')).toContain('ifconfig e0a up\n');
      await bench.type('priv set -q advanced\r');
      await bench.type('statit -b\r', 20);
      const report = await bench.type('statit -e\r');
      // disk, ut%, xfers, then rate/chain/usecs of ureads, writes, cpreads, greads, gwrites.
      const rows = [...report.matchAll(/^0a\.\d+ +(\d+) +(\d+\.\d\d) +\d+\.\d\d +\S+ +\S+ +(\d+\.\d\d) +(\S+) +(\S+)/gm)];
      expect(rows.length).toBeGreaterThan(10);
      const busiest = rows.reduce((best, row) => (Number(row[2]) > Number(best[2]) ? row : best));
      expect(Number(busiest[2])).toBeGreaterThan(0);
      // A CP's writes: their rate makes up the xfers, with a chain of blocks and a measured round trip.
      expect(Number(busiest[3])).toBe(Number(busiest[2]));
      expect(Number(busiest[4])).toBeGreaterThanOrEqual(1);
      expect(Number(busiest[5])).toBeGreaterThan(0);
      expect(report).toContain('                       CSMP Domain Switches (per CPU)');
      expect(report).toMatch(/^e0a +recv +- +\d+\.\d\d/m);
    } finally {
      await bench.lab.dispose();
    }
  }, 180_000);
});
