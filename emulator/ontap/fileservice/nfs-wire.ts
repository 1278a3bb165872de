// The NFS-like protocol on the wire: stateless calls and replies matched by xid, carried as datagrams
// to port 2049 of a vserver address. Shaped after NFSv3 (RFC 1813): the same procedures, the same
// status names, and file handles that name the volume, the file and its generation — never the node,
// so that a handle stays good when the partner takes the volume over.
import type { FileHandle } from './file-handle.ts';

export const NFS_PORT = 2049;
/** The largest READ/WRITE the server accepts (FSINFO rtmax/wtmax). */
export const NFS_MAX_IO_BYTES = 32 * 1024;

export type NfsStatus =
  | 'NFS3_OK' | 'NFS3ERR_NOENT' | 'NFS3ERR_IO' | 'NFS3ERR_EXIST' | 'NFS3ERR_NOTDIR' | 'NFS3ERR_ISDIR'
  | 'NFS3ERR_INVAL' | 'NFS3ERR_NOSPC' | 'NFS3ERR_ROFS' | 'NFS3ERR_NOTEMPTY' | 'NFS3ERR_STALE'
  | 'NFS3ERR_BADHANDLE' | 'NFS3ERR_SERVERFAULT' | 'NFS3ERR_JUKEBOX' | 'MNT3ERR_NOENT' | 'MNT3ERR_ACCES';

export interface NfsAttributes {
  readonly type: 'file' | 'directory';
  readonly size: number;
  readonly fileId: number;
  readonly mtimeUs: number;
}

/** The arguments of each procedure, tagged by procedure name. */
export type NfsRequest =
  | { readonly proc: 'NULL' }
  /** MOUNT v3 MNT, on the same port as NFS (no portmapper, as the reference notes). */
  | { readonly proc: 'MNT'; readonly path: string }
  | { readonly proc: 'GETATTR'; readonly fh: FileHandle }
  | { readonly proc: 'SETATTR'; readonly fh: FileHandle; readonly size?: number }
  | { readonly proc: 'LOOKUP'; readonly dir: FileHandle; readonly name: string }
  | { readonly proc: 'READ'; readonly fh: FileHandle; readonly offset: number; readonly count: number }
  /** Always FILE_SYNC: the reply means the data is in NVRAM on both nodes. */
  | { readonly proc: 'WRITE'; readonly fh: FileHandle; readonly offset: number; readonly data: Uint8Array }
  | { readonly proc: 'CREATE'; readonly dir: FileHandle; readonly name: string; readonly mode: 'UNCHECKED' | 'GUARDED' }
  | { readonly proc: 'MKDIR'; readonly dir: FileHandle; readonly name: string }
  | { readonly proc: 'REMOVE'; readonly dir: FileHandle; readonly name: string }
  | { readonly proc: 'RENAME'; readonly fromDir: FileHandle; readonly fromName: string; readonly toDir: FileHandle; readonly toName: string }
  | { readonly proc: 'READDIR'; readonly dir: FileHandle };

export type NfsProc = NfsRequest['proc'];

/** Procedures whose repetition is not harmless: their replies go to the duplicate request cache. */
export const NON_IDEMPOTENT: ReadonlySet<NfsProc> = new Set<NfsProc>(['SETATTR', 'WRITE', 'CREATE', 'MKDIR', 'REMOVE', 'RENAME']);

export interface NfsReplyBody {
  readonly fh?: FileHandle;
  readonly attributes?: NfsAttributes;
  readonly data?: Uint8Array;
  readonly eof?: boolean;
  readonly count?: number;
  readonly names?: readonly string[];
  /** Why a MNT was refused, in words (a vserver sees only its own volumes: seed 004 claim 1). */
  readonly why?: string;
}

/** A call from a client (payload kind 'nfs.call'). */
export interface NfsCall {
  readonly kind: 'nfs.call';
  readonly xid: number;
  readonly request: NfsRequest;
}

/** The server's answer (payload kind 'nfs.reply'). */
export interface NfsReply {
  readonly kind: 'nfs.reply';
  readonly xid: number;
  readonly proc: NfsProc;
  readonly status: NfsStatus;
  readonly body: NfsReplyBody;
}

export function nfsReply(xid: number, proc: NfsProc, status: NfsStatus, body: NfsReplyBody = {}): NfsReply {
  return { kind: 'nfs.reply', xid, proc, status, body };
}

/** Built once: every call the server hears is checked against it. */
const KNOWN_PROCS: ReadonlySet<string> = new Set<NfsProc>(['NULL', 'MNT', 'GETATTR', 'SETATTR', 'LOOKUP', 'READ', 'WRITE', 'CREATE', 'MKDIR', 'REMOVE', 'RENAME', 'READDIR']);

/** Returns why a payload that claims to be an NFS call is malformed, or null: the server drops bad calls. */
export function nfsCallProblem(payload: { readonly kind: string; readonly [field: string]: unknown }): string | null {
  if (payload.kind !== 'nfs.call') return 'not an nfs call';
  if (typeof payload.xid !== 'number' || !Number.isInteger(payload.xid)) return 'bad xid';
  const request = payload.request as { proc?: unknown } | undefined;
  if (!request || typeof request !== 'object' || typeof request.proc !== 'string') return 'no procedure';
  if (!KNOWN_PROCS.has(request.proc)) return `unknown procedure ${request.proc}`;
  return null;
}
