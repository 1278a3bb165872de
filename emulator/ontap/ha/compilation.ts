// The compilation of requests in progress (seed 002 claim 15, seed 000 claim 52, note N8): a filer that
// halts for a negotiated or forced takeover hands its partner the requests it had received but not
// answered; the partner serves them, in order, once it serves the halted filer's addresses. A client's
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
  if (ha.lastShutdown) ha.lastShutdown.steps.push('compilation');
  sendHa(ha, env.filer, env.ctx, { kind: 'ha.compilation', requests });
}

/** B: the compilation arrived; it is served once B serves the partner's identity (now, if it does). */
export function compilationReceived(ha: HaState, env: HaEnv, requests: readonly HandedOverRequest[]): void {
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
