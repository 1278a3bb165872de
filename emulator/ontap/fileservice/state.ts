// The file service's slot in the filer's state: the network side (the IP stack of the filer's Ethernet
// ports and the vserver addresses it serves), the NFS duplicate request cache, the CIFS sessions, the
// modifying requests waiting for storage to complete them, and the counters behind `nfsstat`,
// `cifs stat` and `sysstat`.
import type { ActorId, Micros } from '../../engine/actor.ts';
import type { FilerConfig } from '../../hardware/filer/chassis.ts';
import { createIpStack, type IpStackState } from '../../hardware/net/ethernet.ts';
import type { CifsRequest } from './cifs-wire.ts';
import { createCifsPersistState, type CifsPersistState } from './cifs-persist-state.ts';
import { createCifsState, type CifsServerState } from './cifs-state.ts';
import { createDrc, type DuplicateRequestCache } from './drc.ts';
import { KeptCount } from './kept-count.ts';
import type { NfsCall } from './nfs-wire.ts';

/** One vserver address this filer answers on. */
export interface ServedAddress {
  readonly address: string;
  readonly vserver: string;
  readonly port: string;
  /** The vserver's volumes by their exported names: it alone sees them (seed 004). */
  readonly volumes: readonly string[];
  /** How this filer's storage keys them: '' for its own aggregates, `filerA:` for a partner's taken over. */
  readonly storagePrefix: string;
  /**
   * Seed 004 claims 8, 9: this node lost the address's subnet and a peer routes for it; the address sits
   * on that peer's port (`node2:e0a`) and here only as a host route on `port`, toward the peer.
   */
  readonly routedVia?: string;
}

/** A modifying request handed to storage, answered when storage completes it (after the NVRAM mirror). */
export type PendingRequest =
  | { readonly protocol: 'nfs'; readonly client: string; readonly server: string; readonly call: NfsCall; readonly fsid: number; readonly volume: string }
  | {
      readonly protocol: 'cifs'; readonly client: string; readonly server: string; readonly connection: string;
      readonly request: CifsRequest; readonly volume: string; readonly fsid: number;
      /** The vserver addressed (its CIFS state may be one adopted from a partner at takeover). */
      readonly vserver: string;
      /** Seed 003 persistent state: the request's origin is logged in NVRAM with its operation. */
      readonly persistent: boolean;
    };

export interface FileServiceCounters {
  nfsCalls: Record<string, number>;
  /** NFS calls by client address (`nfsstat -l`). */
  nfsByClient: Record<string, number>;
  nfsBadCalls: number;
  cifsCommands: Record<string, number>;
  cifsBadCalls: number;
  sessionsOpened: number;
  sessionsDropped: number;
  netBytesIn: number;
  netBytesOut: number;
  /** Requests dropped because the service was not up (booting, halted, storage not ready). */
  droppedNotServing: number;
  /** Requests received by served address: the load of each virtual IP (seed 004 claims 13, 15, 36). */
  byAddress: Record<string, number>;
}

export type FileServiceStatus =
  /** Powered off, halted, or the OS not booted. */
  | 'stopped'
  /** The OS is up, storage not yet online: addresses up, requests dropped (clients retry). */
  | 'waiting-for-storage'
  | 'serving';

export interface FileServiceState {
  readonly self: ActorId;
  status: FileServiceStatus;
  /** False once a clean shutdown began: new requests are dropped (clients retry elsewhere or later). */
  accepting: boolean;
  ip: IpStackState;
  served: ServedAddress[];
  drc: DuplicateRequestCache;
  /** The CIFS state of this filer's own vservers. */
  cifs: CifsServerState;
  /** `cifs terminate`: CIFS is stopped while NFS goes on serving, until `cifs restart` or the next boot. Optional: older saved labs. */
  cifsTerminated?: boolean;
  /** Seed 003: the persistent state's bookkeeping and the CIFS state adopted from a partner. */
  persist: CifsPersistState;
  /** By storage operation id. */
  pending: Record<number, PendingRequest>;
  startedUs: Micros | null;
  counters: FileServiceCounters;
  /** The last clean shutdown's drain (seed 002 claim 5, seed 000 claims 28/49), kept after the halt. */
  drain: ShutdownDrain | null;
  /** NFS requests received after the shutdown request, not processed here: kept for the partner (N8). */
  keptForPartner: KeptRequest[];
}

