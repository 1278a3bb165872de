// Keyframes written beside a recording as it is made (issue 22): `<name>.filerlab.keys` next to
// `<name>.filerlab.jsonl`, so that a player can seek in it at once instead of replaying it all first.
// Append-only like the recording: a header line, then one record per keyframe —
//   u32 meta length, the meta as JSON (time, inputs held, digest of those inputs), u32 body length,
//   the body: the lab's snapshot, the window's view and the charts' last minute, v8-serialized, gzipped.
//   Since version 2 the body is u32 envelope length, the envelope (view and charts, v8-serialized), then
//   the snapshot's bytes as the lab serialized them where it runs (kept-snapshot.ts): the writer's thread
//   neither reads them nor serializes them again (~100 ms for cluster-4's 76 MB). Version 1's body, the
//   three in one v8-serialized object, still loads.
// Each append is flushed before the next; a crash leaves a torn last record, which a reader drops.
// A reader trusts a keyframe only when the sidecar names the recording's header and the keyframe's
// digest matches the recording's own inputs up to it; gzip's CRC finds a damaged body when it is loaded.
import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import v8 from 'node:v8';
import { gunzipSync, gzip } from 'node:zlib';
import type { Micros } from '../engine/actor.ts';
import type { StampedInput } from '../engine/lab-spec.ts';
import type { LabSnapshot } from '../engine/snapshot.ts';
import type { SavedLabView } from './engine-view.ts';
import { AppendFile, FILE_CAPS } from './files.ts';
import type { StatsEntry } from './stats-history.ts';

export const SIDECAR_FORMAT = 'filerlab-keyframes';
export const SIDECAR_VERSION = 2;
/** Versions a reader loads: 1's body holds the snapshot as an object, 2's as its serialized bytes. */
const SIDECAR_VERSIONS_READ: readonly unknown[] = [1, 2];
const HEADER_BYTES_MAX = 4_096;
const META_BYTES_MAX = 4_096;
/** Level 1: a keyframe is written while the lab runs; level 3 saves under 1 % more and takes longer. */
const GZIP_LEVEL = 1;

/** What a keyframe's body holds: enough to put the played lab and the window where they were. */
export interface KeyframeBody {
  readonly snapshot: LabSnapshot;
  readonly view: SavedLabView;
  readonly stats: readonly StatsEntry[];
}

/** A keyframe's body as it is written: the snapshot as its serialized bytes. */
export type KeptKeyframeBody = Omit<KeyframeBody, 'snapshot'> & { readonly snapshot: Uint8Array };

/** A keyframe found in a sidecar: where its body lies in the file. */
export interface SidecarKeyframe {
  readonly atUs: Micros;
  /** How many of the recording's inputs the snapshot already holds: the feed starts after them. */
  readonly inputsHeld: number;
  readonly bodyOffset: number;
  readonly bodyBytes: number;
}

interface KeyframeMeta {
  readonly atUs: Micros;
  readonly inputsHeld: number;
  readonly inputsDigest: string;
}

/** `x.filerlab.jsonl` → `x.filerlab.keys`. */
export function sidecarPathOf(recordingPath: string): string {
  return `${recordingPath.replace(/\.jsonl$/, '')}.keys`;
}

/** The recording's identity as a sidecar names it: a digest of its header line (lab, seed, spec, start). */
export function recordingIdentity(headerLine: string): string {
  return createHash('sha256').update(headerLine.replace(/\n$/, '')).digest('hex').slice(0, 32);
}

/** A running digest of a recording's inputs in order: the same on the writer's log and the reader's file. */
export class InputsDigest {
  private readonly hash: Hash = createHash('sha256');
  private count = 0;

  /** The digest of the first `upTo` of `inputs` (at least as many as last time). */
  at(inputs: readonly StampedInput[], upTo: number): string {
    if (upTo < this.count || upTo > inputs.length) throw new Error(`inputs digest asked at ${upTo}, has ${this.count} of ${inputs.length}`);
    for (; this.count < upTo; this.count++) {
      const stamped = inputs[this.count]!;
      this.hash.update(`${stamped.atUs}|${stamped.sequence}|${JSON.stringify(stamped.input)}\n`);
    }
    return this.hash.copy().digest('hex').slice(0, 32);
  }
}

/**
 * Writes a sidecar as the recording goes. A keyframe is serialized when appended (the lab may run on
 * at once) and compressed off the main thread; records reach the file in order. A failure to write
 * is kept in `problem` and ends the sidecar; the recording goes on without it.
 */
