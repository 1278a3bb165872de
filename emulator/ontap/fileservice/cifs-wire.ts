// The CIFS-like protocol on the wire: stateful, over a connection to port 445 of a vserver address.
// Shaped after SMB: NEGOTIATE, SESSION_SETUP (uid), TREE_CONNECT (tid), CREATE (fid), READ, WRITE,
// CLOSE, LOCK, … with NT status names. The connection is TCP-like: the client opens it (connect →
// accept), numbers its requests (mid), resends one left unanswered, and the server answers a resend
// from its per-connection reply cache, as TCP would deliver the bytes once. A server that does not
// know the connection (it rebooted, or the address moved to its partner) answers with a reset:
// the client's session is gone with it, as on a classic filer.

export const CIFS_PORT = 445;

export type CifsStatus =
  | 'STATUS_SUCCESS' | 'STATUS_OBJECT_NAME_NOT_FOUND' | 'STATUS_OBJECT_NAME_COLLISION'
  | 'STATUS_OBJECT_PATH_NOT_FOUND' | 'STATUS_USER_SESSION_DELETED' | 'STATUS_NETWORK_NAME_DELETED'
  | 'STATUS_BAD_NETWORK_NAME' | 'STATUS_INVALID_HANDLE' | 'STATUS_FILE_LOCK_CONFLICT' | 'STATUS_LOCK_NOT_GRANTED'
  | 'STATUS_RANGE_NOT_LOCKED' | 'STATUS_INVALID_PARAMETER' | 'STATUS_DISK_FULL' | 'STATUS_FILE_IS_A_DIRECTORY'
  | 'STATUS_DIRECTORY_NOT_EMPTY' | 'STATUS_DATA_ERROR' | 'STATUS_INSUFFICIENT_RESOURCES' | 'STATUS_ACCESS_DENIED';

export type CifsDisposition =
  /** Open an existing file; fails if absent. */
  | 'open'
  /** Create a new file; fails if it exists. */
  | 'create'
  /** Open or create. */
  | 'open-if'
  /** Replace the content if it exists, else create. */
  | 'overwrite-if';

export type CifsCommand =
  | { readonly command: 'NEGOTIATE' }
  | { readonly command: 'SESSION_SETUP'; readonly user: string; readonly workstation: string }
  | { readonly command: 'LOGOFF'; readonly uid: number }
  | { readonly command: 'TREE_CONNECT'; readonly uid: number; readonly share: string }
  | { readonly command: 'TREE_DISCONNECT'; readonly uid: number; readonly tid: number }
  | { readonly command: 'CREATE'; readonly uid: number; readonly tid: number; readonly path: string; readonly disposition: CifsDisposition; readonly directory?: boolean }
  | { readonly command: 'CLOSE'; readonly uid: number; readonly tid: number; readonly fid: number }
  | { readonly command: 'READ'; readonly uid: number; readonly tid: number; readonly fid: number; readonly offset: number; readonly count: number }
  | { readonly command: 'WRITE'; readonly uid: number; readonly tid: number; readonly fid: number; readonly offset: number; readonly data: Uint8Array }
  /** SET_INFO end-of-file: truncate or extend. */
  | { readonly command: 'SET_EOF'; readonly uid: number; readonly tid: number; readonly fid: number; readonly size: number }
  | { readonly command: 'LOCK'; readonly uid: number; readonly tid: number; readonly fid: number; readonly offset: number; readonly length: number; readonly exclusive: boolean }
  | { readonly command: 'UNLOCK'; readonly uid: number; readonly tid: number; readonly fid: number; readonly offset: number; readonly length: number }
  | { readonly command: 'RENAME'; readonly uid: number; readonly tid: number; readonly path: string; readonly newPath: string }
  | { readonly command: 'DELETE'; readonly uid: number; readonly tid: number; readonly path: string }
  | { readonly command: 'ECHO' }
  /**
   * An AndX chain (SMB1's composite request: WRITE_ANDX + CLOSE, NT_CREATE_ANDX + READ_ANDX): the
   * components run in order, as one request with one mid; the chain stops at the first component that
   * fails. The reply carries one response per component that ran (`body.chain`).
   */
  | { readonly command: 'ANDX'; readonly components: readonly CifsSimpleCommand[] };

/** A command that is not a chain (a chain's component). */
export type CifsSimpleCommand = Exclude<CifsCommand, { readonly command: 'ANDX' }>;

