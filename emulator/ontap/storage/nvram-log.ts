// The NVRAM operation log (DESIGN.md §4): every modifying file operation is appended to the local
// half of the chassis's NVRAM, with everything needed to redo it exactly (file ids, generations and
// times chosen when it first ran), so that a replay after a crash or a takeover rebuilds the same
// file system and the same file handles. Entries older than the last consistency point are trimmed.
import type { Micros } from '../../engine/actor.ts';
import type { NvramHalf } from '../../hardware/filer/chassis.ts';
import type { InodeType } from './wafl-format.ts';

export type LogOp =
  | {
      readonly op: 'create'; readonly volume: string; readonly dir: number; readonly name: string;
      readonly type: InodeType; readonly fileId: number; readonly generation: number;
      readonly mode: number; readonly uid: number; readonly gid: number; readonly timeUs: Micros;
    }
  | { readonly op: 'write'; readonly volume: string; readonly fileId: number; readonly offset: number; readonly data: Uint8Array; readonly timeUs: Micros }
  | {
      readonly op: 'setattr'; readonly volume: string; readonly fileId: number; readonly size: number | null;
      readonly mode: number | null; readonly uid: number | null; readonly gid: number | null;
      readonly mtimeUs: Micros | null; readonly timeUs: Micros;
    }
  | {
      readonly op: 'rename'; readonly volume: string; readonly fromDir: number; readonly fromName: string;
      readonly toDir: number; readonly toName: string; readonly timeUs: Micros;
    }
  | { readonly op: 'remove'; readonly volume: string; readonly dir: number; readonly name: string; readonly timeUs: Micros };

/**
 * Who asked for a logged operation (an NFS client's call): kept in NVRAM with the entry, so that the
 * filer that replays the log — the partner after a takeover, or this filer after a crash — rebuilds its
 * duplicate request cache and answers a retried non-idempotent call as the first answer would have.
 */
export interface RequestOrigin {
  readonly client: string;
  readonly xid: number;
  readonly proc: string;
}

export interface LogEntry {
  readonly seq: number;
  readonly origin?: RequestOrigin;
  /** The aggregate holding the volume: replay skips entries its last CP already contains. */
  readonly aggregate: string;
  /** Space the entry takes in NVRAM (header, names, data). */
  readonly bytes: number;
  readonly op: LogOp;
}

const ENTRY_HEADER_BYTES = 64;

export function entryBytes(op: LogOp): number {
  switch (op.op) {
    case 'create': return ENTRY_HEADER_BYTES + op.name.length;
    case 'write': return ENTRY_HEADER_BYTES + op.data.length;
    case 'setattr': return ENTRY_HEADER_BYTES;
    case 'rename': return ENTRY_HEADER_BYTES + op.fromName.length + op.toName.length;
    case 'remove': return ENTRY_HEADER_BYTES + op.name.length;
  }
}

export function appendEntry(half: NvramHalf, entry: LogEntry): void {
  const last = half.entries[half.entries.length - 1] as LogEntry | undefined;
  if (last && last.seq >= entry.seq) throw new Error(`NVRAM log: entry ${entry.seq} after ${last.seq}`);
  half.entries.push(entry);
  half.bytes += entry.bytes;
}

/** Drops entries up to `upToSeq` (a CP holds them), except those `keep` says to hold on to. */
export function trimEntries(half: NvramHalf, upToSeq: number, keep?: (entry: LogEntry) => boolean): void {
  const kept = (half.entries as LogEntry[]).filter((entry) => entry.seq > upToSeq || (keep?.(entry) ?? false));
  half.entries = kept;
  half.bytes = kept.reduce((sum, entry) => sum + entry.bytes, 0);
}

export function replaceEntries(half: NvramHalf, entries: readonly LogEntry[]): void {
  half.entries = [...entries];
  half.bytes = entries.reduce((sum, entry) => sum + entry.bytes, 0);
}

export function logEntries(half: NvramHalf): readonly LogEntry[] {
  return half.entries as LogEntry[];
}

/** The capacity of one half of the card: the local log and the partner's mirror share it equally. */
export function halfCapacityBytes(capacityBytes: number): number {
  return Math.floor(capacityBytes / 2);
}

/** Interconnect messages of the mirror (on ic0, else ic1). */
export type MirrorMessage =
  /** New entries; `reset` replaces the partner's copy (resync after the link came back). */
  | { readonly kind: 'nvram.mirror'; readonly entries: readonly LogEntry[]; readonly reset: boolean }
  | { readonly kind: 'nvram.mirror-ack'; readonly upToSeq: number }
  /** The receiver's half would have a hole (it missed entries): send the whole log with `reset`. */
  | { readonly kind: 'nvram.mirror-resync' }
  | { readonly kind: 'nvram.trim'; readonly upToSeq: number }
  /** A filer whose NVRAM lost its contents asks for the mirror of its log at boot; the answer is `nvram.restore`. */
  | { readonly kind: 'nvram.fetch' }
  | { readonly kind: 'nvram.restore'; readonly entries: readonly LogEntry[] };
