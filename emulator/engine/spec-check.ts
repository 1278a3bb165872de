// A topology that comes from outside a lab file — a recording's header, a saved lab's snapshot — has not
// been through the lab schema: its shape and its size are checked here before an engine is built from
// it (issue 21). The lab file's own, finer checks stay in emulator/lab; these are the engine's limits.
/** Actors of one lab: far above the biggest lab file (emulator/lab caps filers, shelves, …). */
export const SPEC_ACTORS_MAX = 512;
export const SPEC_CABLES_MAX = 2_048;
/** Placement groups become worker threads (~36 MB each): one per filer, and the lab caps filers. */
export const SPEC_PLACEMENT_GROUPS_MAX = 32;
/** A name of an actor, a port, a lab: what the lab file allows, a little longer. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const CABLE_KINDS: ReadonlySet<string> = new Set(['fc', 'ethernet', 'interconnect', 'power']);
/** Object.prototype's members: never the name of an actor (lookups by name would find them). */
const RESERVED: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

/** Why `value` cannot be a LabSpec to build an engine from, or undefined. `kinds`: the behaviours known. */
export function checkLabSpec(value: unknown, kinds?: readonly string[]): string | undefined {
  if (!isRecord(value)) return 'the topology is not an object';
  if (typeof value['name'] !== 'string' || !NAME.test(value['name'])) return 'the topology has no valid name';
  const actors = value['actors'];
  const cables = value['cables'];
  if (!Array.isArray(actors) || !Array.isArray(cables)) return 'the topology lacks its actors or cables';
  if (actors.length === 0) return 'the topology has no actors';
  if (actors.length > SPEC_ACTORS_MAX) return `the topology has ${actors.length} actors; at most ${SPEC_ACTORS_MAX}`;
  if (cables.length > SPEC_CABLES_MAX) return `the topology has ${cables.length} cables; at most ${SPEC_CABLES_MAX}`;
  const ids = new Set<string>();
  const groups = new Set<string>();
  for (const [index, actor] of actors.entries()) {
    const problem = actorProblem(actor, kinds);
    if (problem) return `actors.${index}: ${problem}`;
    const { id, placementGroup } = actor as { id: string; placementGroup?: string };
    if (ids.has(id)) return `actors.${index}: a second actor named ${id}`;
    ids.add(id);
    if (placementGroup !== undefined) groups.add(placementGroup);
  }
  if (groups.size > SPEC_PLACEMENT_GROUPS_MAX) return `the topology has ${groups.size} placement groups (worker threads); at most ${SPEC_PLACEMENT_GROUPS_MAX}`;
  for (const [index, cable] of cables.entries()) {
    const problem = cableProblem(cable, ids);
    if (problem) return `cables.${index}: ${problem}`;
  }
  const vservers = value['vservers'];
  if (vservers !== undefined && !(Array.isArray(vservers) && vservers.length <= SPEC_ACTORS_MAX && vservers.every((name) => typeof name === 'string' && NAME.test(name)))) {
    return 'vservers must be a list of names';
  }
  return undefined;
}

function actorProblem(actor: unknown, kinds: readonly string[] | undefined): string | undefined {
  if (!isRecord(actor)) return 'not an object';
  const { id, kind, placementGroup } = actor;
  if (typeof id !== 'string' || !NAME.test(id) || RESERVED.has(id)) return `${JSON.stringify(String(id)).slice(0, 80)} is not an actor name`;
  if (typeof kind !== 'string' || kind.length > 64) return 'its kind is not a name';
  if (kinds && !kinds.includes(kind)) return `no behaviour for kind '${kind}'`;
  if (placementGroup !== undefined && (typeof placementGroup !== 'string' || !NAME.test(placementGroup))) return 'its placement group is not a name';
  return undefined;
}

function cableProblem(cable: unknown, ids: ReadonlySet<string>): string | undefined {
  if (!isRecord(cable)) return 'not an object';
  if (typeof cable['id'] !== 'string' || cable['id'].length > 200) return 'its id is not a name';
  if (typeof cable['kind'] !== 'string' || !CABLE_KINDS.has(cable['kind'])) return `kind ${JSON.stringify(cable['kind'])} is not a cable kind`;
  for (const side of ['a', 'b'] as const) {
    const end = cable[side];
    if (!isRecord(end) || typeof end['actor'] !== 'string' || typeof end['port'] !== 'string' || !NAME.test(end['port'])) return `end ${side} is not actor and port`;
    if (!ids.has(end['actor'])) return `end ${side} names no actor of the topology`;
  }
  const latency = cable['latencyUs'];
  if (latency !== undefined && !(typeof latency === 'number' && Number.isSafeInteger(latency) && latency >= 0 && latency <= 60_000_000)) return 'latencyUs must be a whole number of µs up to a minute';
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
