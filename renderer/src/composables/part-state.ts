// Per-part views of the lab state for the diagram. Every delta replaces the whole state map; handing
// that map to every part made all of them re-render on each delta (a fault storm on cluster-4 dropped
// frames). Here each part gets only the paths of the actors it draws from, and the very same object as
// last time when none of those changed, so Vue skips the parts a delta did not touch.
type State = Readonly<Record<string, unknown>>;

/** The state's paths grouped by their actor (the text before the first dot), in one pass. */
export function groupByActor(state: State): Map<string, Array<[string, unknown]>> {
  const groups = new Map<string, Array<[string, unknown]>>();
  for (const path in state) {
    const dot = path.indexOf('.');
    const actor = dot < 0 ? path : path.slice(0, dot);
    let group = groups.get(actor);
    if (!group) groups.set(actor, (group = []));
    group.push([path, state[path]]);
  }
  return groups;
}

/** The paths of `actors`, or `previous` itself when it holds exactly the same paths and values. */
export function stableSlice(groups: Map<string, Array<[string, unknown]>>, actors: readonly string[], previous: State | undefined): State {
  let count = 0;
  let same = previous !== undefined;
  for (const actor of actors) {
    for (const [path, value] of groups.get(actor) ?? []) {
      count++;
      if (same && previous![path] !== value) same = false;
    }
  }
  if (same && Object.keys(previous!).length === count) return previous!;
  const slice: Record<string, unknown> = {};
  for (const actor of actors) for (const [path, value] of groups.get(actor) ?? []) slice[path] = value;
  return slice;
}

/**
 * Keeps one slice per part across snapshots. `sourcesOf(part)` names the actors a part draws from (a
 * shelf's bays show its filers' disk roles, so a shelf reads its filers too).
 */
export function createPartSlices(sourcesOf: (part: string) => readonly string[]) {
  let slices = new Map<string, State>();
  return (state: State, parts: readonly string[]): Map<string, State> => {
    const groups = groupByActor(state);
    const next = new Map<string, State>();
    for (const part of parts) next.set(part, stableSlice(groups, sourcesOf(part), slices.get(part)));
    slices = next;
    return next;
  };
}
