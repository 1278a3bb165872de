// Sabotages: the filer behaviour broken on purpose, to prove that the fuzzer catches real bugs (a
// fuzzer that finds nothing in broken code proves nothing about working code). Each wraps the filer
// behaviour of the registry, as the bench's timed registry does, and touches one filer's messages only
// (the narrow door: what it receives and sends), never the code under emulator/ontap. For tests and
// `filerlab fuzz --sabotage NAME`; never on in a normal run.
//
//   mirror-ack-without-store  filerB acknowledges the partner's NVRAM mirror entries without keeping
//                             them: a takeover replays nothing, and writes acknowledged since the last
//                             CP are lost (durability). The watcher's invariant 6 check sees the acks
//                             outrun what filerB holds at its first sample.
//   replay-skipped            filerB forgets to replay filerA's NVRAM half at takeover (it empties it
//                             as the mount starts): writes acknowledged since filerA's last CP are
//                             lost (durability). Shows only after a takeover of filerA.
//   preempt-skipped           filerB registers its key on filerA's disks instead of preempting filerA's
//                             reservation at takeover: filerA is not fenced (invariant 2), so the
//                             takeover cannot write, or a filerA that comes back writes beside it.
//   interconnect-only          filerB reads nothing from filerA's mailbox disks, so it judges filerA by
//                             the interconnect alone: losing both interconnect cables makes it take
//                             over a filerA that is alive (invariant 7), which then halts on the
//                             reservation conflict, an outage the mailbox heartbeat exists to prevent.
import type { ActorBehavior, ActorContext, ActorEvent, BehaviorRegistry } from '../../engine/actor.ts';

export const SABOTAGES = ['mirror-ack-without-store', 'replay-skipped', 'preempt-skipped', 'interconnect-only'] as const;
export type SabotageName = (typeof SABOTAGES)[number];

/** The filer the sabotages break. */
const SABOTAGED_FILER = 'filerB';

export function isSabotage(name: string): name is SabotageName {
  return (SABOTAGES as readonly string[]).includes(name);
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

function replaySkipped(handle: Handle): Handle {
  return (state, event, ctx) => {
    handle(state, event, ctx);
    // Plain-data reads of the filer's slots: the partner half is emptied while the takeover scans.
    const filer = state as { chassis: { nvram: { partner: { entries: unknown[]; bytes: number } } }; subsystems: Record<string, unknown> };
    const storage = filer.subsystems['storage'] as { partner?: { status?: string } | null } | undefined;
    if (storage?.partner?.status === 'scanning') {
      filer.chassis.nvram.partner.entries = [];
      filer.chassis.nvram.partner.bytes = 0;
    }
  };
}

function preemptSkipped(handle: Handle): Handle {
  return (state, event, ctx) => {
    // The filer's own door to the world, with its SCSI preempts turned into plain registrations.
    const door = Object.create(ctx) as ActorContext;
    door.send = (port, payload, delayUs) => {
      const command = payload.kind === 'scsi.request' ? payload['command'] as { op?: string; key?: unknown } | undefined : undefined;
      const sent = command?.op === 'pr-preempt' ? { ...payload, command: { op: 'pr-register', key: command.key } } : payload;
      ctx.send(port, sent, delayUs);
    };
    handle(state, event, door);
  };
}

function interconnectOnly(handle: Handle): Handle {
  // Plain-data reads of the storage slot: every mailbox read that comes back is emptied, before and
  // after each event, so no record of filerA's (no moving heartbeat counter) is ever seen.
  const blank = (state: unknown): void => {
    const filer = state as { subsystems: Record<string, unknown> };
    const storage = filer.subsystems['storage'] as { mailbox?: { reads: Record<number, { records: object; answered: unknown } | null> } } | undefined;
    const reads = storage?.mailbox?.reads ?? {};
    for (const [id, result] of Object.entries(reads)) if (result !== null) reads[Number(id)] = { ...result, records: {} };
  };
  return (state, event, ctx) => {
    blank(state);
    handle(state, event, ctx);
    blank(state);
  };
}

const BREAKERS: Readonly<Record<SabotageName, (handle: Handle) => Handle>> = {
  'mirror-ack-without-store': mirrorAckWithoutStore,
  'replay-skipped': replaySkipped,
  'preempt-skipped': preemptSkipped,
  'interconnect-only': interconnectOnly,
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
