// `halt` with CIFS users connected (ha-pair, c2 on filerA): the users and open files are listed and the
// operator is asked for the minutes before they are disconnected, as 7-Mode does; `-t` asks nothing.
import { describe, it, expect } from 'vitest';
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
});
