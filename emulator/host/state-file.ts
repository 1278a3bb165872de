// A saved lab (`filerlab run --save-state FILE`, `--resume FILE`, the window's Save state): a lab
// snapshot in a file, to pick an exercise up where it was left. One text line says what the file is,
// its version, the lab and its virtual time (enough to list saved labs without reading them), and the
// length of the body and a SHA-256 of the header line's fields and the body together (format 2: an
// edited header fails the checksum as an edited body does); the body is the snapshot and the host's view of the lab in the
// engine's wire codec (disk blocks stay bytes, ~3.5 MB for ha-pair). A file that is cut short,
// edited or from another build is refused with why.
import { createHash } from 'node:crypto';
import { checkSnapshot } from '../engine/snapshot.ts';
import type { LabSnapshot } from '../engine/snapshot.ts';
import type { SavedLabView } from './engine-view.ts';
import { WireReader, WireWriter } from './engine-wire.ts';

const MAGIC = 'filerlab-lab-state';
/** 2: the checksum covers the header line's fields too. */
const VERSION = 2;
/** A lab's name in the header: what a lab file allows, with room to spare. */
const LAB_NAME_MAX = 256;
/** The header line is short; past this many bytes without a newline it is not one. */
const HEADER_MAX = 512;
const HEADER = /^((\S+) (\d+) lab=(\S+) atUs=(\d{1,16}) bytes=(\d{1,16})) sha256=([0-9a-f]{64})$/;

export interface SavedLab {
  readonly snapshot: LabSnapshot;
  /** The UI's view of the lab when it was saved (absent from a lab saved without a UI's view). */
  readonly view?: SavedLabView;
  /** The lab file's text, for the toolbar's Save after a restore (absent when it was not known). */
  readonly source?: { readonly name: string; readonly yaml: string };
}

/** What the header line tells without reading the body. */
export interface SavedLabHeader {
  readonly lab: string;
  readonly atUs: number;
  readonly bytes: number;
}

export function encodeLabState(saved: SavedLab): Uint8Array {
  const body = new WireWriter().encode({
    snapshot: saved.snapshot, ...(saved.view ? { view: saved.view } : {}), ...(saved.source ? { source: saved.source } : {}),
  });
  const fields = `${MAGIC} ${VERSION} lab=${encodeURIComponent(saved.snapshot.spec.name)} atUs=${saved.snapshot.nowUs} bytes=${body.length}`;
  const header = `${fields} sha256=${checksum(fields, body)}\n`;
  const file = new Uint8Array(header.length + body.length);
  file.set(new TextEncoder().encode(header), 0);
  file.set(body, header.length);
  return file;
}

/** Reads the header line only; why the file is not a saved lab otherwise. Never throws. */
export function readLabStateHeader(file: Uint8Array): { ok: true; header: SavedLabHeader; bodyAt: number; fields: string; sha256: string } | { ok: false; error: string } {
  const newline = file.subarray(0, HEADER_MAX).indexOf(0x0a);
  const line = newline < 0 ? '' : new TextDecoder().decode(file.subarray(0, newline));
  if (!line.startsWith(`${MAGIC} `)) return { ok: false, error: 'not a saved FilerLab lab (no filerlab-lab-state header)' };
  const match = HEADER.exec(line);
  const version = match ? match[3] : line.split(' ')[1];
  if (version !== String(VERSION)) return { ok: false, error: `saved lab format ${String(version).slice(0, 16)}; this build reads ${VERSION}` };
  if (!match) return { ok: false, error: 'its header line is damaged' };
  const lab = decodeName(match[4]!);
  if (lab === undefined) return { ok: false, error: 'its header line is damaged (the lab name does not decode)' };
  const atUs = Number(match[5]);
  const bytes = Number(match[6]);
  if (!Number.isSafeInteger(atUs) || !Number.isSafeInteger(bytes)) return { ok: false, error: 'its header line is damaged (a number out of range)' };
  return { ok: true, header: { lab, atUs, bytes }, bodyAt: newline + 1, fields: match[1]!, sha256: match[7]! };
}

export function decodeLabState(file: Uint8Array): { ok: true; saved: SavedLab } | { ok: false; error: string } {
  const read = readLabStateHeader(file);
  if (!read.ok) return read;
  const body = file.subarray(read.bodyAt);
  if (body.length !== read.header.bytes) return { ok: false, error: `the file holds ${body.length} of its ${read.header.bytes} bytes (cut short or added to)` };
  if (checksum(read.fields, body) !== read.sha256) return { ok: false, error: 'its contents do not match their checksum (the file was changed or damaged)' };
  let saved: Partial<SavedLab> | undefined;
  try {
    saved = new WireReader().decode(body) as Partial<SavedLab> | undefined;
  } catch (error) {
    // WireErrors, and whatever else a hand-made body provokes (a typed array of a ragged length).
    return { ok: false, error: `its contents cannot be read: ${(error as Error).message}` };
  }
  if (typeof saved !== 'object' || saved === null) return { ok: false, error: 'its contents are not a saved lab' };
  const problem = checkSnapshot(saved.snapshot) ?? checkExtras(saved) ?? checkAgreement(read.header, saved.snapshot!);
  return problem ? { ok: false, error: problem } : { ok: true, saved: saved as SavedLab };
}

/** The header says what the body holds: a header that tells another lab or time is refused. */
function checkAgreement(header: SavedLabHeader, snapshot: LabSnapshot): string | undefined {
  if (header.lab !== snapshot.spec.name) return `its header names lab ${header.lab}, its contents lab ${snapshot.spec.name}`;
  if (header.atUs !== snapshot.nowUs) return `its header says ${header.atUs} µs, its contents ${snapshot.nowUs} µs`;
  return undefined;
}

function decodeName(text: string): string | undefined {
  try {
    const name = decodeURIComponent(text);
    return name.length > 0 && name.length <= LAB_NAME_MAX ? name : undefined;
  } catch {
    return undefined;
  }
}

/** The view and source beside the snapshot: their shape, so that a restore cannot stop half-way. */
function checkExtras(saved: Partial<SavedLab>): string | undefined {
  const view = saved.view as Partial<Record<keyof SavedLabView, unknown>> | undefined;
  if (view !== undefined && !(Array.isArray(view.state) && Array.isArray(view.ems) && Array.isArray(view.transcripts))) return 'its view of the lab is malformed';
  const source = saved.source as { name?: unknown; yaml?: unknown } | undefined;
  if (source !== undefined && (typeof source.name !== 'string' || typeof source.yaml !== 'string')) return 'its lab file text is malformed';
  return undefined;
}

/** SHA-256 of the header line's fields (all but the checksum) and the body. */
function checksum(fields: string, body: Uint8Array): string {
  return createHash('sha256').update(`${fields}\n`).update(body).digest('hex');
}