/**
 * The most a sidecar may hold. A keyframe grows with what the clients wrote (~20 MB at 30 virtual minutes
 * of ha-pair; a 30-minute recording keeps about 490 MB), so a long one would otherwise take gigabytes: past this, no more keyframes are
 * written and a seek beyond the last one replays from it (the player indexes that stretch in the background).
 */
export const SIDECAR_BYTES_MAX = 1024 * 1024 * 1024;

export class KeyframeSidecarWriter {
  private readonly file: AppendFile;
  private readonly digest = new InputsDigest();
  private writing: Promise<void> = Promise.resolve();
  private lastAtUs = -1;
  /** Bytes of keyframes written so far, and the time of the last one kept. */
  bytes = 0;
  private lastKeptUs = 0;
  /** Why keyframes could not be written (a failure). */
  problem: string | undefined;
  /** Set once the budget is reached: not a failure (the recording and the keyframes kept are whole). */
  full: string | undefined;

  constructor(readonly path: string, recordingHeaderLine: string, private readonly bytesMax = SIDECAR_BYTES_MAX) {
    this.file = new AppendFile(path);
    this.file.append(`${JSON.stringify({ format: SIDECAR_FORMAT, version: SIDECAR_VERSION, recording: recordingIdentity(recordingHeaderLine) })}\n`);
  }

  /** Appends the keyframe of the lab at `atUs`, whose snapshot holds the first `inputsHeld` of `log`. */
  append(atUs: Micros, log: readonly StampedInput[], inputsHeld: number, body: KeptKeyframeBody): void {
    if (atUs <= this.lastAtUs) throw new Error(`keyframe at ${atUs} µs after one at ${this.lastAtUs} µs`);
    this.lastAtUs = atUs;
    const meta = new TextEncoder().encode(JSON.stringify({ atUs, inputsHeld, inputsDigest: this.digest.at(log, inputsHeld) } satisfies KeyframeMeta));
    const chunks = keyframeBodyChunks(body);
    this.writing = this.writing.then(async () => {
      if (this.problem || this.full) return;
      try {
        const zipped = await gzipAsync(Buffer.concat(chunks));
        const record = Buffer.concat([u32(meta.length), meta, u32(zipped.length), zipped]);
        if (this.bytes + record.length > this.bytesMax) {
          this.full = `keyframes stopped at ${Math.round(this.bytes / 1048576)} MB, the most a recording keeps beside it: seeks after ${formatVirtual(this.lastKeptUs)} replay from there`;
          return;
        }
        this.file.appendBytes(record);
        this.bytes += record.length;
        this.lastKeptUs = atUs;
      } catch (error) {
        this.problem = `keyframes not written: ${(error as Error).message}`;
      }
    });
  }

  /** Waits for the keyframes under way and closes the file. */
  async close(): Promise<void> {
    await this.writing;
    this.file.close();
  }
}

