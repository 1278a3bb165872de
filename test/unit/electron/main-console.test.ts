// The app started with --filerlab-console (the console PTYs' way in now that the RunAsNode fuse is
// off): its entry, dist/electron/main.js, runs the CLI's console and exits with its code — no window,
// no sandbox switch, no single-instance lock (the window's instance holds it), no lab host.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const stub = vi.hoisted(() => ({ calls: [] as string[], consoleArgs: [] as string[][] }));
const savedArgv = process.argv;
process.argv = ['/opt/FilerLab/filerlab', '--filerlab-console', 'console', 'filerB', '--url', 'ws://127.0.0.1:9/lab'];
// From the sources (the ones mocked below), not the build in dist/node.
const savedFromSource = process.env.FILERLAB_FROM_SOURCE;
process.env.FILERLAB_FROM_SOURCE = '1';
afterAll(() => {
  process.argv = savedArgv;
  if (savedFromSource === undefined) delete process.env.FILERLAB_FROM_SOURCE;
  else process.env.FILERLAB_FROM_SOURCE = savedFromSource;
});

vi.mock('tsx/esm/api', () => ({ register: () => stub.calls.push('register') }));
vi.mock('../../../emulator/cli/main.ts', () => ({
  main: async (args: string[]) => { stub.consoleArgs.push(args); return 3; },
}));
vi.mock('../../../electron/main.ts', () => { stub.calls.push('electron/main.ts'); return {}; });
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

const ROOT = path.resolve(import.meta.dirname, '../../..');
beforeAll(() => {
  const built = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build-electron.mjs')], { cwd: ROOT, encoding: 'utf8' });
  expect(built.status, built.stderr).toBe(0);
}, 180_000); // builds dist/node first when it is stale

describe('the app entry in console mode', () => {
  it('runs the CLI console with the arguments after the flag and exits with its code, opening nothing', async () => {
    await import(/* @vite-ignore */ path.join(ROOT, 'dist', 'electron', 'main.js'));
    await vi.waitFor(() => expect(stub.calls).toContain('exit 3'));
    expect(stub.consoleArgs).toEqual([['console', 'filerB', '--url', 'ws://127.0.0.1:9/lab']]);
    expect(stub.calls).toEqual(['register', 'dock.hide', 'exit 3']);
  });
});
