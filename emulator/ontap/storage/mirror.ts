// The NVRAM mirror over the interconnect (DESIGN.md §4): each logged operation goes to the partner's
// NVRAM half before its caller is answered. With no interconnect link, or no answer in time, the
// filer says it runs unmirrored. Then an operation is answered at once only when the partner is known
// to be down (the pair running degraded, HA says so); while the partner may be alive — only the
// interconnect lost — it is answered once a CP has it on disk, so a forced takeover loses nothing that
// was acknowledged (verification.md invariant 6). When the link is back the whole local log is sent
// again so the partner's copy is complete before anything is called mirrored again.
import { logEms } from '../ems.ts';
import type { Micros, Payload, PortName } from '../../engine/actor.ts';
import type { StorageEnv } from './io.ts';
import {
  appendEntry, entryBytes, logEntries, replaceEntries, trimEntries, type LogEntry, type LogOp, type MirrorMessage, type RequestOrigin,
} from './nvram-log.ts';
import type { OpResult, PendingOp, StorageState } from './types.ts';

/** How long an operation waits for the partner's acknowledgement before it is answered unmirrored. */
export const MIRROR_TIMEOUT_US: Micros = 50_000;

export function upInterconnect(env: StorageEnv): PortName | null {
  return env.filer.config.interconnectPorts.find((port) => env.ctx.linkUp(port)) ?? null;
}

export function sendToPartner(_state: StorageState, env: StorageEnv, message: MirrorMessage): boolean {
  const port = upInterconnect(env);
  if (!port || !env.filer.config.partner) return false;
  env.ctx.send(port, message as unknown as Payload);
  return true;
}

/** Appends an operation to the local log and mirrors it; its completion waits for the ack. */
export function logOperation(
  state: StorageState, env: StorageEnv, aggregate: string, op: LogOp, opId: number, result: OpResult, origin?: RequestOrigin, requester?: string,
): void {
  // Two literals rather than spreading a `{ origin }` made for it: one object per write, not two (same keys, same order).
  const seq = state.log.nextSeq++;
  const bytes = entryBytes(op);
  const entry: LogEntry = origin ? { seq, aggregate, bytes, op, origin } : { seq, aggregate, bytes, op };
  appendEntry(env.filer.chassis.nvram.local, entry);
  if (requester !== undefined) (state.requesters ??= {})[entry.seq] = requester;
  const standalone = !env.filer.config.partner;
  const resync = state.log.resync;
  const sent = !standalone && sendToPartner(state, env, resync
    ? { kind: 'nvram.mirror', entries: [...logEntries(env.filer.chassis.nvram.local)], reset: true }
    : { kind: 'nvram.mirror', entries: [entry], reset: false });
  if (!sent) {
    goUnmirrored(state, env, standalone ? 'standalone' : 'no interconnect link');
    answerUnmirrored(state, env, [{ opId, seq: entry.seq, result }], standalone);
    return;
  }
  state.log.resync = false;
  state.ops.waiting.push({ opId, seq: entry.seq, result });
  if (state.timers.mirror === null) {
    state.timers.mirror = env.ctx.setTimer(MIRROR_TIMEOUT_US, { kind: 'storage.mirror-timeout', epoch: state.epoch, seq: entry.seq });
  }
}

function goUnmirrored(state: StorageState, env: StorageEnv, why: string): void {
  if (state.log.mirror === 'mirrored' || !state.log.warnedUnmirrored) {
    if (why !== 'standalone') {
      logEms(env.filer, env.ctx, 'cf.nvram.unmirrored', 'warning', `NVRAM is not mirrored to the partner (${why}): running unmirrored.`);
    }
    state.log.warnedUnmirrored = true;
  }
  state.log.mirror = why === 'standalone' ? 'standalone' : 'unmirrored';
  state.log.resync = why !== 'standalone';
}

/** The partner acknowledged entries up to a sequence number: answer the operations they carry. */
export function mirrorAcked(state: StorageState, env: StorageEnv, upToSeq: number): void {
  state.log.ackedSeq = Math.max(state.log.ackedSeq, upToSeq);
  if (state.log.mirror !== 'mirrored') {
    if (state.log.mirror === 'unmirrored') logEms(env.filer, env.ctx, 'cf.nvram.mirrored', 'notice', 'NVRAM mirror to the partner is in sync.');
    state.log.mirror = 'mirrored';
    state.log.warnedUnmirrored = false;
  }
  // One pass over the waiting operations, not two filters: this runs for every ack.
  const still: PendingOp[] = [];
  for (const op of state.ops.waiting) {
    if (op.seq <= upToSeq) state.ops.completed.push({ opId: op.opId, result: op.result, mirrored: true });
    else still.push(op);
  }
  state.ops.waiting = still;
  answerDurable(state, upToSeq);
  if (state.timers.mirror !== null) env.ctx.cancelTimer(state.timers.mirror);
  state.timers.mirror = null;
  // Whatever still waits gets a fresh allowance: an ack is on its way for the older entries.
  if (state.ops.waiting.length > 0) {
    state.timers.mirror = env.ctx.setTimer(MIRROR_TIMEOUT_US, { kind: 'storage.mirror-timeout', epoch: state.epoch });
  }
}

