// Console PTYs for the app's panes (DESIGN.md §7): each pane can be a real pseudo-terminal running
// `filerlab console <filer> --url <ws>`, the same command a user runs in their own terminal. Main
// process (or `filerlab serve`) only, never a worker. Sessions are bounded in number and killed on
// close or dispose.
import path from 'node:path';
import { spawn } from 'node-pty';
import type { IPty } from 'node-pty';
import type { Disposable } from './lab-host.ts';
import { HOST_TOKEN_ENV } from './server/discovery.ts';

export const PTY_SESSIONS_MAX = 16;
const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
const FILER_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

export interface PtyEvent {
  readonly id: number;
  readonly type: 'data' | 'exit';
  readonly data?: string;
  readonly exitCode?: number;
}

export class PtySessions implements Disposable {
  private readonly sessions = new Map<number, IPty>();
  private readonly listeners = new Set<(event: PtyEvent) => void>();
  private nextId = 1;

  private readonly url: string;
  private readonly token: string | undefined;

  /**
   * `wsUrl`: the lab host's WebSocket the console attaches to (`ws://127.0.0.1:PORT/lab?token=…`); the
   * token goes to the child in its environment, not its arguments (which every local user can list).
   * `command`: what runs `console <filer> --url …` (this Node and bin/filerlab.mjs by default).
   */
  constructor(wsUrl: string, private readonly command: readonly string[] = [process.execPath, path.join(REPO_ROOT, 'bin', 'filerlab.mjs')]) {
    const url = new URL(wsUrl);
    this.token = url.searchParams.get('token') ?? undefined;
    url.search = '';
    this.url = url.href;
  }

  onDidEvent(listener: (event: PtyEvent) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Opens a console PTY for a filer; returns its id, or an error for bad input or too many sessions. */
  open(filer: string, cols: number, rows: number): { ok: true; id: number } | { ok: false; error: string } {
    if (!FILER_NAME.test(filer)) return { ok: false, error: `bad filer name '${filer.slice(0, 64)}'` };
    if (this.sessions.size >= PTY_SESSIONS_MAX) return { ok: false, error: `at most ${PTY_SESSIONS_MAX} console sessions` };
    const [file, ...prefix] = this.command;
    const pty = spawn(file, [...prefix, 'console', filer, '--url', this.url], {
      name: 'xterm-256color',
      cols: clampSize(cols, 80),
      rows: clampSize(rows, 24),
      cwd: REPO_ROOT,
      env: childEnvironment(this.token),
    });
    const id = this.nextId++;
    this.sessions.set(id, pty);
    pty.onData((data) => this.emit({ id, type: 'data', data }));
    pty.onExit(({ exitCode }) => {
      this.sessions.delete(id);
      this.emit({ id, type: 'exit', exitCode });
    });
    return { ok: true, id };
  }

  write(id: number, data: string): boolean {
    const pty = this.sessions.get(id);
    if (!pty) return false;
    pty.write(data);
    return true;
  }

  resize(id: number, cols: number, rows: number): boolean {
    const pty = this.sessions.get(id);
    if (!pty) return false;
    pty.resize(clampSize(cols, 80), clampSize(rows, 24));
    return true;
  }

  close(id: number): boolean {
    const pty = this.sessions.get(id);
    if (!pty) return false;
    this.sessions.delete(id);
    pty.kill();
    return true;
  }

  dispose(): void {
    for (const id of [...this.sessions.keys()]) this.close(id);
    this.listeners.clear();
  }

  private emit(event: PtyEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

/**
 * The console's environment: the socket's token, and never ELECTRON_RUN_AS_NODE (the packaged app has
 * that fuse off; Electron runs the console through its own `--filerlab-console` flag instead).
 */
function childEnvironment(token: string | undefined): Record<string, string> {
  const env = { ...process.env, TERM: 'xterm-256color' } as Record<string, string>;
  delete env.ELECTRON_RUN_AS_NODE;
  if (token !== undefined) env[HOST_TOKEN_ENV] = token;
  return env;
}

function clampSize(value: number, fallback: number): number {
  return Number.isInteger(value) && value >= 2 && value <= 1000 ? value : fallback;
}
