// Where the window's Save state puts labs and Restore finds them: a folder of `.state` files
// (state-file.ts), listed newest first from their header lines alone. Location: $FILERLAB_SAVED_LABS
// if set, else $XDG_DATA_HOME/filerlab/saved-labs, else ~/.local/share/filerlab/saved-labs. A name
// from a UI is a bare file name here, never a path.
import { mkdirSync, openSync, readdirSync, readFileSync, readSync, closeSync, renameSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SavedState } from '../protocol/channels.ts';
import { decodeLabState, encodeLabState, readLabStateHeader } from './state-file.ts';
import type { SavedLab } from './state-file.ts';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}\.state$/;
/** Enough of a file to read its header line. */
const HEADER_BYTES = 512;

export function defaultSavedLabsDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FILERLAB_SAVED_LABS) return env.FILERLAB_SAVED_LABS;
  const base = env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share');
  return path.join(base, 'filerlab', 'saved-labs');
}

export class SavedLabShelf {
  constructor(readonly dir: string) {}

  /** Writes the lab as `<lab>-<virtual time>.state` (a number added if that name is taken). */
  save(saved: SavedLab): SavedState {
    mkdirSync(this.dir, { recursive: true });
    const stem = `${safeStem(saved.snapshot.spec.name)}-${clockStem(saved.snapshot.nowUs)}`;
    let name = `${stem}.state`;
    for (let copy = 2; existsFile(path.join(this.dir, name)); copy++) name = `${stem}-${copy}.state`;
    const bytes = encodeLabState(saved);
    // Written aside and renamed, so that a listing never meets half a file.
    const file = path.join(this.dir, name);
    writeFileSync(`${file}.${process.pid}.tmp`, bytes);
    renameSync(`${file}.${process.pid}.tmp`, file);
    return { name, lab: saved.snapshot.spec.name, atUs: saved.snapshot.nowUs, bytes: bytes.length };
  }

  /** Every saved lab whose header reads, newest file first; others are left out. */
  list(): SavedState[] {
    let names: string[];
    try {
      names = readdirSync(this.dir).filter((name) => NAME.test(name));
    } catch {
      return [];
    }
    const found: { state: SavedState; mtimeMs: number }[] = [];
    for (const name of names) {
      const file = path.join(this.dir, name);
      const read = readLabStateHeader(readStart(file));
      if (!read.ok) continue;
      const stat = statSync(file);
      found.push({ state: { name, lab: read.header.lab, atUs: read.header.atUs, bytes: stat.size }, mtimeMs: stat.mtimeMs });
    }
    return found.sort((left, right) => right.mtimeMs - left.mtimeMs || (left.state.name < right.state.name ? -1 : 1)).map((entry) => entry.state);
  }

  /** The saved lab named `name`, or why it cannot be restored. */
  read(name: string): { ok: true; saved: SavedLab } | { ok: false; error: string } {
    if (!NAME.test(name)) return { ok: false, error: `'${name}' is not the name of a saved lab` };
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(path.join(this.dir, name));
    } catch {
      return { ok: false, error: `no saved lab named ${name}` };
    }
    const decoded = decodeLabState(bytes);
    return decoded.ok ? decoded : { ok: false, error: `${name}: ${decoded.error}` };
  }
}

function readStart(file: string): Uint8Array {
  const buffer = new Uint8Array(HEADER_BYTES);
  const fd = openSync(file, 'r');
  try {
    return buffer.subarray(0, readSync(fd, buffer, 0, HEADER_BYTES, 0));
  } finally {
    closeSync(fd);
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
