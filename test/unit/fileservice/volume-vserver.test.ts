// Issue 18: a volume made with `vol create` belongs to a vserver — the filer's own identity, or the one
// named by -vserver — so that vserver's clients mount it at once (exportfs lists it), and its mark,
// kept on disk with the volume, makes it that vserver's again after a takeover and after a reboot.
import { describe, expect, it } from 'vitest';
import { MICROS_PER_SECOND } from '../../../emulator/engine/actor.ts';
import { labConsole } from '../console/lab-console.ts';

describe('vol create gives the new volume a vserver', () => {
  it('ha-pair: the filer\'s own identity exports it now, the partner exports it in takeover, and it is exported again after the reboot', async () => {
    const bench = await labConsole('ha-pair', 'filerA', 5);
    let partnerText = '';
    bench.lab.onDidEmit((emission) => {
      for (const output of emission.outputs) if (output.type === 'console' && output.actor === 'filerB') partnerText += output.text;
    });
    const onPartner = async (command: string, seconds: number): Promise<string> => {
      const start = partnerText.length;
      expect(bench.lab.input({ kind: 'actor', actor: 'filerB', input: { kind: 'console', data: `${command}\r` } })).toEqual({ ok: true });
      await bench.lab.runFor(seconds * MICROS_PER_SECOND);
      return partnerText.slice(start).replace(/\r\n/g, '\n');
    };
    try {
      expect(await bench.type('exportfs\r')).not.toContain('/vol/vol3');
      await bench.type('vol create vol3 aggr0 100m\r', 12);
      expect(await bench.type('exportfs\r')).toContain('/vol/vol3\t-sec=sys,rw,nosuid');
      expect(await bench.type('vol options vol3\r')).not.toContain('vserver');
      expect(await bench.type('vol options vol3 vserver filerB\r')).toContain("Unknown option 'vserver'");
      await onPartner('cf takeover', 60);
      expect(await onPartner('exportfs', 1)).toContain('/vol/vol3\t-sec=sys,rw,nosuid');
      await bench.type('boot_ontap\r', 60);
      await onPartner('cf giveback', 90);
      expect(await bench.type('exportfs\r')).toContain('/vol/vol3\t-sec=sys,rw,nosuid');
    } finally {
      await bench.lab.dispose();
    }
  }, 180_000);

  it('cluster-4: -vserver names one of the node\'s vservers; another node\'s is refused; a bad -vserver prints the usage', async () => {
    const bench = await labConsole('cluster-4', 'node1', 5);
    try {
      expect(await bench.type('vol create vol9 -vserver vs3 aggr2 100m\r')).toContain("vol create: vserver 'vs3' is not served from node1's storage (its vservers: node1, vs1, vs2, vs6).");
      expect(await bench.type('vol create vol9 -vserver\r')).toContain('usage: vol create');
      await bench.type('vol create vol9 -vserver vs1 aggr2 100m\r', 12);
      const exported = await bench.type('exportfs\r');
      expect(exported).toContain('/vol/vol9');
    } finally {
      await bench.lab.dispose();
    }
  }, 120_000);
});