/** No ack in time, or the last interconnect link went down: answer everything waiting, unmirrored. */
export function mirrorFailed(state: StorageState, env: StorageEnv, why: string): void {
  if (state.timers.mirror !== null) env.ctx.cancelTimer(state.timers.mirror);
  state.timers.mirror = null;
  if (state.ops.waiting.length === 0 && state.log.mirror !== 'mirrored') return;
  goUnmirrored(state, env, why);
  const waiting = state.ops.waiting;
  state.ops.waiting = [];
  answerUnmirrored(state, env, waiting, false);
}

/**
 * Unmirrored operations: answered now if nobody else could hold them and the local NVRAM keeps them
 * through a power loss, else after the next CP (a low battery: NVRAM is no better than memory).
 */
function answerUnmirrored(state: StorageState, env: StorageEnv, ops: readonly PendingOp[], standalone: boolean): void {
  if (ops.length === 0) return;
  if ((standalone || state.log.partnerDown) && env.filer.chassis.nvram.batteryOk) {
    for (const op of ops) state.ops.completed.push({ opId: op.opId, result: op.result, mirrored: false });
    return;
  }
  state.ops.durable.push(...ops);
  armDurableCp(state, env);
}

/**
 * Unmirrored writes are committed in groups: one CP a short while after the first of them, not one
 * per write (a CP per write would keep the disks busy with nothing but roots).
 */
export const DURABLE_CP_TIMER = 'storage.durable-cp';
const DURABLE_GROUP_US: Micros = 250_000;

export function armDurableCp(state: StorageState, env: StorageEnv): void {
  if (state.timers.durable !== null || state.ops.durable.length === 0) return;
  state.timers.durable = env.ctx.setTimer(DURABLE_GROUP_US, { kind: DURABLE_CP_TIMER, epoch: state.epoch });
}

/** Log entries up to `seq` are on disk (a CP finished) or mirrored: answer what waited for them. */
export function answerDurable(state: StorageState, upToSeq: number): void {
  if (state.ops.durable.length === 0) return;
  for (const op of state.ops.durable) if (op.seq <= upToSeq) state.ops.completed.push({ opId: op.opId, result: op.result, mirrored: false });
  state.ops.durable = state.ops.durable.filter((op) => op.seq > upToSeq);
}

/** The partner asked for the whole log (its half would have had a hole): send it now, replacing its copy. */
export function resendWholeLog(state: StorageState, env: StorageEnv): void {
  const sent = sendToPartner(state, env, { kind: 'nvram.mirror', entries: [...logEntries(env.filer.chassis.nvram.local)], reset: true });
  state.log.resync = !sent;
}

/**
 * The partner's side: keep its entries in our NVRAM's partner half and acknowledge them. An ack
 * covers every entry up to its sequence number, so entries are kept only as an unbroken run: one that
 * would leave a hole (entries missed while this OS was down, or lost on the way) is refused, no ack
 * goes back, and the partner is asked for its whole log instead (invariant 6).
 */
export function receiveMirror(state: StorageState, env: StorageEnv, port: PortName, message: MirrorMessage): void {
  const half = env.filer.chassis.nvram.partner;
  if (message.kind === 'nvram.trim') { trimEntries(half, message.upToSeq); return; }
  if (message.kind !== 'nvram.mirror') return;
  if (state.status === 'down') return;
  const inbound = (state.mirrorIn ??= { expectSeq: 'needs-reset', resyncsAsked: 0 });
  if (message.reset) {
    replaceEntries(half, message.entries);
    const last = message.entries.at(-1);
    inbound.expectSeq = last ? last.seq + 1 : 'any';
  } else {
    const first = message.entries[0];
    if (first && (inbound.expectSeq === 'needs-reset' || (typeof inbound.expectSeq === 'number' && first.seq > inbound.expectSeq))) {
      inbound.resyncsAsked += 1;
      env.ctx.send(port, { kind: 'nvram.mirror-resync' });
      return;
    }
    const last = (logEntries(half).at(-1)?.seq ?? 0);
    for (const entry of message.entries) {
      if (entry.seq <= last || (typeof inbound.expectSeq === 'number' && entry.seq < inbound.expectSeq)) continue;
      appendEntry(half, entry);
      inbound.expectSeq = entry.seq + 1;
    }
  }
  const upToSeq = message.entries.at(-1)?.seq ?? 0;
  env.ctx.send(port, { kind: 'nvram.mirror-ack', upToSeq });
}
