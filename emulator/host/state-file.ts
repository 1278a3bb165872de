// A saved lab (`filerlab run --save-state FILE`, `--resume FILE`): a lab snapshot in a file, to pick
// an exercise up where it was left. One text line says what the file is, its version, the length and
// SHA-256 of the body; the body is the snapshot in the engine's wire codec (disk blocks stay bytes,
// ~3.5 MB for ha-pair). A file that is cut short, edited or from another build is refused with why.
import { createHash } from 'node:crypto';
import { checkSnapshot } from '../engine/snapshot.ts';
import type { LabSnapshot } from '../engine/snapshot.ts';
import { WireError, WireReader, WireWriter } from './engine-wire.ts';

const MAGIC = 'filerlab-lab-state';
const VERSION = 1;
/** The header line is short; past this many bytes without a newline it is not one. */
const HEADER_MAX = 200;

export function encodeLabState(snapshot: LabSnapshot): Uint8Array {
  const body = new WireWriter().encode(snapshot);
  const header = `${MAGIC} ${VERSION} bytes=${body.length} sha256=${sha256(body)}\n`;
  const file = new Uint8Array(header.length + body.length);
  file.set(new TextEncoder().encode(header), 0);
  file.set(body, header.length);
  return file;
}

export function decodeLabState(file: Uint8Array): { ok: true; snapshot: LabSnapshot } | { ok: false; error: string } {
  const newline = file.subarray(0, HEADER_MAX).indexOf(0x0a);
  const header = newline < 0 ? '' : new TextDecoder().decode(file.subarray(0, newline));
  const match = /^(\S+) (\d+) bytes=(\d+) sha256=([0-9a-f]{64})$/.exec(header);
  if (!match || match[1] !== MAGIC) return { ok: false, error: 'not a saved FilerLab lab (no filerlab-lab-state header)' };
  if (Number(match[2]) !== VERSION) return { ok: false, error: `saved lab format ${match[2]}; this build reads ${VERSION}` };
  const body = file.subarray(newline + 1);
  if (body.length !== Number(match[3])) return { ok: false, error: `the file holds ${body.length} of its ${match[3]} bytes (cut short or added to)` };
  if (sha256(body) !== match[4]) return { ok: false, error: 'its contents do not match their checksum (the file was changed or damaged)' };
  let snapshot: unknown;
  try {
    snapshot = new WireReader().decode(body);
  } catch (error) {
    if (!(error instanceof WireError)) throw error;
    return { ok: false, error: `its contents cannot be read: ${error.message}` };
  }
  const problem = checkSnapshot(snapshot);
  return problem ? { ok: false, error: problem } : { ok: true, snapshot: snapshot as LabSnapshot };
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
