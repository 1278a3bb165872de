// The HA messages over the interconnect (DESIGN.md §5): typed, checked on arrival (a malformed one is
// dropped and counted), sent on the first interconnect link that is up.
import type { ActorContext, Payload, PortName } from '../../engine/actor.ts';
import type { FilerState } from '../../hardware/filer/subsystem.ts';
import type { CfState, HaltMode, HaState } from './types.ts';

export type HaMessage =
  /** Every HA tick on every interconnect link: "I am alive, in this state". In takeover it is the stay-down. */
  | {
    readonly kind: 'ha.heartbeat'; readonly seq: number; readonly state: CfState; readonly enabled: boolean; readonly mirrorInSync: boolean;
    /** The sender's monitored faults: its partner watches its health with them (seed 000 claims 22/43). */
    readonly faults: readonly string[];
    /** The pair options (`cf.*`) the sender holds at other than the defaults; absent when none (option-match.ts). */
    readonly pairOptions?: Readonly<Record<string, string>>;
  }
  /** `cf takeover` on the partner: please shut down, I take over when you are down. */
  | { readonly kind: 'ha.please-shutdown'; readonly trigger: string }
  /** The OS is going down now; `takeover` asks the partner to take over (graceful halt, cf takeover). */
  | { readonly kind: 'ha.halting'; readonly mode: HaltMode; readonly trigger: string }
  /** The panic routine's last word (cf.takeover.on_panic): take over now, do not wait out detection. */
  | { readonly kind: 'ha.panic' }
  /** Giveback: the partner's disks are released; boot on. */
  | { readonly kind: 'ha.giveback' }
  /** `cf enable|disable` applies to the pair. */
  | { readonly kind: 'ha.cf-enable'; readonly enabled: boolean }
  /** An option that applies to both members of the pair (`cf.*`) was set on the sender: set it here too. */
  | { readonly kind: 'ha.option'; readonly name: string; readonly value: string }
  /** The sender took a disk (`disk assign`) or gave one up: the partner's `disk show` follows. */
  | { readonly kind: 'ha.disk-owner'; readonly disk: string; readonly change: 'taken' | 'released' }
  /** Negotiated takeover (seeds 000/002): a fault here needs the partner to take over; its type. */
  | { readonly kind: 'ha.takeover-request'; readonly faultType: string }
  /** The partner cannot take over, and why (it sends no please-shutdown, starts no countdown). */
  | { readonly kind: 'ha.refusal'; readonly reason: string }
  /** The countdown ran out with the requester still up: it is taken over now (seed 000 claims 34/55). */
  | { readonly kind: 'ha.takeover-command' }
  /** A fault the sender cannot localise (lost disk paths): is it its own ports, or the shelf? (claims 24/45) */
  | { readonly kind: 'ha.diagnose-request'; readonly faultType: string }
  /** The verdict: `local` (the sender's disks answer here: the fault is the requester's) or `shared`. */
  | { readonly kind: 'ha.diagnosis'; readonly faultType: string; readonly verdict: 'local' | 'shared'; readonly detail: string }
  /** The requester's fault was cured before it halted: the countdown is cancelled, it stays up. */
  | { readonly kind: 'ha.takeover-cancel'; readonly faultType: string }
  /** The taken-over filer, booted and cured, asks for its responsibilities back (claims 38/59). */
  | { readonly kind: 'ha.giveback-request' }
  /** Requests the halting filer had received but not processed, handed over to be answered once (claim 52). */
  | { readonly kind: 'ha.compilation'; readonly cause: string; readonly atUs: number; readonly requests: readonly HandedOverRequest[] };

/** A request as it reached the halting filer: the client's packet, to be served by the taker. */
export interface HandedOverRequest {
  readonly protocol: 'nfs';
  readonly src: string;
  readonly dst: string;
  readonly body: Payload;
}

/** At most this many requests travel in one compilation (a filer has far fewer in flight). */
export const COMPILATION_LIMIT = 256;

export type HaMessageKind = HaMessage['kind'];

const CF_STATES: readonly CfState[] = ['down', 'up', 'taking-over', 'takeover', 'giving-back', 'waiting-for-giveback'];

