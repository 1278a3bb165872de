// The PTY manager spawns the real `filerlab console` on a pseudo-terminal: with no lab at the URL it
// must say so on the terminal and exit 1; sessions are bounded and close cleanly.
import { describe, expect, it } from 'vitest';
import { PtySessions } from '../../../emulator/host/pty-sessions.ts';

describe('pty sessions', () => {
  it('runs filerlab console on a PTY and reports a lab that is not there', async () => {
    const sessions = new PtySessions('ws://127.0.0.1:9/lab');
    let output = '';
    const exited = new Promise<number | undefined>((resolve) => {
      sessions.onDidEvent((event) => {
        if (event.type === 'data') output += event.data;
        if (event.type === 'exit') resolve(event.exitCode);
      });
    });
    const opened = sessions.open('filerA', 100, 30);
    expect(opened.ok).toBe(true);
    expect(await exited).toBe(1);
    expect(output).toContain('no running lab found');
    sessions.dispose();
  });

  it('refuses a bad filer name and closes what it opened', () => {
    const sessions = new PtySessions('ws://127.0.0.1:9/lab', ['/bin/sleep', '5']);
    expect(sessions.open('filer A; rm', 80, 24).ok).toBe(false);
    const opened = sessions.open('filerA', 80, 24);
    expect(opened.ok).toBe(true);
    if (opened.ok) {
      expect(sessions.resize(opened.id, 120, 40)).toBe(true);
      expect(sessions.close(opened.id)).toBe(true);
      expect(sessions.write(opened.id, 'x')).toBe(false);
    }
    sessions.dispose();
  });
});
