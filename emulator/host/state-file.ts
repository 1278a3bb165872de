// A saved lab (`filerlab run --save-state FILE`, `--resume FILE`, the window's Save state): a lab
// snapshot in a file, to pick an exercise up where it was left. One text line says what the file is,
// its version, the lab and its virtual time (enough to list saved labs without reading them), and the
// length and SHA-256 of the body; the body is the snapshot and the host's view of the lab in the
// engine's wire codec (disk blocks stay bytes, ~3.5 MB for ha-pair). A file that is cut short,
// edited or from another build is refused with why.
import { createHash } from 'node:crypto';
import { checkSnapshot } from '../engine/snapshot.ts';
import type { LabSnapshot } from '../engine/snapshot.ts';
import type { SavedLabView } from './engine-view.ts';
import { WireError, WireReader, WireWriter } from './engine-wire.ts';

const MAGIC = 'filerlab-lab-state';
const VERSION = 1;
/** The header line is short; past this many bytes without a newline it is not one. */
const HEADER_MAX = 512;
const HEADER = /^(\S+) (\d+) lab=(\S+) atUs=(\d+) bytes=(\d+) sha256=([0-9a-f]{64})$/;

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
  const header = `${MAGIC} ${VERSION} lab=${encodeURIComponent(saved.snapshot.spec.name)} atUs=${saved.snapshot.nowUs} bytes=${body.length} sha256=${sha256(body)}\n`;
  const file = new Uint8Array(header.length + body.length);
  file.set(new TextEncoder().encode(header), 0);
  file.set(body, header.length);
  return file;
}

/** Reads the header line only; why the file is not a saved lab otherwise. */
export function readLabStateHeader(file: Uint8Array): { ok: true; header: SavedLabHeader; bodyAt: number; sha256: string } | { ok: false; error: string } {
  const newline = file.subarray(0, HEADER_MAX).indexOf(0x0a);
  const line = newline < 0 ? '' : new TextDecoder().decode(file.subarray(0, newline));
  if (!line.startsWith(`${MAGIC} `)) return { ok: false, error: 'not a saved FilerLab lab (no filerlab-lab-state header)' };
  const match = HEADER.exec(line);
  if (!match) {
    const version = line.split(' ')[1];
    return { ok: false, error: version !== String(VERSION) ? `saved lab format ${version}; this build reads ${VERSION}` : 'its header line is damaged' };
  }
  if (Number(match[2]) !== VERSION) return { ok: false, error: `saved lab format ${match[2]}; this build reads ${VERSION}` };
  return { ok: true, header: { lab: decodeURIComponent(match[3]!), atUs: Number(match[4]), bytes: Number(match[5]) }, bodyAt: newline + 1, sha256: match[6]! };
}

export function decodeLabState(file: Uint8Array): { ok: true; saved: SavedLab } | { ok: false; error: string } {
  const read = readLabStateHeader(file);
  if (!read.ok) return read;
  const body = file.subarray(read.bodyAt);
  if (body.length !== read.header.bytes) return { ok: false, error: `the file holds ${body.length} of its ${read.header.bytes} bytes (cut short or added to)` };
  if (sha256(body) !== read.sha256) return { ok: false, error: 'its contents do not match their checksum (the file was changed or damaged)' };
  let saved: Partial<SavedLab> | undefined;
  try {
    saved = new WireReader().decode(body) as Partial<SavedLab> | undefined;
  } catch (error) {
    if (!(error instanceof WireError)) throw error;
    return { ok: false, error: `its contents cannot be read: ${error.message}` };
  }
  const problem = checkSnapshot(saved?.snapshot) ?? checkExtras(saved!);
  return problem ? { ok: false, error: problem } : { ok: true, saved: saved as SavedLab };
}

/** The view and source beside the snapshot: their shape, so that a restore cannot stop half-way. */
function checkExtras(saved: Partial<SavedLab>): string | undefined {
  const view = saved.view as Partial<Record<keyof SavedLabView, unknown>> | undefined;
  if (view !== undefined && !(Array.isArray(view.state) && Array.isArray(view.ems) && Array.isArray(view.transcripts))) return 'its view of the lab is malformed';
  const source = saved.source as { name?: unknown; yaml?: unknown } | undefined;
  if (source !== undefined && (typeof source.name !== 'string' || typeof source.yaml !== 'string')) return 'its lab file text is malformed';
  return undefined;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
