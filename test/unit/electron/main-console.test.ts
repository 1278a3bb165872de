// electron/main.ts started with --filerlab-console (the console PTYs' way in now that the RunAsNode
// fuse is off): it runs `filerlab console` and exits with its code — no window, no sandbox switch, no
// single-instance lock (the window's instance holds it), no lab host.
import { afterAll, describe, expect, it, vi } from 'vitest';

const stub = vi.hoisted(() => ({ calls: [] as string[], consoleArgs: [] as string[][] }));
const savedArgv = process.argv;
process.argv = ['/opt/FilerLab/filerlab', '--filerlab-console', 'console', 'filerB', '--url', 'ws://127.0.0.1:9/lab'];
afterAll(() => { process.argv = savedArgv; });

vi.mock('../../../emulator/cli/console.ts', () => ({
  consoleCommand: { run: async (args: string[]) => { stub.consoleArgs.push(args); return 3; } },
}));
vi.mock('../../../emulator/host/server/create-lab-host.ts', () => ({
  DEFAULT_LAB: 'ha-pair',
  createLabHost: async () => { stub.calls.push('createLabHost'); throw new Error('no host in console mode'); },
}));
vi.mock('electron', () => ({
  app: {
    enableSandbox: () => stub.calls.push('enableSandbox'),
    requestSingleInstanceLock: () => { stub.calls.push('lock'); return true; },
    on: () => stub.calls.push('on'),
    whenReady: () => { stub.calls.push('whenReady'); return new Promise(() => {}); },
    dock: { hide: () => stub.calls.push('dock.hide') },
    exit: (code: number) => stub.calls.push(`exit ${code}`),
    quit: () => stub.calls.push('quit'),
  },
  protocol: { registerSchemesAsPrivileged: () => stub.calls.push('registerSchemes'), handle: () => stub.calls.push('handle') },
  BrowserWindow: class { constructor() { stub.calls.push('BrowserWindow'); } },
  ipcMain: {},
  session: {},
}));

describe('electron main in console mode', () => {
  it('runs the console command with the arguments after the flag and exits with its code, opening nothing', async () => {
    await import('../../../electron/main.ts');
    await vi.waitFor(() => expect(stub.calls).toContain('exit 3'));
    expect(stub.consoleArgs).toEqual([['filerB', '--url', 'ws://127.0.0.1:9/lab']]);
    expect(stub.calls).toEqual(['dock.hide', 'exit 3']);
  });
});
