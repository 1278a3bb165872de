// The CLI's dispatch: a command by name; options with no command go to `start` (so that
// `npm start -- --port 8123` works); help; an unknown command named.
import { describe, expect, it } from 'vitest';
import { main } from '../../../emulator/cli/main.ts';

async function invoke(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: (text) => { out += text; }, stderr: (text) => { err += text; }, interactive: false });
  return { code, out, err };
}

describe('filerlab dispatch', () => {
  it('gives options with no command to start, which checks them as serve does', async () => {
    const bad = await invoke(['--port', 'seventy']);
    expect(bad.err).toContain("--port wants 0..65535, not 'seventy'");
    expect(bad.err).not.toContain('unknown command');
    expect(bad.code).toBe(2);
  });

  it('prints help, and names an unknown command', async () => {
    expect((await invoke(['--help'])).code).toBe(0);
    const unknown = await invoke(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("unknown command 'frobnicate'");
  });
});