function formatVirtual(us: Micros): string {
  const seconds = Math.floor(us / 1_000_000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')} virtual`;
}

export type SidecarRead =
  | { readonly ok: true; readonly keyframes: SidecarKeyframe[]; /** Why reading stopped before the file's end, if it did. */ readonly stoppedAt?: string }
  | { readonly ok: false; readonly problem: string };

/**
 * The keyframes of the sidecar at `file` that belong to the recording (`headerLine`, `inputs`), up to
 * `endUs`. A sidecar of another recording or version is refused whole; a torn or unmatched record ends
 * the list there (what came before stands). Only the small metas are read here, not the bodies.
 */
export function readSidecar(file: string, headerLine: string, inputs: readonly StampedInput[], endUs: Micros): SidecarRead {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch {
    return { ok: false, problem: 'no keyframes beside the recording' };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { ok: false, problem: 'the keyframes file is not a regular file' };
    const head = readAt(fd, 0, Math.min(HEADER_BYTES_MAX, stat.size)).toString('utf8');
    const newline = head.indexOf('\n');
    const header = newline < 0 ? undefined : parseJson(head.slice(0, newline));
    if (header?.format !== SIDECAR_FORMAT || !SIDECAR_VERSIONS_READ.includes(header.version)) return { ok: false, problem: `the keyframes file is not ${SIDECAR_FORMAT} version ${SIDECAR_VERSIONS_READ.join(' or ')}` };
    if (header.recording !== recordingIdentity(headerLine)) return { ok: false, problem: 'the keyframes file belongs to another recording' };
    return readRecords(fd, newline + 1, stat.size, inputs, endUs);
  } catch (error) {
    return { ok: false, problem: `the keyframes file could not be read (${(error as Error).message})` };
  } finally {
    closeSync(fd);
  }
}

function readRecords(fd: number, start: number, size: number, inputs: readonly StampedInput[], endUs: Micros): SidecarRead {
  const keyframes: SidecarKeyframe[] = [];
  const digest = new InputsDigest();
  const stop = (why: string): SidecarRead => ({ ok: true, keyframes, stoppedAt: why });
  for (let offset = start; offset < size;) {
    if (offset + 4 > size) return stop('a torn keyframe at the end');
    const metaBytes = readAt(fd, offset, 4).readUInt32BE(0);
    if (metaBytes > META_BYTES_MAX || offset + 8 + metaBytes > size) return stop('a torn keyframe at the end');
    const meta = parseJson(readAt(fd, offset + 4, metaBytes).toString('utf8')) as Partial<KeyframeMeta> | undefined;
    const bodyBytes = readAt(fd, offset + 4 + metaBytes, 4).readUInt32BE(0);
    const bodyOffset = offset + 8 + metaBytes;
    if (bodyOffset + bodyBytes > size) return stop('a torn keyframe at the end');
    const { atUs, inputsHeld, inputsDigest } = meta ?? {};
    const previousUs = keyframes.at(-1)?.atUs ?? -1;
    if (!Number.isSafeInteger(atUs) || !Number.isSafeInteger(inputsHeld) || typeof inputsDigest !== 'string') return stop(`an unreadable keyframe at byte ${offset}`);
    if (atUs! <= previousUs || atUs! > endUs) return stop(`a keyframe at ${atUs! / 1e6} s out of order or past the recording's end`);
    if (inputsHeld! < (keyframes.at(-1)?.inputsHeld ?? 0) || inputsHeld! > inputs.length) return stop(`a keyframe at ${atUs! / 1e6} s holds inputs the recording has not`);
    if (digest.at(inputs, inputsHeld!) !== inputsDigest) return stop(`a keyframe at ${atUs! / 1e6} s whose inputs differ from the recording's`);
    keyframes.push({ atUs: atUs!, inputsHeld: inputsHeld!, bodyOffset, bodyBytes });
    offset = bodyOffset + bodyBytes;
  }
  return { ok: true, keyframes };
}

/** A keyframe's body from its sidecar; throws when it is damaged (gzip's CRC) or cannot be read. */
export function loadSidecarBody(file: string, keyframe: SidecarKeyframe): KeyframeBody {
  if (keyframe.bodyBytes > FILE_CAPS.state) throw new Error(`a keyframe of ${keyframe.bodyBytes} bytes is past the cap`);
  const fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    // The bytes were just read from the file: the snapshot read from them shares them with nothing else.
    return readKeyframeBody(gunzipSync(readAt(fd, keyframe.bodyOffset, keyframe.bodyBytes)));
  } finally {
    closeSync(fd);
  }
}

/** A keyframe body as written (version 2): the envelope's length, the envelope (view and charts), the snapshot's bytes. */
export function keyframeBodyChunks(body: KeptKeyframeBody): Uint8Array[] {
  const envelope = v8.serialize({ view: body.view, stats: body.stats });
  return [u32(envelope.length), envelope, body.snapshot];
}

/**
 * A keyframe body read back from its bytes, either version. The snapshot's byte arrays are views on
 * `bytes`, which must be the caller's own (read from a file for this).
 */
export function readKeyframeBody(bytes: Buffer): KeyframeBody {
  // Version 1's body is one v8-serialized object, whose first byte is V8's version tag (0xff); an
  // envelope's length, under 4 GB, never starts with it.
  if (bytes[0] === 0xff) return v8.deserialize(bytes) as KeyframeBody;
  const envelopeBytes = bytes.readUInt32BE(0);
  if (4 + envelopeBytes > bytes.length) throw new Error(`a keyframe body of ${bytes.length} bytes says its envelope has ${envelopeBytes}`);
  const { view, stats } = v8.deserialize(bytes.subarray(4, 4 + envelopeBytes)) as Omit<KeyframeBody, 'snapshot'>;
  return { snapshot: v8.deserialize(bytes.subarray(4 + envelopeBytes)) as LabSnapshot, view, stats };
}

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  for (let done = 0; done < length;) {
    const read = readSync(fd, buffer, done, length - done, position + done);
    if (read === 0) throw new Error(`the file ends at byte ${position + done}`);
    done += read;
  }
  return buffer;
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}

function u32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value, 0);
  return buffer;
}

function gzipAsync(data: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => gzip(data, { level: GZIP_LEVEL }, (error, zipped) => (error ? reject(error) : resolve(zipped))));
}
