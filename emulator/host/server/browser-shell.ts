// The browser shell: a lab host, its server on 127.0.0.1, and (unless told not to) an app window on
// it. Used by `filerlab serve` and by `filerlab start` where Electron is missing. Runs until SIGINT or
// SIGTERM (or, when asked, until the app window closes), then stops the server and the lab cleanly.
import type { LabHost } from '../lab-host.ts';
import { guardUnhandledRejections } from '../process-guard.ts';
import { openAppWindow } from './app-window.ts';
import { createLabHost } from './create-lab-host.ts';
import { defaultDiscoveryPath } from './discovery.ts';
import { startHostServer } from './host-server.ts';
import { ensureRendererBuilt, RENDERER_BUILD_DIR } from './renderer-build.ts';

export interface BrowserShellOptions {
  readonly lab: string;
  /** `--seed N`, or undefined for each lab file's own `seed:`. */
  readonly seed?: number;
  readonly port: number;
  readonly placement: 'single' | 'workers';
  readonly open: boolean;
  /** Stop when the app window closes (the desktop-app experience of `filerlab start`). */
  readonly stopWithWindow: boolean;
}

export interface ShellIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export async function runBrowserShell(options: BrowserShellOptions, io: ShellIo): Promise<number> {
  // Whatever a client sends, the server goes on: a stray rejection is logged, not fatal.
  const guard = guardUnhandledRejections((text) => io.stderr(`filerlab host: ${text}\n`));
  try {
    return await serveUntilStopped(options, io);
  } finally {
    guard.dispose();
  }
}

async function serveUntilStopped(options: BrowserShellOptions, io: ShellIo): Promise<number> {
  const buildError = ensureRendererBuilt((text) => io.stderr(`filerlab: ${text}\n`));
  if (buildError) {
    io.stderr(`filerlab: ${buildError}; the page will say how to build it\n`);
  }
  let host: LabHost;
  try {
    host = await createLabHost({ lab: options.lab, seed: options.seed, placement: options.placement });
  } catch (error) {
    io.stderr(`filerlab: cannot open lab '${options.lab}': ${(error as Error).message}\n`);
    return 1;
  }
  let server;
  try {
    server = await startHostServer({
      host,
      port: options.port,
      staticRoot: RENDERER_BUILD_DIR,
      discoveryFile: defaultDiscoveryPath(),
      log: (text) => io.stderr(`filerlab host: ${text}\n`),
    });
  } catch (error) {
    await host.dispose();
    io.stderr(`filerlab: cannot listen on 127.0.0.1:${options.port}: ${(error as Error).message}\n`);
    return 1;
  }
  io.stdout(`filerlab: lab ${host.view().lab} is served at ${server.pageUrl}\n`);
  const window = options.open ? openAppWindow(server.pageUrl) : undefined;
  if (options.open && !window) io.stdout(`filerlab: no Chromium window can be shown here; open ${server.pageUrl} in a browser\n`);

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (window && options.stopWithWindow) void window.closed.then(stop);
  });
  io.stderr('filerlab: stopping\n');
  if (window && window.process.exitCode === null) window.process.kill();
  await server.close();
  await host.dispose();
  return 0;
}
