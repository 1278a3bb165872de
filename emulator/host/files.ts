// The host's doors to the user's files (issue 21). Reading: regular files only (a FIFO would block the
// event loop, /dev/zero never ends) and never more than a cap per kind of file, so that no input can
// grow the process without bound. Writing: aside, flushed, renamed — a kill or a full disk leaves the
// old file whole or the new one whole, never half of one, and a failed write leaves no `.tmp` behind.
// Output paths are checked before a run starts, so that an hour of virtual time is not lost to a typo.
import { closeSync, constants, fstatSync, fsyncSync, mkdirSync, openSync, readSync, renameSync, statSync, unlinkSync, writeSync, accessSync } from 'node:fs';
import path from 'node:path';

/** The caps, one per kind of input file: far above any real file of that kind, far below harm. */
export const FILE_CAPS = {
  /** A `*.lab.yaml` (the built-in labs are ~4 KB; the Transport takes 1 MiB of lab text too). */
  lab: 1_048_576,
  /** A lab script (`--script`): 100,000 lines at most anyway. */
  script: 8 * 1_048_576,
  /** A recording (`replay`): its input log. */
  recording: 64 * 1_048_576,
  /** A `*.scenario.yaml` (same bound as a lab file's text). */
  scenario: 1_048_576,
  /** A gradebook CSV that an attempt's row is appended to. */
  gradebook: 64 * 1_048_576,
  /** A saved lab (`--resume`, Restore): ha-pair is ~3.5 MB; room for big labs with full disks. */
  state: 512 * 1_048_576,
} as const;
export type InputKind = keyof typeof FILE_CAPS;

const KIND_NAMES: Readonly<Record<InputKind, string>> = { lab: 'lab file', script: 'script', recording: 'recording', scenario: 'scenario file', gradebook: 'gradebook', state: 'saved lab' };

export type ReadAnswer = { ok: true; bytes: Uint8Array } | { ok: false; error: string };

/**
 * Reads a whole regular file of at most `capBytes`, or says why not. Opened without blocking (a FIFO
 * opens at once and is then refused as not a regular file) and read no further than the cap, whatever
 * its size claims (a file that grows while it is read is cut at the cap and refused).
 */
export function readInputFile(file: string, kind: InputKind, capBytes: number = FILE_CAPS[kind]): ReadAnswer {
  const what = KIND_NAMES[kind];
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    return { ok: false, error: `cannot read the ${what} (${reason(error)})` };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { ok: false, error: `the ${what} is not a regular file (${fileType(stat)})` };
    if (stat.size > capBytes) return { ok: false, error: `the ${what} is ${stat.size} bytes; at most ${capBytes} are read` };
    const buffer = new Uint8Array(Math.min(stat.size, capBytes) + 1);
    let length = 0;
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, length);
      if (read === 0) break;
      length += read;
    }
    if (length > capBytes) return { ok: false, error: `the ${what} grew past ${capBytes} bytes while it was read` };
    return { ok: true, bytes: buffer.subarray(0, length) };
  } catch (error) {
    return { ok: false, error: `cannot read the ${what} (${reason(error)})` };
  } finally {
    closeSync(fd);
  }
}

/** readInputFile as UTF-8 text. */
export function readInputText(file: string, kind: InputKind, capBytes?: number): { ok: true; text: string } | { ok: false; error: string } {
  const read = readInputFile(file, kind, capBytes);
  return read.ok ? { ok: true, text: new TextDecoder().decode(read.bytes) } : read;
}

/** readInputText for callers that take a throwing reader (the lab catalog's readText). */
export function readLabTextOrThrow(file: string): string {
  const read = readInputText(file, 'lab');
  if (!read.ok) throw new Error(read.error.replace(/^cannot read the lab file \((.*)\)$/, '$1').replace(/^the lab file /, 'it '));
  return read.text;
}

/**
 * Writes `bytes` to `file` atomically: to `<file>.<pid>.tmp` beside it (created new, never followed
 * through a link), fsynced, renamed over the file, the folder fsynced. On any failure the temporary
 * file is removed and the error says which step failed and why; the old file, if any, is untouched.
 */
