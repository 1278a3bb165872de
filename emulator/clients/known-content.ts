// What a client last wrote to each of its files, bytes and hash, so that a read that gets those very
// bytes back takes their hash from here instead of hashing them again: comparing words costs a
// fraction of the hash's byte-by-byte multiplications. Only a cache, kept outside the client's state
// (snapshots, saved labs and the trace never see it): equal bytes have equal hashes, so a read's hash
// is the same with it or without it, and a restored client simply starts without one. It holds the
// very bytes the WRITE carried (writeChunk): nothing may change written bytes once made, as there.
import { contentHashOfChunks, type HashedContent } from './content.ts';

/** Per client (its state object): path → the content last written there. */
const writtenByClient = new WeakMap<object, Map<string, HashedContent>>();
/** Per read op in flight (its OpToRun): what its file should hold, if the client knows. */
const expectedByRun = new WeakMap<object, HashedContent>();

function writtenOf(client: object): Map<string, HashedContent> {
  let written = writtenByClient.get(client);
  if (!written) writtenByClient.set(client, written = new Map());
  return written;
}

/** A create or write of `path` begins with this content. */
export function rememberWritten(client: object, path: string, content: HashedContent): void {
  writtenOf(client).set(path, content);
}

/** A read of `path` begins as `run`: it will be compared with what was last written there. */
export function expectRead(client: object, path: string, run: object): void {
  const content = writtenByClient.get(client)?.get(path);
  if (content) expectedByRun.set(run, content);
}

/**
 * An op on `path` (and `target`, a rename's new name) ended: a renamed file's content moves with
 * it, and names the workload no longer holds are dropped, so the map stays as small as its files.
 */
export function settleWritten(client: object, path: string, target: string | undefined, renamed: boolean, liveFiles: readonly string[]): void {
  const written = writtenByClient.get(client);
  if (!written) return;
  if (target !== undefined) {
    const content = written.get(path);
    if (renamed && content && liveFiles.includes(target)) written.set(target, content);
    else written.delete(target);
  }
  if (!liveFiles.includes(path)) written.delete(path);
}

/** The contentHash of what a read got back, in chunks. */
export function readHashOf(run: object, chunks: readonly Uint8Array[]): string {
  const expected = expectedByRun.get(run);
  if (expected && sameBytes(chunks, expected.bytes)) return expected.hash;
  return contentHashOfChunks(chunks);
}

function sameBytes(chunks: readonly Uint8Array[], bytes: Uint8Array): boolean {
  let offset = 0;
  for (const chunk of chunks) {
    if (offset + chunk.length > bytes.length || !sameAt(chunk, bytes, offset)) return false;
    offset += chunk.length;
  }
  return offset === bytes.length;
}

/** Whether `chunk` equals `bytes` from `offset` on: four bytes at a time where both are aligned. */
function sameAt(chunk: Uint8Array, bytes: Uint8Array, offset: number): boolean {
  let index = 0;
  const start = bytes.byteOffset + offset;
  if ((chunk.byteOffset & 3) === 0 && (start & 3) === 0) {
    const wordCount = chunk.length >>> 2;
    const ours = new Int32Array(chunk.buffer, chunk.byteOffset, wordCount);
    const theirs = new Int32Array(bytes.buffer, start, wordCount);
    for (let word = 0; word < wordCount; word++) if (ours[word] !== theirs[word]) return false;
    index = wordCount * 4;
  }
  for (; index < chunk.length; index++) if (chunk[index] !== bytes[offset + index]) return false;
  return true;
}

/** The paths whose content a client remembers (its tests check the map stays as small as its files). */
export function rememberedPaths(client: object): string[] {
  return [...(writtenByClient.get(client)?.keys() ?? [])];
}
