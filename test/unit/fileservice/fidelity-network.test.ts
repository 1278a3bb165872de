// Issue 18's network and protocol commands on the ha-pair lab: the whole output for a known lab state
// (filerA after 5 s, seed 3, the four clients at work) compared with network-commands.transcript; then
// ifconfig, exportfs and cifs shares after filerA has taken filerB over.
import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { labConsole } from '../console/lab-console.ts';

export const NETWORK_SESSION = [
  'exportfs', 'exportfs -z', 'nfs status', 'nfs', 'cifs shares', 'cifs shares vol1', 'cifs shares vol9',
  'netstat -i', 'netstat', 'route -s', 'route', 'netstat -rn', 'ifconfig -a',
];

describe('network commands print the product\'s shapes from the lab\'s state', () => {
  it('the whole session matches its transcript', async () => {
    const bench = await labConsole('ha-pair', 'filerA', 5);
    try {
      let actual = '';
      for (const command of NETWORK_SESSION) actual += await bench.type(`${command}\r`, 0.2);
      const expected = readFileSync(new URL('./network-commands.transcript', import.meta.url), 'utf8');
      expect(actual.split('\n')).toEqual(expected.split('\n'));
    } finally {
      await bench.lab.dispose();
    }
  }, 120_000);

  it('netstat -i counts the frames of the clients at work; ping reaches a client and the partner; in takeover ifconfig shows the partner\'s addresses in use', async () => {
    const bench = await labConsole('ha-pair', 'filerA', 5);
    try {
      const counts = (text: string) => text.split('\n').filter((line) => line.startsWith('e0a ')).map((line) => Number(line.trim().split(/\s+/)[4]));
      const first = counts(await bench.type('netstat -i\r', 5));
      const second = counts(await bench.type('netstat -i\r', 0.1));
      expect(second[0]).toBeGreaterThan(first[0]);
      expect(await bench.type('ifconfig e0a\r', 0.1)).toContain('        partner e0a (not in use)\n');
      // ping goes through the lab's Ethernet: a client and the partner answer, a free address does not.
      expect(await bench.type('ping 10.1.1.101\r', 0.1)).toBe('ping 10.1.1.101\n10.1.1.101 is alive\nfilerA> ');
      expect(await bench.type('ping filerB\r', 0.1)).toBe('ping filerB\nfilerB is alive\nfilerA> ');
      expect(await bench.type('ping 10.1.2.99 2\r', 1.5)).toBe('ping 10.1.2.99 2\n');
      expect(await bench.type('', 1)).toBe('no answer from 10.1.2.99\nfilerA> ');
      expect(await bench.type('ping 10.9.9.9\r', 0.1)).toBe('ping 10.9.9.9\nping: sendto: No route to host\nfilerA> ');
      expect(await bench.type('ping\r', 0.1)).toBe('ping\nusage: ping <host> [<timeout>]\nfilerA> ');
      expect(bench.lab.input({ kind: 'cable', end: { actor: 'c1', port: 'e0' }, plugged: false }).ok).toBe(true);
      expect(await bench.type('ping 10.1.1.101 1\r', 1.5)).toBe('ping 10.1.1.101 1\nno answer from 10.1.1.101\nfilerA> ');
      expect(bench.lab.input({ kind: 'cable', end: { actor: 'c1', port: 'e0' }, plugged: true }).ok).toBe(true);
      await bench.type('cf takeover\r', 60);
      const taken = await bench.type('ifconfig e0a\r', 0.1);
      expect(taken).toContain('        partner e0a (in use)\n        partner inet 10.1.1.11 (vserver filerB, taken over)\n');
      expect(await bench.type('cifs shares vol2\r', 0.1)).toContain('vol2         /vol/vol2\n');
      expect(await bench.type('exportfs\r', 0.1)).toContain('/vol/vol2\t-sec=sys,rw,nosuid\n');
    } finally {
      await bench.lab.dispose();
    }
  }, 120_000);
});