export function writeFileAtomic(file: string, bytes: Uint8Array | string, mode = 0o644): void {
  const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  const temporary = `${file}.${process.pid}.tmp`;
  let fd: number | undefined;
  let step = 'create';
  try {
    fd = openSync(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), mode);
    step = 'write';
    for (let written = 0; written < data.length;) written += writeSync(fd, data, written, data.length - written);
    step = 'flush';
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    step = 'rename';
    renameSync(temporary, file);
  } catch (error) {
    if (fd !== undefined) try { closeSync(fd); } catch { /* already failing */ }
    try { unlinkSync(temporary); } catch { /* never created */ }
    throw new Error(`cannot write ${file}: ${step} failed (${reason(error)})`, { cause: error });
  }
  syncFolder(path.dirname(file));
}

/** Places a run must not write: the kernel's and devices' pseudo-filesystems (writing there can hang). */
const PSEUDO_ROOTS = ['/proc', '/sys', '/dev'];

/**
 * Why `file` cannot take a file written by writeFileAtomic, or undefined: its folder exists, is a
 * folder and is writable; the path itself is not a folder nor a device; it is not under /proc, /sys or
 * /dev. Checked before a run, so that the run's result is not lost at its end.
 */
export function outputFileProblem(file: string): string | undefined {
  const resolved = path.resolve(file);
  const pseudo = pseudoRoot(resolved);
  if (pseudo) return `${file} is under ${pseudo}, where files are not written`;
  const existing = statOrUndefined(resolved);
  if (existing && !existing.isFile()) return `${file} exists and is not a regular file`;
  return folderProblem(path.dirname(resolved), file);
}

/** Why `dir` cannot be made (if missing) and written into, or undefined. */
export function outputFolderProblem(dir: string): string | undefined {
  const resolved = path.resolve(dir);
  const pseudo = pseudoRoot(resolved);
  if (pseudo) return `${dir} is under ${pseudo}, where files are not written`;
  // The nearest folder that exists must be writable: the rest is created.
  let probe = resolved;
  for (;;) {
    const stat = statOrUndefined(probe);
    if (stat) {
      if (!stat.isDirectory()) return `${probe === resolved ? dir : probe} is not a folder`;
      return writable(probe) ? undefined : `${probe} is not writable`;
    }
    const parent = path.dirname(probe);
    if (parent === probe) return `no folder of ${dir} exists`;
    probe = parent;
  }
}

/** Creates `dir` (and its parents) after outputFolderProblem said it can be. */
export function ensureFolder(dir: string): void {
  mkdirSync(dir, { recursive: true });
}

function folderProblem(dir: string, file: string): string | undefined {
  const stat = statOrUndefined(dir);
  if (!stat) return `the folder of ${file} does not exist (${dir})`;
  if (!stat.isDirectory()) return `${dir} is not a folder`;
  return writable(dir) ? undefined : `the folder of ${file} is not writable (${dir})`;
}

function pseudoRoot(resolved: string): string | undefined {
  if (process.platform === 'win32') return undefined;
  return PSEUDO_ROOTS.find((root) => resolved === root || resolved.startsWith(`${root}/`));
}

function writable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function statOrUndefined(file: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

/** A rename is durable once the folder holding it is flushed; not every platform can open a folder. */
function syncFolder(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, constants.O_RDONLY);
    fsyncSync(fd);
  } catch { /* Windows cannot fsync a folder; the rename stands anyway */ } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function fileType(stat: ReturnType<typeof fstatSync>): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSocket()) return 'a socket';
  return 'not a file';
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const message = error instanceof Error ? error.message : String(error);
  return code ? `${code}: ${message.replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '')}` : message;
}

/**
 * A file written as a run goes, for what must survive a crash of the app (a recording): created anew
 * (never through a link), each append written whole and flushed to the disk before it returns, so that
 * a crash loses only what was not appended yet. Not atomic as a whole by design: its readers accept a
 * file cut short.
 */
export class AppendFile {
  private fd: number | undefined;

  constructor(readonly file: string, mode = 0o644) {
    try {
      this.fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | (constants.O_NOFOLLOW ?? 0), mode);
    } catch (error) {
      throw new Error(`cannot write ${file}: create failed (${reason(error)})`, { cause: error });
    }
    syncFolder(path.dirname(file));
  }

  append(text: string): void {
    this.appendBytes(new TextEncoder().encode(text));
  }

  appendBytes(data: Uint8Array): void {
    if (this.fd === undefined) throw new Error(`cannot write ${this.file}: it is closed`);
    try {
      for (let written = 0; written < data.length;) written += writeSync(this.fd, data, written, data.length - written);
      fsyncSync(this.fd);
    } catch (error) {
      throw new Error(`cannot write ${this.file}: append failed (${reason(error)})`, { cause: error });
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}