/** A client's request as it arrived, to be served by the partner after its takeover. */
export interface KeptRequest {
  readonly src: string;
  readonly dst: string;
  readonly call: NfsCall;
}

/** What a filer asked to shut down did with its requests. */
export interface ShutdownDrain {
  /** Requests in progress when the shutdown was asked for: they are completed, not dropped. */
  readonly pendingAtShutdownRequest: number;
  /** New requests refused after it (clients retransmit; after the takeover they reach the partner). */
  refusedAfterShutdownRequest: number;
  /** Of those, the distinct NFS calls kept for the partner (handed over in the compilation). */
  keptForPartner: number;
  /** Requests still in progress when the filer halted (handed to the partner in the compilation). */
  abandonedAtHalt: number | null;
  /** The shutdown was called off (the fault cured before the halt). */
  cancelled: boolean;
}

export function emptyCounters(): FileServiceCounters {
  return {
    nfsCalls: {}, nfsByClient: {}, nfsBadCalls: 0, cifsCommands: {}, cifsBadCalls: 0, sessionsOpened: 0, sessionsDropped: 0,
    netBytesIn: 0, netBytesOut: 0, droppedNotServing: 0, byAddress: {},
  };
}

export function createFileServiceState(config: FilerConfig, self: ActorId): FileServiceState {
  return {
    self, status: 'stopped', accepting: true,
    ip: createIpStack(config.ethernetPorts.map((eth) => ({ port: eth.port, mac: eth.mac }))),
    served: [], drc: createDrc(), cifs: createCifsState(), persist: createCifsPersistState(), pending: {}, startedUs: null,
    counters: emptyCounters(), drain: null, keptForPartner: [],
  };
}

/**
 * How many CIFS requests each pending table holds, kept by addPending and takePending: every CIFS
 * request asks whether its mid is still pending, the table is nearly always free of CIFS requests, and
 * a for-in over it (integer keys) cost about 2 µs a request.
 */
const cifsPendingCounts = new KeptCount<Record<number, PendingRequest>>((pending) => {
  let count = 0;
  for (const opId in pending) if (pending[opId].protocol === 'cifs') count += 1;
  return count;
});

export function cifsPendingCount(fs: FileServiceState): number {
  return cifsPendingCounts.of(fs.pending);
}

/** A modifying request handed to storage as operation `opId` (ids are never reused). */
export function addPending(fs: FileServiceState, opId: number, pending: PendingRequest): void {
  const previous = fs.pending[opId];
  fs.pending[opId] = pending;
  cifsPendingCounts.move(fs.pending, (pending.protocol === 'cifs' ? 1 : 0) - (previous?.protocol === 'cifs' ? 1 : 0));
}

/** Takes the request storage completed as operation `opId`, if it is still pending. */
export function takePending(fs: FileServiceState, opId: number): PendingRequest | undefined {
  const pending = fs.pending[opId];
  if (!pending) return undefined;
  delete fs.pending[opId];
  if (pending.protocol === 'cifs') cifsPendingCounts.move(fs.pending, -1);
  return pending;
}

/** Rough bytes of a message on the wire, for the Net kB/s columns. */
export function wireBytes(body: { readonly [field: string]: unknown }): number {
  return 128 + contentBytes(body, 0);
}

function contentBytes(value: unknown, depth: number): number {
  // The cheap type tests first: most fields are strings and numbers (a byte array counts at any depth).
  if (typeof value === 'string') return value.length;
  if (typeof value !== 'object' || value === null) return 0;
  if (value instanceof Uint8Array) return value.length;
  if (depth >= 3) return 0;
  // for-in, not Object.values: this runs for every message in and out, and the array of values was
  // an allocation each time (payloads are plain objects and arrays: no inherited enumerable keys).
  const fields = value as Record<string, unknown>;
  let bytes = 0;
  for (const field in fields) bytes += contentBytes(fields[field], depth + 1);
  return bytes;
}