/** The message, if the payload is a well-formed HA message; null otherwise. */
export function parseHaMessage(payload: Payload): HaMessage | null {
  switch (payload.kind) {
    case 'ha.heartbeat':
      return Number.isInteger(payload['seq']) && CF_STATES.includes(payload['state'] as CfState)
        && typeof payload['enabled'] === 'boolean' && typeof payload['mirrorInSync'] === 'boolean' && shortStrings(payload['faults'], 16)
        && (payload['pairOptions'] === undefined || shortStringMap(payload['pairOptions'], 32))
        ? payload as unknown as HaMessage : null;
    case 'ha.please-shutdown':
      return typeof payload['trigger'] === 'string' ? payload as unknown as HaMessage : null;
    case 'ha.halting':
      return (payload['mode'] === 'takeover' || payload['mode'] === 'notakeover') && typeof payload['trigger'] === 'string'
        ? payload as unknown as HaMessage : null;
    case 'ha.panic':
    case 'ha.giveback':
      return payload as unknown as HaMessage;
    case 'ha.cf-enable':
      return typeof payload['enabled'] === 'boolean' ? payload as unknown as HaMessage : null;
    case 'ha.option':
      return typeof payload['name'] === 'string' && payload['name'].length <= 64 && typeof payload['value'] === 'string' && payload['value'].length <= 64
        ? payload as unknown as HaMessage : null;
    case 'ha.disk-owner':
      return typeof payload['disk'] === 'string' && payload['disk'].length <= 64 && (payload['change'] === 'taken' || payload['change'] === 'released')
        ? payload as unknown as HaMessage : null;
    case 'ha.takeover-request':
      return typeof payload['faultType'] === 'string' && payload['faultType'].length <= 64 ? payload as unknown as HaMessage : null;
    case 'ha.refusal':
      return typeof payload['reason'] === 'string' && payload['reason'].length <= 256 ? payload as unknown as HaMessage : null;
    case 'ha.takeover-command':
    case 'ha.giveback-request':
      return payload as unknown as HaMessage;
    case 'ha.diagnose-request':
    case 'ha.takeover-cancel':
      return typeof payload['faultType'] === 'string' && payload['faultType'].length <= 64 ? payload as unknown as HaMessage : null;
    case 'ha.diagnosis':
      return typeof payload['faultType'] === 'string' && payload['faultType'].length <= 64
        && (payload['verdict'] === 'local' || payload['verdict'] === 'shared')
        && typeof payload['detail'] === 'string' && payload['detail'].length <= 256 ? payload as unknown as HaMessage : null;
    case 'ha.compilation':
      return typeof payload['cause'] === 'string' && payload['cause'].length <= 64 && Number.isFinite(payload['atUs'])
        && Array.isArray(payload['requests']) && payload['requests'].length <= COMPILATION_LIMIT && payload['requests'].every(handedOverRequest)
        ? payload as unknown as HaMessage : null;
    default:
      return null;
  }
}

function shortStrings(value: unknown, max: number): boolean {
  return Array.isArray(value) && value.length <= max && value.every((item) => typeof item === 'string' && item.length <= 64);
}

/** A plain object of at most `max` short string values under short names. */
function shortStringMap(value: unknown, max: number): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  return entries.length <= max && entries.every(([name, item]) => name.length <= 64 && typeof item === 'string' && item.length <= 64);
}

function handedOverRequest(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const request = value as Record<string, unknown>;
  return request['protocol'] === 'nfs' && typeof request['src'] === 'string' && typeof request['dst'] === 'string'
    && typeof request['body'] === 'object' && request['body'] !== null;
}

/** Counter names of the summary (`ha.sent.pleaseShutdown`). */
export function counterName(kind: HaMessageKind): string {
  return kind.slice(3).replace(/-([a-z])/g, (_match, letter: string) => letter.toUpperCase());
}

export function interconnectUp(filer: FilerState, ctx: ActorContext): PortName[] {
  return filer.config.interconnectPorts.filter((port) => ctx.linkUp(port));
}

/** Sends on the first link up (heartbeats go on every link: `everyLink`); false when none is up. */
export function sendHa(ha: HaState, filer: FilerState, ctx: ActorContext, message: HaMessage, everyLink = false): boolean {
  const ports = interconnectUp(filer, ctx);
  if (ports.length === 0 || !filer.config.partner) return false;
  for (const port of everyLink ? ports : ports.slice(0, 1)) ctx.send(port, message as unknown as Payload);
  const name = counterName(message.kind);
  ha.counters.sent[name] = (ha.counters.sent[name] ?? 0) + (everyLink ? ports.length : 1);
  return true;
}
