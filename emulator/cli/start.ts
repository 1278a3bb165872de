// `filerlab` / `filerlab start` / `npm start`: the desktop app. Electron when its binary is there (one
// attempt to fetch it if not); otherwise one line saying so and the same UI through the browser shell.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { runBrowserShell } from '../host/server/browser-shell.ts';
import { hasDisplay } from '../host/server/app-window.ts';
import { ensureRendererBuilt, REPO_ROOT } from '../host/server/renderer-build.ts';
import type { CliCommand, CliIo } from './command.ts';
import { parseServeArgs } from './serve.ts';

const ELECTRON_FETCH_TIMEOUT_MS = 20_000;

/** The Electron binary's path, or undefined when its download never happened. */
export function electronBinary(): string | undefined {
  const require = createRequire(import.meta.url);
  try {
    // The `electron` package's main is the binary's path, and throws when the binary is absent.
    const binary = require('electron') as unknown;
    return typeof binary === 'string' && existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

/** One try at fetching the binary (the package's own install script), bounded in time. */
export function fetchElectronOnce(): string | undefined {
  const install = path.join(REPO_ROOT, 'node_modules', 'electron', 'install.js');
  if (!existsSync(install)) return undefined;
  spawnSync(process.execPath, [install], { cwd: path.dirname(install), stdio: 'ignore', timeout: ELECTRON_FETCH_TIMEOUT_MS });
  return electronBinary();
}

async function runElectron(binary: string, lab: string, seed: number | undefined, io: CliIo): Promise<number> {
  const built = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'build-electron.mjs')], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (built.status !== 0) {
    io.stderr('filerlab: could not bundle the Electron main process (scripts/build-electron.mjs)\n');
    return 1;
  }
  const child = spawn(binary, [REPO_ROOT], { stdio: 'inherit', env: { ...process.env, FILERLAB_LAB: lab, FILERLAB_SEED: seed === undefined ? '' : String(seed) } });
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code ?? 1));
    child.once('error', (error) => {
      io.stderr(`filerlab: Electron did not start: ${error.message}\n`);
      resolve(1);
    });
  });
}

export const startCommand: CliCommand = {
  summary: 'Open the desktop app (Electron; the browser shell where Electron is not available).',
  usage: 'filerlab start [--lab NAME|FILE] [--seed N] [--port N]',
  async run(args, io) {
    const parsed = parseServeArgs(args);
    if (!parsed.ok) {
      io.stderr(`filerlab start: ${parsed.error}\nusage: ${this.usage}\n`);
      return 2;
    }
    const binary = electronBinary() ?? fetchElectronOnce();
    if (binary && hasDisplay()) {
      const buildError = ensureRendererBuilt((text) => io.stderr(`filerlab: ${text}\n`));
      if (buildError) io.stderr(`filerlab: ${buildError}\n`);
      return runElectron(binary, parsed.options.lab, parsed.options.seed, io);
    }
    const why = binary ? 'no display to show it on' : 'binary not downloaded';
    io.stderr(`filerlab: Electron is not available here (${why}); opening the browser shell instead.\n`);
    return runBrowserShell({ ...parsed.options, stopWithWindow: true }, io);
  },
};
