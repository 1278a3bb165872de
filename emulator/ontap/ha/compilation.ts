// The compilation of requests in progress (seed 002 claim 15, seed 000 claims 36/57 and 52, note N8): a
// filer that halts for its partner's takeover records its shutdown in its NVRAM half and hands its
// partner, as the mirror of that record, the requests it had received but not answered; the partner serves them, in order, once it serves the halted filer's addresses. A client's
// retransmission of one of them finds the answer in the partner's duplicate request cache, so each
// request is executed once.
import type { Payload } from '../../engine/actor.ts';
import { logEms } from '../ems.ts';
import { requestsInProgress, serveHandedOverRequests } from '../fileservice/fileservice-subsystem.ts';
import type { NfsCall } from '../fileservice/nfs-wire.ts';
import { COMPILATION_LIMIT, sendHa, type HandedOverRequest } from './messages.ts';
import type { HaEnv } from './ha-env.ts';
import type { HaState } from './types.ts';

/** A, halting for its partner's takeover: send what it had received and not answered. */
export function sendCompilation(ha: HaState, env: HaEnv): void {
  const requests: HandedOverRequest[] = requestsInProgress(env.filer).slice(0, COMPILATION_LIMIT)
    .map((request) => ({ protocol: 'nfs', src: request.src, dst: request.dst, body: request.call as unknown as Payload }));
  // Saved in this filer's NVRAM half before the halt, and mirrored by the message to the partner's half.
  const cause = ha.lastShutdown?.steps[0] === 'op' ? 'operator' : (ha.fm.requested ?? 'operator');
  env.filer.chassis.nvram.local.shutdown = { cause, atUs: env.ctx.now, requests: requests.length };
  if (ha.lastShutdown) { ha.lastShutdown.steps.push('save-state'); ha.lastShutdown.steps.push('compilation'); }
  sendHa(ha, env.filer, env.ctx, { kind: 'ha.compilation', cause, atUs: env.ctx.now, requests });
}

/** B: the compilation arrived; it is served once B serves the partner's identity (now, if it does). */
export function compilationReceived(ha: HaState, env: HaEnv, cause: string, atUs: number, requests: readonly HandedOverRequest[]): void {
  env.filer.chassis.nvram.partner.shutdown = { cause, atUs, requests: requests.length };
  ha.compilation = { entries: requests.length, served: 0, waiting: [...requests] };
  logEms(env.filer, env.ctx, 'cf.fm.compilationReceived', 'notice', `Partner ${env.filer.config.partner} handed over ${requests.length} request(s) in progress.`);
  serveCompilation(ha, env);
}

/** B, in takeover: serve the handed-over requests that wait. */
export function serveCompilation(ha: HaState, env: HaEnv): void {
  const compilation = ha.compilation;
  if (compilation === null || compilation.waiting.length === 0 || ha.state !== 'takeover') return;
  const waiting = compilation.waiting;
  compilation.waiting = [];
  const calls = waiting.map((request) => ({ src: request.src, dst: request.dst, call: request.body as unknown as NfsCall }));
  compilation.served += serveHandedOverRequests(env.filer, env.ctx, env.io, calls);
  if (ha.lastTakeover) ha.lastTakeover.steps.push('compilation');
}
