// A client workstation's state, as plain data: its IP stack, its protocol client (NFS or CIFS), its
// workload, and what it saw (history, checker, outage). The behaviour is in client-actor.ts.
import type { Micros } from '../engine/actor.ts';
import { createIpStack, type IpStackState } from '../hardware/net/ethernet.ts';
import { createChecker, type CheckerState } from './checker.ts';
import { createCifsClient, DEFAULT_CIFS_OPTIONS, type CifsClientState } from './cifs-client.ts';
import { createRecentLog, type HistoryOp, type RecentLog } from './history.ts';
import { createLinRecord, type LinRecordState } from './lin-record.ts';
import { createNfsClient, DEFAULT_NFS_OPTIONS, type NfsClientState } from './nfs-client.ts';
import { createOutage, type OutageState } from './outage.ts';
import { createClientStats, type ClientStatsState } from './client-view.ts';
import { createWorkload, DEFAULT_WORKLOAD, workloadProblem, type PlannedOp, type WorkloadConfig, type WorkloadSettings, type WorkloadState } from './workload.ts';

/**
 * What the lab gives a client (the lab layer's ClientConfig), plus the optional workload and start
 * settings a lab file may set.
 */
export interface ClientActorConfig {
  readonly name: string;
  readonly protocol: 'nfs' | 'cifs';
  readonly vserver: string;
  readonly volume: string | null;
  readonly port: string;
  readonly mac: string;
  /** This workstation's address with prefix, `10.1.1.101/24`. */
  readonly address: string;
  /** The vserver address it mounts. */
  readonly server: string;
  readonly workload?: WorkloadSettings;
  /** Whether the workload runs from the start (default) or waits for `client <c> start`. */
  readonly running?: boolean;
}

export const RECENT_OPS_KEPT = 64;

export interface ClientCounters {
  opsOk: number;
  opsFailed: number;
  opsMaybe: number;
  ackedWrites: number;
}

export interface ClientState {
  readonly self: string;
  readonly config: ClientActorConfig;
  readonly workloadConfig: WorkloadConfig;
  /** Why the configuration cannot run, else null (the client then stays idle and says so). */
  readonly problem: string | null;
  ip: IpStackState;
  /** The route of the last answer when a node forwarded it (`c1>node2>node1`); undefined: straight from the server. */
  lastPath?: string;
  nfs: NfsClientState | null;
  cifs: CifsClientState | null;
  /** The operator wants the workload to run (`client <c> start|stop`). */
  running: boolean;
  workload: WorkloadState;
  /** The op in flight, as recorded in the history. */
  current: { readonly op: HistoryOp; readonly planned: PlannedOp } | null;
  /** An op is due but the protocol is not ready (mounting, reconnecting): it starts when it is. */
  opDue: boolean;
  nextOpTimer: number | null;
  /** Timer to try the mount or connection again. */
  retryTimer: number | null;
  /** While an outage is open, a tick each second keeps `lastEventUs` (the summary's "now") current. */
  tickTimer: number | null;
  nextOpId: number;
  lastEventUs: Micros;
  counters: ClientCounters;
  recent: RecentLog;
  checker: CheckerState;
  /** Finished ops by file, for the exhaustive linearizability check (lin-record.ts). */
  lin: LinRecordState;
  outage: OutageState;
  /** The lab window's per-interval figures (client-view.ts). */
  stats: ClientStatsState;
}

function workloadConfigOf(config: ClientActorConfig): WorkloadConfig {
  const given = config.workload ?? {};
  return {
    mix: { ...DEFAULT_WORKLOAD.mix, ...(given.mix ?? {}) },
    opsPerSecond: given.opsPerSecond ?? DEFAULT_WORKLOAD.opsPerSecond,
    fileSizeBytes: { ...DEFAULT_WORKLOAD.fileSizeBytes, ...(given.fileSizeBytes ?? {}) },
    maxFiles: given.maxFiles ?? DEFAULT_WORKLOAD.maxFiles,
  };
}

/** A stable xid base per client so that two clients' xids differ (the DRC keys by address anyway). */
function xidBase(self: string): number {
  let hash = 0x811c9dc5;
  for (const char of self) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193);
  return (hash >>> 8) << 8;
}

export function createClientState(config: ClientActorConfig, self: string): ClientState {
  const workloadConfig = workloadConfigOf(config);
  const volume = config.volume ?? 'vol0';
  const problem = workloadProblem(workloadConfig) ?? (config.server === '' ? 'no server address for its vserver' : null);
  return {
    self, config, workloadConfig, problem,
    ip: createIpStack([{ port: config.port, mac: config.mac }]),
    nfs: config.protocol === 'nfs' ? createNfsClient({ ...DEFAULT_NFS_OPTIONS, exportPath: `/vol/${volume}` }, self, xidBase(self)) : null,
    cifs: config.protocol === 'cifs' ? createCifsClient({ ...DEFAULT_CIFS_OPTIONS, share: volume }, self.toUpperCase(), self) : null,
    running: config.running ?? true,
    workload: createWorkload(),
    current: null, opDue: false, nextOpTimer: null, retryTimer: null, tickTimer: null, nextOpId: 1, lastEventUs: 0,
    counters: { opsOk: 0, opsFailed: 0, opsMaybe: 0, ackedWrites: 0 },
    recent: createRecentLog(RECENT_OPS_KEPT),
    checker: createChecker(),
    lin: createLinRecord(),
    outage: createOutage(),
    stats: createClientStats(),
  };
}