export type CifsCommandName = CifsCommand['command'];

/** The most components a chain may carry. */
export const MAX_CHAIN = 4;

export interface CifsResponseBody {
  readonly uid?: number;
  readonly tid?: number;
  readonly fid?: number;
  readonly data?: Uint8Array;
  readonly size?: number;
  readonly count?: number;
  /** An AndX chain's reply: the responses of the components that ran, in order. */
  readonly chain?: readonly CifsResponse[];
}

/** Client → server: open a connection (a TCP SYN). */
export interface CifsConnect {
  readonly kind: 'cifs.connect';
  readonly connection: number;
}

/** Server → client: the connection is open. */
export interface CifsAccept {
  readonly kind: 'cifs.accept';
  readonly connection: number;
}

/** Either way: the connection is gone (a TCP RST). */
export interface CifsReset {
  readonly kind: 'cifs.reset';
  readonly connection: number;
}

export interface CifsRequest {
  readonly kind: 'cifs.request';
  readonly connection: number;
  readonly mid: number;
  readonly request: CifsCommand;
}

export interface CifsResponse {
  readonly kind: 'cifs.response';
  readonly connection: number;
  readonly mid: number;
  readonly command: CifsCommandName;
  readonly status: CifsStatus;
  readonly body: CifsResponseBody;
}

/**
 * Seed 003's transport acknowledgements, modelled only with persistent state on (a classic filer's
 * TCP acks change nothing the lab shows): the server acknowledges a request once point 1 is saved
 * (the client stops resending it), and the client acknowledges a reply (the server saves point 4).
 */
export interface CifsRequestAck {
  readonly kind: 'cifs.ack';
  readonly connection: number;
  readonly mid: number;
}

export interface CifsReplyAck {
  readonly kind: 'cifs.reply-ack';
  readonly connection: number;
  readonly mid: number;
}

export type CifsMessage = CifsConnect | CifsAccept | CifsReset | CifsRequest | CifsResponse | CifsRequestAck | CifsReplyAck;

export function cifsResponse(request: CifsRequest, status: CifsStatus, body: CifsResponseBody = {}): CifsResponse {
  return { kind: 'cifs.response', connection: request.connection, mid: request.mid, command: request.request.command, status, body };
}

/** A set, not a list: every request's command is looked up here. */
const COMMANDS: ReadonlySet<string> = new Set([
  'NEGOTIATE', 'SESSION_SETUP', 'LOGOFF', 'TREE_CONNECT', 'TREE_DISCONNECT', 'CREATE', 'CLOSE', 'READ', 'WRITE',
  'SET_EOF', 'LOCK', 'UNLOCK', 'RENAME', 'DELETE', 'ECHO', 'ANDX',
]);

/** Returns why a payload that claims to be a CIFS request is malformed, or null. */
/** A path the server splits must be a string: anything else would throw inside the filer. */
function pathProblem(request: { readonly [field: string]: unknown }): string | null {
  if ('path' in request && typeof request.path !== 'string') return 'bad path';
  if ('newPath' in request && typeof request.newPath !== 'string') return 'bad newPath';
  return null;
}

export function cifsRequestProblem(payload: { readonly kind: string; readonly [field: string]: unknown }): string | null {
  if (payload.kind !== 'cifs.request') return 'not a cifs request';
  if (!Number.isInteger(payload.connection) || !Number.isInteger(payload.mid)) return 'bad connection or mid';
  const request = payload.request as { command?: unknown } | undefined;
  if (!request || typeof request !== 'object' || typeof request.command !== 'string') return 'no command';
  if (!COMMANDS.has(request.command)) return `unknown command ${request.command}`;
  const paths = pathProblem(request);
  if (paths) return paths;
  if (request.command === 'ANDX') {
    const components = (request as { components?: unknown }).components;
    if (!Array.isArray(components) || components.length === 0 || components.length > MAX_CHAIN) return 'bad AndX chain';
    for (const component of components as { command?: unknown }[]) {
      if (!component || typeof component !== 'object' || typeof component.command !== 'string') return 'no command in AndX chain';
      if (component.command === 'ANDX' || !COMMANDS.has(component.command)) return `bad AndX component ${String(component.command)}`;
      const componentPaths = pathProblem(component);
      if (componentPaths) return componentPaths;
    }
  }
  return null;
}
