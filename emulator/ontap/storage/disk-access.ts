// Whether this filer's I/O reaches its disks (StorageState.diskAccess, see types.ts). A disk that fails
// is RAID's business (raid-ops.ts: degraded, reconstruction); an I/O that no path could carry
// ('transport-failure': every FC loop down or unanswered, the shelf without power) is not a disk
// failure: RAID cannot degrade around it and nothing may be counted written. Storage then says it lost
// access to those aggregates, once, on the console and in /etc/messages; CPs of those aggregates fail
// and are retried (cp.ts), each retry first asking every member disk for an inquiry, so that a long
// outage does not allocate a new image per attempt; when a retried CP is on disk and the NVRAM log is
// trimmed, access is ok again. The HA subsystem reads `diskAccess` to ask for a negotiated takeover.
import { logEms } from '../ems.ts';
import type { Micros } from '../../engine/actor.ts';
import type { StorageEnv } from './io.ts';
import { issue, openBatch } from './io.ts';
import type { AggregateState, DiskAccess, DiskId, IoBatch, StorageState } from './types.ts';

/** While access is lost, a CP of the lost aggregates is tried again this often. */
export const CP_RETRY_US: Micros = 1_000_000;

export function createDiskAccess(): DiskAccess {
  return { state: 'ok', sinceUs: 0, aggregates: [], reason: null, cpsFailed: 0 };
}

/** Whether a finished batch had I/O that no path could carry (as opposed to a disk's own error). */
export function lostPath(batch: IoBatch): boolean {
  return batch.errors.some((error) => error.status === 'transport-failure');
}

export function accessLost(state: StorageState, aggregate: string): boolean {
  return state.diskAccess.aggregates.includes(aggregate);
}

/** What the initiator's ports show: the links that are down, or that no answer came on any path. */
function lossReason(env: StorageEnv): string {
  const down = env.filer.config.fcPorts.map((port) => port.port).filter((port) => !env.ctx.linkUp(port));
  if (down.length > 0 && down.length === env.filer.config.fcPorts.length) return `no path to the disks (${down.join(', ')}: link down)`;
  return 'no path to the disks (no answer on any path)';
}

/** I/O to an aggregate's disks failed for want of a path: say so once per aggregate. */
export function markAccessLost(state: StorageState, env: StorageEnv, aggregate: string): void {
  const access = state.diskAccess;
  if (access.aggregates.includes(aggregate)) return;
  const reason = lossReason(env);
  if (access.state === 'ok') {
    access.state = 'lost';
    access.sinceUs = env.ctx.now;
    access.reason = reason;
    access.cpsFailed = 0;
  }
  access.aggregates.push(aggregate);
  const disks = membersOf(state.aggregates[aggregate]).length;
  logEms(env.filer, env.ctx, 'raid.disk.unavailable', 'error',
    `Aggregate ${aggregate}: ${disks} disks are unavailable: ${reason}. Consistency points cannot complete.`);
}

/** A CP of a lost aggregate failed: counted, and said once, when the first one does. */
export function reportCpFailed(state: StorageState, env: StorageEnv, aggregate: string): void {
  state.diskAccess.cpsFailed += 1;
  if (state.diskAccess.cpsFailed > 1) return;
  const entries = env.filer.chassis.nvram.local.entries.length;
  logEms(env.filer, env.ctx, 'wafl.cp.failed', 'critical',
    `Consistency point could not be written to aggregate ${aggregate}: keeping the NVRAM log (${entries} entries) and retrying.`);
}

/** A retried CP of this aggregate is on disk. */
export function aggregateReachable(state: StorageState, aggregate: string): void {
  state.diskAccess.aggregates = state.diskAccess.aggregates.filter((name) => name !== aggregate);
}

/** Called once a CP trimmed the log: with no aggregate left without access, access is ok again. */
export function accessRestoredIfAll(state: StorageState, env: StorageEnv): void {
  const access = state.diskAccess;
  if (access.state !== 'lost' || access.aggregates.length > 0) return;
  const seconds = Math.max(1, Math.round((env.ctx.now - access.sinceUs) / 1_000_000));
  state.diskAccess = { state: 'ok', sinceUs: env.ctx.now, aggregates: [], reason: null, cpsFailed: 0 };
  logEms(env.filer, env.ctx, 'wafl.cp.resumed', 'notice',
    `Disk access restored after ${seconds} seconds: consistency point written, NVRAM log trimmed.`);
}

/** The members of an aggregate still in their groups (failed positions left out). */
export function membersOf(aggregate: AggregateState | undefined): DiskId[] {
  if (!aggregate) return [];
  return aggregate.raidGroups.flatMap((group) => group.members.filter((_disk, position) => !group.failed.includes(position)));
}

/** Before a retried CP builds anything: an inquiry to every member of the aggregate. */
export function probeAggregate(state: StorageState, env: StorageEnv, aggregate: AggregateState, cpId: number): IoBatch {
  const batch = openBatch(state, { kind: 'cp-probe', aggregate: aggregate.name, cpId });
  for (const disk of membersOf(aggregate)) issue(state, env, batch, disk, { op: 'inquiry' });
  return batch;
}

/**
 * A mailbox heartbeat write is done: if no path carried it to any of the root aggregate's mailbox disks,
 * access is lost (noticed within a heartbeat, before the next CP). Disks not ours (the partner's, after a
 * takeover) say nothing about our access.
 */
export function mailboxWritten(state: StorageState, env: StorageEnv, batch: IoBatch): void {
  if (state.status !== 'online' || !lostPath(batch)) return;
  const aggregates = new Set<string>();
  for (const error of batch.errors) {
    const aggregate = error.status === 'transport-failure' ? state.disks[error.disk]?.aggregate : null;
    if (aggregate && state.aggregates[aggregate]?.status === 'online') aggregates.add(aggregate);
  }
  for (const aggregate of [...aggregates].sort()) markAccessLost(state, env, aggregate);
}
