// The discovery file: how `filerlab console` (and anything else local) finds a running lab host.
// Written when a host server starts listening, removed when it stops (only by the process that wrote
// it). Location: $FILERLAB_HOST_FILE if set, else $XDG_RUNTIME_DIR/filerlab/host.json, else
// <os tmpdir>/filerlab/host.json. Content: HostDiscovery as JSON.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../files.ts';

/** Where a console started by the host (a PTY) finds the socket's token: not in its arguments. */
export const HOST_TOKEN_ENV = 'FILERLAB_HOST_TOKEN';

export const hostDiscoverySchema = z.object({
  /** The browser shell's page, e.g. `http://127.0.0.1:41234/`. */
  url: z.string(),
  /** The WebSocket of the lab protocol with its token, `ws://127.0.0.1:41234/lab?token=…` (frames: server/frames.ts). */
  ws: z.string(),
  pid: z.number().int(),
  lab: z.string(),
  startedAt: z.string(),
});
export type HostDiscovery = z.infer<typeof hostDiscoverySchema>;

export function defaultDiscoveryPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FILERLAB_HOST_FILE) return env.FILERLAB_HOST_FILE;
  const base = env.XDG_RUNTIME_DIR || os.tmpdir();
  return path.join(base, 'filerlab', 'host.json');
}

/** Writes atomically (rename) so a reader never sees half a file; private to the user (0600). */
export function writeDiscovery(file: string, discovery: HostDiscovery): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileAtomic(file, `${JSON.stringify(discovery, null, 2)}\n`, 0o600);
}

/** The running host, or undefined when there is no file, it does not parse, or its process is gone. */
export function readDiscovery(file: string = defaultDiscoveryPath()): HostDiscovery | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = hostDiscoverySchema.safeParse(json);
  if (!parsed.success || !processAlive(parsed.data.pid)) return undefined;
  return parsed.data;
}

/** Removes the file if it still names this process (a newer host may have replaced it). */
export function removeDiscovery(file: string, pid: number = process.pid): void {
  const current = readRaw(file);
  if (current?.pid === pid) rmSync(file, { force: true });
}

function readRaw(file: string): { pid?: unknown } | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as { pid?: unknown };
  } catch {
    return undefined;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else; still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
