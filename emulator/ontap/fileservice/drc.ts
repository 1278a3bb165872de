// The duplicate request cache (DRC): a client that gets no reply in time sends the same call again,
// with the same xid. For an idempotent call that is harmless; a retried CREATE GUARDED or REMOVE would
// fail with EXIST or NOENT although the first one worked. So the server remembers the replies of its
// recent non-idempotent calls by (client, xid) and answers a retry from here; a retry of a call still
// in progress (waiting for its NVRAM mirror) is dropped: the first reply will answer it.
// Bounded: the oldest entries make room for new ones, as the real caches do.
import type { Micros } from '../../engine/actor.ts';
import type { NfsProc, NfsReply } from './nfs-wire.ts';

export const DRC_DEFAULT_CAPACITY = 1024;

interface DrcEntry {
  readonly proc: NfsProc;
  readonly startedUs: Micros;
  /** null while the call is being served. */
  reply: NfsReply | null;
}

export interface DuplicateRequestCache {
  readonly capacity: number;
  entries: Record<string, DrcEntry>;
  /** Keys, oldest first. */
  order: string[];
  hits: number;
  inProgressDrops: number;
  /** Entries rebuilt from a replayed NVRAM log (takeover, or a reboot): see nfs-server rememberReplayed. */
  rebuilt: number;
}

export type DrcVerdict =
  | { readonly kind: 'new' }
  /** The call is being served: drop the retry. */
  | { readonly kind: 'in-progress' }
  /** Answered before: send this reply again. */
  | { readonly kind: 'replay'; readonly reply: NfsReply };

export function createDrc(capacity = DRC_DEFAULT_CAPACITY): DuplicateRequestCache {
  if (!(capacity > 0)) throw new Error(`DRC capacity must be positive, got ${capacity}`);
  return { capacity, entries: {}, order: [], hits: 0, inProgressDrops: 0, rebuilt: 0 };
}

/**
 * The last key built, reused while the same call is looked up and then begun (drcCheck, drcBegin):
 * a template string per lookup was a visible share of a run, and a reused key also keeps its hash.
 * A memo only: the cache's contents do not depend on it.
 */
let lastClient = '';
let lastXid = -1;
let lastKey = '';

function keyOf(client: string, xid: number): string {
  if (xid !== lastXid || client !== lastClient) {
    lastClient = client;
    lastXid = xid;
    lastKey = `${client}#${xid}`;
  }
  return lastKey;
}

// The verdicts without a reply are shared: one object per call was an allocation per request.
const NEW: DrcVerdict = { kind: 'new' };
const IN_PROGRESS: DrcVerdict = { kind: 'in-progress' };

/** Looks a call up; a hit with another procedure is a reused xid, served as new. */
export function drcCheck(cache: DuplicateRequestCache, client: string, xid: number, proc: NfsProc): DrcVerdict {
  const entry = cache.entries[keyOf(client, xid)];
  if (!entry || entry.proc !== proc) return NEW;
  if (entry.reply === null) {
    cache.inProgressDrops += 1;
    return IN_PROGRESS;
  }
  cache.hits += 1;
  return { kind: 'replay', reply: entry.reply };
}

/** Notes that a non-idempotent call is being served. */
export function drcBegin(cache: DuplicateRequestCache, client: string, xid: number, proc: NfsProc, nowUs: Micros): void {
  const key = keyOf(client, xid);
  if (cache.entries[key]) cache.order = cache.order.filter((existing) => existing !== key);
  cache.entries[key] = { proc, startedUs: nowUs, reply: null };
  cache.order.push(key);
  while (cache.order.length > cache.capacity) {
    const oldest = cache.order.shift();
    if (oldest !== undefined) delete cache.entries[oldest];
  }
}

/** Keeps the reply of a call served; a call evicted meanwhile is simply not remembered. */
export function drcFinish(cache: DuplicateRequestCache, client: string, xid: number, reply: NfsReply): void {
  const entry = cache.entries[keyOf(client, xid)];
  if (entry && entry.proc === reply.proc) entry.reply = reply;
}

/** A call that will never be answered (the server stopped): forget it so a retry is served anew. */
export function drcAbandon(cache: DuplicateRequestCache, client: string, xid: number): void {
  const key = keyOf(client, xid);
  if (!cache.entries[key] || cache.entries[key].reply !== null) return;
  delete cache.entries[key];
  cache.order = cache.order.filter((existing) => existing !== key);
}
