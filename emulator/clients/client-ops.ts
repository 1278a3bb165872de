// The bookkeeping around each workload op: draw it, record its invocation in the history and the
// checker, and, when it ends, its outcome, counters and outage; and the client's part of the run
// summary, computed from its own history.
import type { ActorContext, Micros } from '../engine/actor.ts';
import { checkerComplete, checkerInvoke, checkerResult, type CheckResult } from './checker.ts';
import type { OpEnd, OpToRun } from './client-io.ts';
import type { ClientState } from './client-state.ts';
import { makeHashedContent } from './content.ts';
import { expectRead, rememberWritten, settleWritten } from './known-content.ts';
import { appendRecent, type HistoryOp } from './history.ts';
import { createLinRecord, linRecordOp, summarizeLin, type LinSummary } from './lin-record.ts';
import { maxOutageMs, outageInvoked, outageSucceeded } from './outage.ts';
import { planNextOp, workloadOpEnded } from './workload.ts';
import { statsOpEnded } from './client-view.ts';

/** Draws the next op and records its invocation. */
export function beginOp(state: ClientState, ctx: ActorContext): OpToRun {
  if (state.current) throw new Error(`client ${state.self}: op begun while one is in flight`);
  const planned = planNextOp(state.workloadConfig, state.workload, state.self, () => ctx.random());
  const content = planned.kind === 'create' || planned.kind === 'write' ? makeHashedContent(planned.contentSeed, planned.sizeBytes) : null;
  // Keys added one by one, in the order the spread form gave them (the history is in traces and saved
  // labs): no throw-away objects per op.
  const op: { -readonly [K in keyof HistoryOp]: HistoryOp[K] } = { id: state.nextOpId, kind: planned.kind, path: planned.path, invokeUs: ctx.now };
  if (planned.kind === 'rename') op.target = planned.target;
  if (content) op.writtenHash = content.hash;
  state.nextOpId += 1;
  state.current = { op, planned };
  appendRecent(state.recent, op);
  checkerInvoke(state.checker, op);
  outageInvoked(state.outage, ctx.now);
  const run: OpToRun = { planned, data: content ? content.bytes : null };
  if (content) rememberWritten(state, planned.path, content);
  else if (planned.kind === 'read') expectRead(state, planned.path, run);
  return run;
}

/** Records how the op in flight ended. */
export function endOp(state: ClientState, end: OpEnd, ctx: ActorContext): void {
  const current = state.current;
  if (!current) return;
  state.current = null;
  const op = current.op;
  op.completeUs = ctx.now;
  op.outcome = end.outcome;
  if (end.readHash !== undefined) op.readHash = end.readHash;
  if (end.reason !== undefined) op.reason = end.reason;
  if (end.partialHashes !== undefined && end.partialHashes.length > 0) op.partialHashes = [...end.partialHashes];
  checkerComplete(state.checker, op);
  workloadOpEnded(state.workload, current.planned, end.outcome);
  settleWritten(state, op.path, op.target, op.kind === 'rename' && end.outcome === 'ok', state.workload.files);
  // `??=`: a client restored from a lab saved before the linearizability record existed.
  state.lin ??= createLinRecord();
  linRecordOp(state.lin, state.self, op, state.workload.files, ctx.now);
  statsOpEnded(state.stats, end.outcome === 'ok', ctx.now - op.invokeUs);
  if (end.outcome === 'ok') {
    state.counters.opsOk += 1;
    if (op.kind === 'create' || op.kind === 'write') state.counters.ackedWrites += 1;
    outageSucceeded(state.outage, ctx.now);
  } else {
    state.counters.opsFailed += 1;
    if (end.outcome === 'maybe') state.counters.opsMaybe += 1;
  }
}

function sessionsDropped(state: ClientState): number {
  return state.cifs?.sessionsDropped ?? 0;
}

