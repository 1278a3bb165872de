// What the NFS and CIFS servers need while they handle one request: the file service's slot, storage's
// state and file-system API, and a way to answer a client. Built per event by the subsystem.
import type { ActorContext, Payload } from '../../engine/actor.ts';
import type { FilerState } from '../../hardware/filer/subsystem.ts';
import { sendIp } from '../../hardware/net/ethernet.ts';
import { modify, takeCompletions, type FsRequest } from '../storage/fs-api.ts';
import type { StorageEnv } from '../storage/io.ts';
import type { FsError, OpCompletion, StorageState } from '../storage/types.ts';
import { addPending, wireBytes, type FileServiceState, type PendingRequest, type ServedAddress } from './state.ts';

export interface ServeDoor {
  readonly fs: FileServiceState;
  readonly storage: StorageState;
  readonly ctx: ActorContext;
  /** The filer (seed 003's save points write its NVRAM, and a `panic-at` panics it). */
  readonly filer: FilerState;
  /** Hands a modifying request to storage; its answer comes back through `complete`. */
  submit(volume: string, request: FsRequest, pending: PendingRequest): void;
  /** Sends a reply from the vserver address `server` to the client. */
  send(server: string, client: string, protocol: 'nfs' | 'cifs', body: Payload): void;
}

/** The served address a request was sent to, if this filer serves it. A plain loop: runs per packet. */
export function servedAddress(fs: FileServiceState, address: string): ServedAddress | undefined {
  for (const served of fs.served) if (served.address === address) return served;
  return undefined;
}

/** The volume of a vserver that holds this fsid: a vserver sees only its own volumes. */
export function vserverVolumeByFsid(storage: StorageState, served: ServedAddress, fsid: number): { name: string; fsid: number } | 'stale' {
  for (const exported of served.volumes) {
    const name = served.storagePrefix + exported;
    const volume = storage.volumes[name];
    if (volume && volume.fsid === fsid) return { name, fsid };
  }
  return 'stale';
}

/**
 * The door as a class, not an object of closures: it is built for every filer event, and closures made
 * per event cost allocations and kept the servers' optimised code guessing which `submit` it calls.
 */
class EventServeDoor implements ServeDoor {
  readonly ctx: ActorContext;
  readonly filer: FilerState;

  constructor(
    readonly fs: FileServiceState,
    readonly storage: StorageState,
    private readonly env: StorageEnv,
    private readonly onCompletions: (door: ServeDoor, completions: OpCompletion[]) => void,
  ) {
    this.ctx = env.ctx;
    this.filer = env.filer;
  }

  submit(volume: string, request: FsRequest, pending: PendingRequest): void {
    // An NFS call's origin goes into NVRAM with the entry: whoever replays it can answer a retry.
    // A CIFS request's too when its state persists (seed 003): a restore then knows it was done.
    const origin = pending.protocol === 'nfs' ? { client: pending.client, xid: pending.call.xid, proc: pending.call.request.proc }
      : pending.persistent ? { client: pending.connection, xid: pending.request.mid, proc: `cifs.${pending.request.request.command}` } : undefined;
    const opId = modify(this.storage, this.env, volume, request, origin, pending.client);
    addPending(this.fs, opId, pending);
    // Errors and an unmirrored filer answer at once.
    const now = takeCompletions(this.storage);
    if (now.length > 0) this.onCompletions(this, now);
  }

  send(server: string, client: string, protocol: 'nfs' | 'cifs', body: Payload): void {
    this.fs.counters.netBytesOut += wireBytes(body);
    sendIp(this.fs.ip, this.env.ctx, { src: server, dst: client, protocol, body });
  }
}

export function createServeDoor(fs: FileServiceState, storage: StorageState, env: StorageEnv,
  onCompletions: (door: ServeDoor, completions: OpCompletion[]) => void): ServeDoor {
  return new EventServeDoor(fs, storage, env, onCompletions);
}

export type { FsError };
