// Issue 18: interface groups (`ifgrp`, 7-Mode 7.3) on the ha-pair lab with two free ports on filerA
// (test/scripts/fixtures/ha-pair-ifgrp.lab.yaml): the whole console session compared line for line with
// ifgrp-commands.transcript (docs/fidelity.md lists the shapes and their sources); then a multi-mode
// group's round robin, seen in its members' frame counters. The single-mode failover with a pulled cable
// is test/scripts/fidelity/ifgrp-single-failover.script.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { labConsole, typedSession } from '../console/lab-console.ts';

const LAB = fileURLToPath(new URL('../../scripts/fixtures/ha-pair-ifgrp.lab.yaml', import.meta.url));

export const IFGRP_SESSION = [
  'ifgrp', 'ifgrp status', 'ifgrp status vif0', 'ifgrp create single vif0 e0a e0b', 'ifgrp create multi vif0 e9z',
  'ifgrp create multi e0a e0c', 'ifgrp create bond vif0 e0c', 'ifgrp create multi 0vif e0c', 'ifgrp create multi vif0 -b hash e0c',
  'ifgrp create single ifgrp1 e0c e0c', 'ifgrp create single ifgrp1 e0c', 'ifgrp create multi ifgrp2 e0c', 'ifgrp create single ifgrp1 e0d', 'ifgrp add ifgrp1 e0d',
  'ifgrp status', 'ifconfig ifgrp1', 'ifconfig ifgrp1 10.1.1.10 netmask 255.255.255.0', 'ifconfig ifgrp1 10.1.1.50 netmask 255.255.0.255',
  'ifconfig ifgrp1 10.1.1.50 netmask 255.255.255.0 up', 'ifconfig ifgrp1', 'ifconfig -a', 'ifconfig ifgrp1 10.1.1.50 netmask 255.255.255.0 partner 10.1.1.51', 'ifgrp favor e0d', 'ifgrp status ifgrp1',
  'ifgrp nofavor e0d', 'ifgrp favor e0a', 'ifgrp delete ifgrp1 e0d', 'ifgrp destroy ifgrp1', 'ifconfig ifgrp1 down', 'ifgrp status ifgrp1',
  'ifgrp delete ifgrp1 e0a', 'ifgrp delete ifgrp1 e0d', 'ifgrp destroy ifgrp1', 'ifgrp status',
];

describe('ifgrp commands act on the filer\'s IP stack and print the product\'s shapes', () => {
  it('the whole session matches its transcript', async () => {
    const expected = readFileSync(new URL('./ifgrp-commands.transcript', import.meta.url), 'utf8');
    const actual = await typedSession(LAB, 'filerA', IFGRP_SESSION);
    expect(actual.split('\n')).toEqual(expected.split('\n'));
  }, 120_000);

  it('a multi-mode group with -b rr answers the partner\'s pings by both members in turn', async () => {
    const bench = await labConsole(LAB, 'filerA', 5);
    try {
      await bench.type('ifgrp create multi ifgrp2 -b rr e0c e0d\r');
      await bench.type('ifconfig ifgrp2 10.1.1.60 netmask 255.255.255.0 up\r');
      const sent = (status: string, port: string): number => Number(new RegExp(`\t${port}: state up[^]*?output packets (\\d+)`).exec(status)?.[1] ?? -1);
      const before = await bench.type('ifgrp status ifgrp2\r');
      for (let ping = 0; ping < 4; ping += 1) {
        expect(bench.lab.input({ kind: 'actor', actor: 'filerB', input: { kind: 'console', data: 'ping 10.1.1.60 2\r' } })).toEqual({ ok: true });
        await bench.lab.runFor(3_000_000);
      }
      const after = await bench.type('ifgrp status ifgrp2\r');
      expect(sent(after, 'e0c') - sent(before, 'e0c')).toBeGreaterThanOrEqual(2);
      expect(sent(after, 'e0d') - sent(before, 'e0d')).toBeGreaterThanOrEqual(2);
      expect(await bench.type('ifgrp status ifgrp2\r')).toContain("ifgrp2: 2 links, transmit 'Round Robin Load balancing', Ifgrp Type 'multi_mode' fail 'default'");
    } finally {
      await bench.lab.dispose();
    }
  }, 120_000);
});
