// A lab frozen as plain data (DESIGN.md §2, v86's save states): the topology, the seed, the conductor's
// own state and every actor's. JSON-safe as long as actor states are; carries a format version.
import type { LabInput, LabSpec, StampedInput } from './lab-spec.ts';
import { checkLabSpec } from './spec-check.ts';
import type { ActorPanic, ActorSnapshot, Delivery, PortChange } from './window.ts';

export const LAB_SNAPSHOT_FORMAT = 'filerlab-lab-snapshot';
/** 2: filers carry the HA slot, storage's disk access, unmirrored writes waiting for a CP and replayed requests. */
export const LAB_SNAPSHOT_VERSION = 2;

export interface InFlight {
  readonly cable: string;
  readonly delivery: Delivery;
}

export interface LabSnapshot {
  readonly format: typeof LAB_SNAPSHOT_FORMAT;
  readonly version: number;
  readonly spec: LabSpec;
  readonly seed: number;
  readonly nowUs: number;
  readonly eventsHandled: number;
  readonly nextInputSequence: number;
  readonly nextLinkSequence: number;
  readonly inputLog: readonly StampedInput[];
  /** Inputs received but not yet stamped (they enter at the next window). */
  readonly pendingInputs: readonly LabInput[];
  readonly pendingDeliveries: readonly Delivery[];
  readonly inFlight: readonly InFlight[];
  readonly pendingPortChanges: readonly PortChange[];
  readonly unplugged: readonly string[];
  readonly disabledPorts: readonly string[];
  readonly panics: readonly ActorPanic[];
  /** In actor-id order. */
  readonly actors: readonly ActorSnapshot[];
}

/**
 * Checks a snapshot read from outside (a saved lab that passed its checksum may still be hand-made):
 * its envelope, its topology (spec-check.ts), the conductor's numbers and lists, and one snapshot per
 * actor of the topology, each of the shape a partition restores. Returns why it cannot be restored.
 * Actor states are the behaviours' own: a behaviour that cannot read one panics that actor, no more.
 */
export function checkSnapshot(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'a lab snapshot is a JSON object';
  const snapshot = value as Partial<Record<keyof LabSnapshot, unknown>>;
  if (snapshot.format !== LAB_SNAPSHOT_FORMAT) return `not a lab snapshot (format ${JSON.stringify(snapshot.format)})`;
  if (snapshot.version !== LAB_SNAPSHOT_VERSION) return `lab snapshot version ${String(snapshot.version)} is not supported (this build reads ${LAB_SNAPSHOT_VERSION})`;
  if (!snapshot.spec || !Array.isArray(snapshot.actors)) return 'lab snapshot lacks its topology or actors';
  const specProblem = checkLabSpec(snapshot.spec);
  if (specProblem) return `lab snapshot topology: ${specProblem}`;
  for (const field of ['seed', 'nowUs', 'eventsHandled', 'nextInputSequence', 'nextLinkSequence'] as const) {
    if (!isCount(snapshot[field])) return `lab snapshot ${field} must be a whole number, not ${JSON.stringify(snapshot[field])}`;
  }
  const spec = snapshot.spec as LabSpec;
  const nowUs = snapshot.nowUs as number;
  const ids = new Set(spec.actors.map((actor) => actor.id));
  const cables = new Set(spec.cables.map((cable) => cable.id));
  const lists: [string, unknown, (item: unknown) => boolean][] = [
    ['inputLog', snapshot.inputLog, (item) => isRecord(item) && isCount(item['atUs']) && (item['atUs'] as number) <= nowUs && isCount(item['sequence']) && isRecord(item['input'])],
    ['pendingInputs', snapshot.pendingInputs, isRecord],
    ['pendingDeliveries', snapshot.pendingDeliveries, (item) => isDelivery(item, ids)],
    ['inFlight', snapshot.inFlight, (item) => isRecord(item) && typeof item['cable'] === 'string' && cables.has(item['cable']) && isDelivery(item['delivery'], ids)],
    ['pendingPortChanges', snapshot.pendingPortChanges, (item) => isRecord(item) && isActor(item['actor'], ids) && typeof item['port'] === 'string' && typeof item['enabled'] === 'boolean' && isCount(item['atUs'])],
    ['unplugged', snapshot.unplugged, (item) => typeof item === 'string'],
    ['disabledPorts', snapshot.disabledPorts, (item) => typeof item === 'string'],
    ['panics', snapshot.panics, (item) => isRecord(item) && isActor(item['actor'], ids) && isCount(item['atUs']) && typeof item['reason'] === 'string'],
  ];
  for (const [name, list, fits] of lists) {
    if (!Array.isArray(list)) return `lab snapshot ${name} must be a list`;
    const bad = list.findIndex((item) => !fits(item));
    if (bad >= 0) return `lab snapshot ${name}.${bad} is malformed${name === 'pendingDeliveries' || name === 'inFlight' || name === 'panics' || name === 'pendingPortChanges' ? ' (or names an actor or cable the topology does not have)' : ''}`;
  }
  return checkActors(snapshot.actors, ids);
}

/** One snapshot per actor of the topology, none other, each restorable by a partition. */
function checkActors(actors: readonly unknown[], ids: ReadonlySet<string>): string | undefined {
  if (actors.length !== ids.size) return `lab snapshot has ${actors.length} actor states for the ${ids.size} actors of its topology`;
  const seen = new Set<string>();
  for (const [index, actor] of actors.entries()) {
    if (!isRecord(actor) || !isActor(actor['id'], ids)) return `lab snapshot actors.${index} is not an actor of its topology`;
    const id = actor['id'];
    if (seen.has(id)) return `lab snapshot holds actor ${id} twice`;
    seen.add(id);
    const problem = actorStateProblem(actor);
    if (problem) return `lab snapshot actor ${id}: ${problem}`;
  }
  return undefined;
}

function actorStateProblem(actor: Record<string, unknown>): string | undefined {
  if (!Array.isArray(actor['queue']) || !actor['queue'].every(isQueued)) return 'its event queue is malformed';
  if (!isWords(actor['prng'], 4)) return 'its PRNG state is not four 32-bit words';
  if (!isWords(actor['trace'], 2)) return 'its trace is not two 32-bit words';
  if (!isCount(actor['nextSequence']) || !isCount(actor['nextTimerId']) || !isCount(actor['eventsHandled'])) return 'its counters are not whole numbers';
  if (!Array.isArray(actor['liveTimers']) || !actor['liveTimers'].every(isCount)) return 'its timers are not whole numbers';
  for (const field of ['disabledPorts', 'carrier'] as const) {
    if (!Array.isArray(actor[field]) || !actor[field].every((port) => typeof port === 'string')) return `its ${field} are not port names`;
  }
  if (actor['panic'] !== null && typeof actor['panic'] !== 'string') return 'its panic is neither null nor a reason';
  return undefined;
}

function isQueued(item: unknown): item is Record<string, unknown> {
  return isRecord(item) && isCount(item['atUs']) && typeof item['source'] === 'string' && isCount(item['sequence'])
    && isRecord(item['event']) && typeof item['event']['type'] === 'string';
}

function isDelivery(item: unknown, ids: ReadonlySet<string>): boolean {
  return isQueued(item) && isActor(item['actor'], ids);
}

function isActor(value: unknown, ids: ReadonlySet<string>): value is string {
  return typeof value === 'string' && ids.has(value);
}

function isWords(value: unknown, count: number): boolean {
  return Array.isArray(value) && value.length === count && value.every((word) => Number.isInteger(word) && word >= -0x8000_0000 && word <= 0xffff_ffff);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
