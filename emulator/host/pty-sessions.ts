// Console PTYs for the app's panes (DESIGN.md §7): each pane can be a real pseudo-terminal running
// `filerlab console <filer> --url <ws>`, the same command a user runs in their own terminal. Main
// process (or `filerlab serve`) only, never a worker. Sessions are bounded in number and killed on
// close or dispose.
import path from 'node:path';
import { spawn } from 'node-pty';
import type { IPty } from 'node-pty';
import type { Disposable } from './lab-host.ts';

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

  /** `wsUrl`: the lab host's WebSocket the console attaches to (`ws://127.0.0.1:PORT/lab`). */
  constructor(private readonly wsUrl: string, private readonly command: readonly string[] = [process.execPath, path.join(REPO_ROOT, 'bin', 'filerlab.mjs')]) {}

  onDidEvent(listener: (event: PtyEvent) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Opens a console PTY for a filer; returns its id, or an error for bad input or too many sessions. */
  open(filer: string, cols: number, rows: number): { ok: true; id: number } | { ok: false; error: string } {
    if (!FILER_NAME.test(filer)) return { ok: false, error: `bad filer name '${filer.slice(0, 64)}'` };
    if (this.sessions.size >= PTY_SESSIONS_MAX) return { ok: false, error: `at most ${PTY_SESSIONS_MAX} console sessions` };
    const [file, ...prefix] = this.command;
    const pty = spawn(file, [...prefix, 'console', filer, '--url', this.wsUrl], {
      name: 'xterm-256color',
      cols: clampSize(cols, 80),
      rows: clampSize(rows, 24),
      cwd: REPO_ROOT,
      env: childEnvironment(),
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

/** Inside Electron, process.execPath is the Electron binary: make it run `filerlab` as plain Node. */
function childEnvironment(): Record<string, string> {
  const env = { ...process.env, TERM: 'xterm-256color' } as Record<string, string>;
  if (process.versions.electron) env.ELECTRON_RUN_AS_NODE = '1';
  return env;
}

function clampSize(value: number, fallback: number): number {
  return Number.isInteger(value) && value >= 2 && value <= 1000 ? value : fallback;
}
