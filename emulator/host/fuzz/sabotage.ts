// Sabotages: the filer behaviour broken on purpose, to prove that the fuzzer catches real bugs (a
// fuzzer that finds nothing in broken code proves nothing about working code). Each wraps the filer
// behaviour of the registry, as the bench's timed registry does, and touches one filer's messages only
// (the narrow door: what it receives and sends), never the code under emulator/ontap. For tests and
// `filerlab fuzz --sabotage NAME`; never on in a normal run.
//
//   mirror-ack-without-store  filerB acknowledges the partner's NVRAM mirror entries without keeping
//                             them: a takeover replays nothing, and writes acknowledged since the last
//                             CP are lost (invariant 6, durability). Shows only after a takeover of filerA.
//   preempt-skipped           filerB takes filerA over without fencing it: its preempt commands are
//                             turned into harmless reads, so filerA's reservations stay and filerA,
//                             rebooted or resumed, mounts and serves its identity beside filerB (split
//                             brain; invariants 1 and 2). Shows only after a takeover of filerA.
import type { ActorBehavior, ActorContext, ActorEvent, BehaviorRegistry, Payload } from '../../engine/actor.ts';

export const SABOTAGES = ['mirror-ack-without-store', 'preempt-skipped'] as const;
export type SabotageName = (typeof SABOTAGES)[number];

/** The filer the sabotages break. */
const SABOTAGED_FILER = 'filerB';

export function isSabotage(name: string): name is SabotageName {
  return (SABOTAGES as readonly string[]).includes(name);
}

/** The context with `send` rewritten: every payload leaves as `rewrite` makes it. */
function rewritingContext(ctx: ActorContext, rewrite: (payload: Payload) => Payload): ActorContext {
  return {
    get now() { return ctx.now; },
    self: ctx.self,
    random: () => ctx.random(),
    send: (port, payload, delayUs) => ctx.send(port, rewrite(payload), delayUs),
    setTimer: (delayUs, payload) => ctx.setTimer(delayUs, payload),
    cancelTimer: (timerId) => ctx.cancelTimer(timerId),
    linkUp: (port) => ctx.linkUp(port),
    setPortEnabled: (port, enabled) => ctx.setPortEnabled(port, enabled),
    console: (text) => ctx.console(text),
    ems: (source, severity, text) => ctx.ems(source, severity, text),
    publish: (path, value) => ctx.publish(path, value),
  };
}

type Handle = (state: unknown, event: ActorEvent, ctx: ActorContext) => void;

function mirrorAckWithoutStore(handle: Handle): Handle {
  return (state, event, ctx) => {
    if (event.type === 'message' && event.payload.kind === 'nvram.mirror') {
      const entries = (event.payload['entries'] ?? []) as readonly { readonly seq: number }[];
      ctx.send(event.port, { kind: 'nvram.mirror-ack', upToSeq: entries.at(-1)?.seq ?? 0 });
      return;
    }
    handle(state, event, ctx);
  };
}

function preemptSkipped(handle: Handle): Handle {
  return (state, event, ctx) => handle(state, event, rewritingContext(ctx, (payload) => {
    const command = payload['command'] as { op?: unknown } | undefined;
    return payload.kind === 'scsi.request' && command?.op === 'pr-preempt' ? { ...payload, command: { op: 'pr-read' } } : payload;
  }));
}

const BREAKERS: Readonly<Record<SabotageName, (handle: Handle) => Handle>> = {
  'mirror-ack-without-store': mirrorAckWithoutStore,
  'preempt-skipped': preemptSkipped,
};

/** The registry with the filer behaviour broken as `name` says, for SABOTAGED_FILER only. */
export function sabotagedRegistry(name: SabotageName, registry: BehaviorRegistry): BehaviorRegistry {
  const filer = registry['filer'];
  if (!filer) throw new Error('the registry has no filer behaviour to sabotage');
  const original: Handle = (state, event, ctx) => filer.handle(state, event, ctx);
  const broken = BREAKERS[name](original);
  const wrapper = Object.create(filer) as ActorBehavior;
  wrapper.handle = (state, event, ctx) => (ctx.self === SABOTAGED_FILER ? broken : original)(state, event, ctx);
  return { ...registry, filer: wrapper };
}
