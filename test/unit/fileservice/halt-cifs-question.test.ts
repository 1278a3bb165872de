// `halt` and `cifs terminate` with CIFS users connected (ha-pair, c2 on filerA): the users and open files
// are listed and the operator is asked for the minutes before they are disconnected, as 7-Mode does;
// `-t` asks nothing. `cifs terminate` stops CIFS only: NFS goes on; `cifs restart` brings it back.
import { describe, it, expect } from 'vitest';
import { MICROS_PER_SECOND } from '../../../emulator/engine/actor.ts';
import { clientFigures } from '../clients/lab-fixture.ts';
import { labConsole } from '../console/lab-console.ts';

describe('halt with CIFS sessions open', () => {
  it('lists the users, asks for minutes, waits that long (Ctrl-C cancels); a bad answer asks again', async () => {
    const bench = await labConsole('ha-pair', 'filerA', 5);
    try {
      const asked = await bench.type('halt\r', 0.1);
      const files = Number(/Total number of open CIFS files: (\d+)/.exec(asked)?.[1]);
      expect(asked).toBe([
        'halt',
        'CIFS local server is running.',
        'PC IP(PC Name) (user)            #shares  #files',
        '10.1.2.102(C2) (trainee - pcuser)',
        `${'1'.padStart(34)}${String(files).padStart(9)}`,
        'Total number of connected CIFS users: 1',
        `    Total number of open CIFS files: ${files}`,
        ...(files > 0 ? ['Warning: Terminating CIFS service while files are open may cause data loss!!'] : []),
        'Enter the number of minutes to wait before disconnecting [5]: ',
      ].join('\n'));
      expect(await bench.type('soon\r', 0.1)).toBe('soon\nEnter the number of minutes to wait before disconnecting [5]: ');
      expect(await bench.type('\r', 0.1)).toBe('\nhalt: the system will halt in 5 minutes. (Press Ctrl-C to cancel.)\n');
      expect(await bench.type('\x03', 0.1)).toBe('^C\nhalt: cancelled.\nfilerA> ');
      // -t: no question; the wait starts at once.
      expect(await bench.type('halt -t 2\r', 0.1)).toBe('halt -t 2\nhalt: the system will halt in 2 minutes. (Press Ctrl-C to cancel.)\n');
      await bench.type('\x03', 0.1);
      expect(await bench.type('reboot\r', 0.1)).toContain('Enter the number of minutes to wait before disconnecting [5]: ');
      expect(await bench.type('1\r', 0.1)).toBe('1\nreboot: the system will reboot in 1 minute. (Press Ctrl-C to cancel.)\n');
      await bench.type('\x03', 0.1);
    } finally {
      await bench.lab.dispose();
    }
  }, 120_000);

  it('cifs terminate asks the same, drops the sessions and stops CIFS while NFS goes on; cifs restart', async () => {
    const bench = await labConsole('ha-pair', 'filerA', 5);
    try {
      expect(await bench.type('cifs terminate\r', 0.1)).toContain('Total number of connected CIFS users: 1\n');
      const terminated = await bench.type('0\r', 0.1);
      expect(terminated).toMatch(/^0\nCIFS local server is shutting down\.\.\.\n.*\[filerA: cifs\.terminationNotice:warning\]: CIFS: shutting down, 1 session\(s\) terminated\.\nCIFS local server has shut down\.\.\.\nfilerA> $/);
      expect(await bench.type('cifs sessions\r', 0.1)).toBe('cifs sessions\nCIFS not running.\nfilerA> ');
      expect(await bench.type('cifs terminate\r', 0.1)).toBe('cifs terminate\nCIFS not running.\nfilerA> ');
      const stopped = await clientFigures(bench.lab);
      await bench.lab.runFor(10 * MICROS_PER_SECOND);
      const later = await clientFigures(bench.lab);
      expect(later.c1.opsOk).toBeGreaterThan(stopped.c1.opsOk);
      expect(later.c2.opsOk).toBe(stopped.c2.opsOk);
      expect(await bench.type('cifs restart\r', 0.1)).toBe('cifs restart\nCIFS local server is running.\nfilerA> ');
      expect(await bench.type('cifs restart\r', 0.1)).toBe('cifs restart\ncifs restart: CIFS is already running.\nfilerA> ');
      await bench.lab.runFor(90 * MICROS_PER_SECOND);
      expect((await clientFigures(bench.lab)).c2.opsOk).toBeGreaterThan(later.c2.opsOk);
      expect(await bench.type('cifs terminate -t 1\r', 0.1)).toBe('cifs terminate -t 1\nCIFS local server will shut down in 1 minute. (Press Ctrl-C to cancel.)\n');
      expect(await bench.type('\x03', 0.1)).toBe('^C\ncifs terminate: cancelled.\nfilerA> ');
      expect(await bench.type('cifs terminate -x\r', 0.1)).toBe('cifs terminate -x\nusage: cifs terminate [-t <minutes>]\nfilerA> ');
    } finally {
      await bench.lab.dispose();
    }
  }, 120_000);
});
