// Where the window's Save state puts labs and Restore finds them: a folder of `.state` files
// (state-file.ts), listed newest first from their header lines alone. Location: $FILERLAB_SAVED_LABS
// if set, else $XDG_DATA_HOME/filerlab/saved-labs, else ~/.local/share/filerlab/saved-labs. A name
// from a UI is a bare file name here, never a path. A quota bounds the folder: so many saved labs and so
// many bytes at most; past it Save says which limit and what to do, and writes nothing.
import { constants, mkdirSync, openSync, readdirSync, readSync, closeSync, fstatSync, statSync } from 'node:fs';
import os from 'node:os';
import type { Stats } from 'node:fs';
import path from 'node:path';
import type { SavedState } from '../protocol/channels.ts';
import { readInputFile, writeFileAtomic } from './files.ts';
import { decodeLabState, encodeLabState, readLabStateHeader } from './state-file.ts';
import type { SavedLab } from './state-file.ts';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}\.state$/;
/** Enough of a file to read its header line. */
const HEADER_BYTES = 512;
/** The quota of the saved-labs folder: this many saved labs, this many bytes in all. */
export const SAVED_LABS_MAX = 200;
export const SAVED_LABS_BYTES_MAX = 4 * 1024 * 1_048_576;
/** Names the listing looks at, at most (a folder stuffed with files does not stall the Restore list). */
const LISTED_NAMES_MAX = 2_000;

export function defaultSavedLabsDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FILERLAB_SAVED_LABS) return env.FILERLAB_SAVED_LABS;
  const base = env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share');
  return path.join(base, 'filerlab', 'saved-labs');
}

export class SavedLabShelf {
  constructor(readonly dir: string, private readonly quota = { count: SAVED_LABS_MAX, bytes: SAVED_LABS_BYTES_MAX }) {}

  /** Writes the lab as `<lab>-<virtual time>.state` (a number added if that name is taken); refused past the quota. */
  save(saved: SavedLab): SavedState {
    mkdirSync(this.dir, { recursive: true });
    const bytes = encodeLabState(saved);
    const over = this.overQuota(bytes.length);
    if (over) throw new Error(`${over}: delete saved labs in ${this.dir} to save more`);
    const stem = `${safeStem(saved.snapshot.spec.name)}-${clockStem(saved.snapshot.nowUs)}`;
    let name = `${stem}.state`;
    for (let copy = 2; existsFile(path.join(this.dir, name)); copy++) name = `${stem}-${copy}.state`;
    // Written aside, flushed and renamed: a listing never meets half a file, a crash leaves none.
    writeFileAtomic(path.join(this.dir, name), bytes);
    return { name, lab: saved.snapshot.spec.name, atUs: saved.snapshot.nowUs, bytes: bytes.length };
  }

  /** Which limit a new file of `size` bytes would pass, or undefined. */
  private overQuota(size: number): string | undefined {
    const files = this.names().map((name) => statOrUndefined(path.join(this.dir, name))).filter((stat) => stat?.isFile());
    if (files.length >= this.quota.count) return `the saved labs folder holds ${files.length} saved labs, the most it keeps`;
    const total = files.reduce((sum, stat) => sum + Number(stat!.size), 0);
    if (total + size > this.quota.bytes) return `the saved labs take ${total} bytes; this one (${size}) would pass the ${this.quota.bytes}-byte quota`;
    return undefined;
  }

  private names(): string[] {
    try {
      return readdirSync(this.dir).filter((name) => NAME.test(name)).slice(0, LISTED_NAMES_MAX);
    } catch {
      return [];
    }
  }

  /** Every saved lab whose header reads, newest file first; others are left out. */
  list(): SavedState[] {
    const found: { state: SavedState; mtimeMs: number }[] = [];
    for (const name of this.names()) {
      // One unreadable file (a FIFO, a folder, a damaged header) is left out; the others are listed.
      const start = readStart(path.join(this.dir, name));
      const read = start && readLabStateHeader(start.bytes);
      if (!read?.ok) continue;
      found.push({ state: { name, lab: read.header.lab, atUs: read.header.atUs, bytes: start!.size }, mtimeMs: start!.mtimeMs });
    }
    return found.sort((left, right) => right.mtimeMs - left.mtimeMs || (left.state.name < right.state.name ? -1 : 1)).map((entry) => entry.state);
  }

  /** The saved lab named `name`, or why it cannot be restored. */
  read(name: string): { ok: true; saved: SavedLab } | { ok: false; error: string } {
    if (!NAME.test(name)) return { ok: false, error: `'${name}' is not the name of a saved lab` };
    if (!statOrUndefined(path.join(this.dir, name))) return { ok: false, error: `no saved lab named ${name}` };
    const read = readInputFile(path.join(this.dir, name), 'state');
    if (!read.ok) return { ok: false, error: `${name}: ${read.error}` };
    const decoded = decodeLabState(read.bytes);
    return decoded.ok ? decoded : { ok: false, error: `${name}: ${decoded.error}` };
  }
}

/** The first bytes of a regular file, its size and time; undefined for anything else or an error. */
function readStart(file: string): { bytes: Uint8Array; size: number; mtimeMs: number } | undefined {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch {
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return undefined;
    const buffer = new Uint8Array(HEADER_BYTES);
    return { bytes: buffer.subarray(0, readSync(fd, buffer, 0, HEADER_BYTES, 0)), size: stat.size, mtimeMs: stat.mtimeMs };
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

function statOrUndefined(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

function existsFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function safeStem(lab: string): string {
  return lab.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'lab';
}

/** 754.3 virtual s → `12m34s` (hours too when there are any). */
function clockStem(atUs: number): string {
  const seconds = Math.floor(atUs / 1_000_000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h > 0 ? `${h}h` : ''}${h > 0 || m > 0 ? `${String(m).padStart(h > 0 ? 2 : 1, '0')}m` : ''}${String(s).padStart(h > 0 || m > 0 ? 2 : 1, '0')}s`;
}
