// Electron main: hosts the lab, serves it to one sandboxed window over IPC, and to local tools
// (`filerlab console` in the console panes) over the host server's socket. Thin: the behaviour lives
// in the small modules beside it and in emulator/host. (Started with --filerlab-console, the app's entry
// runs the console client instead of this file: scripts/build-electron.mjs, console-mode.ts.)
import { app, BrowserWindow, ipcMain, protocol, session } from 'electron';
import path from 'node:path';
import type { Disposable, LabHost } from '../emulator/host/lab-host.ts';
import { PtyConnection } from '../emulator/host/pty-connection.ts';
import { createLabHost, DEFAULT_LAB } from '../emulator/host/server/create-lab-host.ts';
import { defaultDiscoveryPath } from '../emulator/host/server/discovery.ts';
import { guardUnhandledRejections } from '../emulator/host/process-guard.ts';
import { startHostServer } from '../emulator/host/server/host-server.ts';
import type { HostServer } from '../emulator/host/server/host-server.ts';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, APP_URL, appProtocolResponse } from './app-protocol.ts';
import { consolePtyCommand } from './console-mode.ts';
import { installContentSecurityPolicy } from './csp.ts';
import { guardWebContents, refusePermissions } from './guards.ts';
import { EVENT_CHANNEL, forwardHostEvents, registerIpcHandlers } from './ipc-handlers.ts';
import { isTrustedSender } from './sender.ts';
import { mainWindowOptions } from './window-options.ts';

const log = (text: string) => process.stderr.write(`filerlab: ${text}\n`);
// dist/electron/main.js runs this file's build (dist/node), or this source through tsx when it is newer;
// either way import.meta points here (scripts/build-node.mjs). The preload and the renderer are built into dist/.
const dist = path.join(import.meta.dirname, '..', 'dist');

/** The UI page: the built renderer over app://, or a Vite dev server on the loopback during development. */
function appUrl(): string {
  const dev = process.env.FILERLAB_DEV_URL;
  if (dev && /^http:\/\/(127\.0\.0\.1|localhost):\d+\/?$/.test(dev)) return dev;
  return APP_URL;
}

// A stray rejection (a request, a lab, a socket) is logged; it does not end the app (issue 21).
const resources: Disposable[] = [guardUnhandledRejections(log)];
let host: LabHost | undefined;
let server: HostServer | undefined;

async function start(): Promise<void> {
  const seed = process.env.FILERLAB_SEED;
  host = await createLabHost({ lab: process.env.FILERLAB_LAB || DEFAULT_LAB, seed: seed ? Number(seed) : undefined, placement: 'workers' });
  server = await startHostServer({
    host, port: 0, staticRoot: path.join(dist, 'renderer'), discoveryFile: defaultDiscoveryPath(), log,
    consoleCommand: consolePtyCommand(process.execPath, app.getAppPath(), app.isPackaged),
  });
  protocol.handle(APP_SCHEME, (request) => appProtocolResponse(request, path.join(dist, 'renderer')));
  installContentSecurityPolicy(session.defaultSession);
  refusePermissions(session.defaultSession, log);

  const window = new BrowserWindow(mainWindowOptions(path.join(dist, 'electron', 'preload.cjs')));
  const url = appUrl();
  // The console panes' PTYs run `filerlab console` attached to the host server's loopback socket
  // above (the same one a user's terminal attaches to); their output comes back to this window only.
  const ptys = server.ptys && new PtyConnection(server.ptys, (event) => {
    if (!window.isDestroyed()) window.webContents.send(EVENT_CHANNEL, event);
  });
  if (ptys) {
    resources.push(ptys);
    window.once('closed', () => ptys.dispose());
  }
  resources.push(registerIpcHandlers({
    ipcMain,
    host,
    isTrusted: (event) => !window.isDestroyed() && isTrustedSender(event.senderFrame, window.webContents.mainFrame, { appUrl: url }),
    log,
    ptys,
  }));
  resources.push(forwardHostEvents(host, window.webContents));
  window.once('ready-to-show', () => window.show());
  await window.loadURL(url);
}

async function stop(): Promise<void> {
  for (const resource of resources.splice(0)) resource.dispose();
  await server?.close();
  await host?.dispose();
}

startApp();

function startApp(): void {
  app.enableSandbox();
  // Before ready: app:// is a standard, secure scheme (its pages get an origin of their own and 'self').
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
  if (!app.requestSingleInstanceLock()) {
    app.quit();
  } else {
    app.on('web-contents-created', (_event, contents) => guardWebContents(contents, log));
    app.on('window-all-closed', () => app.quit());
    let stopping = false;
    app.on('will-quit', (event) => {
      if (stopping) return;
      stopping = true;
      event.preventDefault();
      void stop().finally(() => app.exit(0));
    });
    app.whenReady().then(start).catch((error: unknown) => {
      log(`could not start: ${error instanceof Error ? error.message : String(error)}`);
      app.exit(1);
    });
  }
}