function connectionState(state: ClientState): string {
  if (state.problem) return 'misconfigured';
  if (state.nfs) return state.nfs.phase;
  return state.cifs?.phase ?? 'none';
}

/** One entry of the run summary's `violations`: a run that has any exits 1. */
export interface RunViolation {
  readonly atMs: number;
  readonly kind: 'lost-write' | 'stale-read' | 'not-linearizable';
  readonly client: string;
  readonly detail: string;
}

/**
 * A client's lost writes and stale reads as run violations, one per bad read the checker classified
 * (the first few); when there were more than it kept, one more entry per kind says how many, so that
 * the list is never empty while a count is not zero.
 */
export function clientViolations(client: string, verdict: CheckResult, nowUs: Micros): RunViolation[] {
  const out: RunViolation[] = verdict.violations.map((violation) => ({
    atMs: violation.atUs / 1000, kind: violation.kind, client, detail: violation.detail,
  }));
  const counts = { 'lost-write': verdict.lostWrites, 'stale-read': verdict.staleReads } as const;
  for (const kind of ['lost-write', 'stale-read'] as const) {
    const missing = counts[kind] - out.filter((violation) => violation.kind === kind).length;
    if (missing > 0) out.push({ atMs: nowUs / 1000, kind, client, detail: `${missing} more ${kind === 'lost-write' ? 'lost writes' : 'stale reads'} not listed` });
  }
  return out;
}

/** The exhaustive check's findings as run violations, and what it checked, for the client's summary. */
function linViolations(client: string, lin: LinSummary): RunViolation[] {
  const out: RunViolation[] = lin.violations.map((violation) => ({ atMs: violation.atUs / 1000, kind: 'not-linearizable', client, detail: violation.detail }));
  const missing = lin.checked.violations - out.length;
  if (missing > 0) out.push({ atMs: out[out.length - 1].atMs, kind: 'not-linearizable', client, detail: `${missing} more partitions not linearizable, not listed` });
  return out;
}

export function summarizeClient(state: ClientState): Record<string, unknown> {
  const verdict = checkerResult(state.checker);
  const lin = summarizeLin(state.lin ?? createLinRecord(), state.lastEventUs);
  const violations = [...clientViolations(state.self, verdict, state.lastEventUs), ...linViolations(state.self, lin)];
  return {
    ...(violations.length > 0 ? { violations } : {}),
    clients: {
      [state.self]: {
        protocol: state.config.protocol,
        vserver: state.config.vserver,
        server: state.config.server,
        state: state.running ? 'running' : 'stopped',
        connection: connectionState(state),
        opsOk: state.counters.opsOk,
        opsFailed: state.counters.opsFailed,
        opsMaybe: state.counters.opsMaybe,
        ackedWrites: state.counters.ackedWrites,
        lostWrites: verdict.lostWrites,
        staleReads: verdict.staleReads,
        sessionsDropped: sessionsDropped(state),
        ...(state.cifs ? {
          sessionsResumed: state.cifs.sessionsResumed, duplicateReplies: state.cifs.duplicateReplies, retransmits: state.cifs.retransmits,
          staleHandles: state.cifs.staleHandles ?? 0, locksLost: state.cifs.locksLost ?? 0,
          handlesKept: state.cifs.handlesKept ?? 0, locksKept: state.cifs.locksKept ?? 0,
        } : {}),
        maxOutageMs: maxOutageMs(state.outage, state.lastEventUs),
        lastPath: state.lastPath ?? `${state.self}>${state.config.server}`,
        linearizability: { ...lin.checked, ...(lin.undecided.length > 0 ? { undecided: lin.undecided } : {}) },
        ...(state.nfs?.lastError ? { lastError: state.nfs.lastError } : {}),
        ...(verdict.findings.length > 0 ? { findings: verdict.findings.slice(0, 5) } : {}),
        ...(state.problem ? { problem: state.problem } : {}),
      },
    },
  };
}
