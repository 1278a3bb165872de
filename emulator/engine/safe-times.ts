// How far each partition may run before it could hear from anything (conservative PDES: the earliest
// input time). Whatever reaches an actor crosses a cable: a message no sooner than L after it was sent,
// and a port turned off or on tells the far end L later whatever the cable's latency. So an actor
// whose next event is at t cannot touch an actor k cables away before t + k·L, and a partition may run
// every event before the earliest such time over all actors — its own included, since its actors'
// messages, even to each other, leave through the conductor. A filer two cables from the clients that
// drive it then runs 2 L at a barrier, not L, and a window that needs no thread costs none.
import { LOOKAHEAD_US } from './actor.ts';
import type { ActorId, Micros } from './actor.ts';
import type { LabSpec } from './lab-spec.ts';

export class SafeTimes {
  /** Actor index by id (spec order). */
  readonly indexOf = new Map<ActorId, number>();
  /** Per partition, per actor: the least time from an event of that actor to an input of the partition. */
  private readonly reach: Float64Array[];

  constructor(spec: LabSpec, partitions: readonly (readonly ActorId[])[]) {
    spec.actors.forEach((actor, index) => this.indexOf.set(actor.id, index));
    const count = spec.actors.length;
    const neighbours: number[][] = spec.actors.map(() => []);
    for (const cable of spec.cables) {
      const a = this.indexOf.get(cable.a.actor);
      const b = this.indexOf.get(cable.b.actor);
      if (a === undefined || b === undefined) continue;
      neighbours[a].push(b);
      neighbours[b].push(a);
    }
    // Cables crossed from each actor to each other one (breadth first: every cable counts as L).
    const hops = spec.actors.map((_, from) => hopsFrom(from, neighbours, count));
    this.reach = partitions.map((members) => {
      const inside = members.map((id) => this.indexOf.get(id)!);
      const reach = new Float64Array(count).fill(Infinity);
      for (let from = 0; from < count; from++) {
        let least = Infinity;
        for (const to of inside) {
          // Back to itself: at least one cable out and the way back.
          const cables = from === to ? Math.min(Infinity, ...neighbours[from].map((next) => 1 + hops[next][from])) : hops[from][to];
          if (cables < least) least = cables;
        }
        reach[from] = least * LOOKAHEAD_US;
      }
      return reach;
    });
  }

  get actorCount(): number {
    return this.indexOf.size;
  }

  /**
   * The time before which `partition` can receive nothing it does not already hold, given each actor's
   * earliest pending event (its queue or something on its way to it), indexed as `indexOf`.
   */
  horizon(partition: number, earliest: Float64Array): Micros {
    const reach = this.reach[partition];
    let horizon = Infinity;
    for (let actor = 0; actor < earliest.length; actor++) {
      const time = earliest[actor] + reach[actor];
      if (time < horizon) horizon = time;
    }
    return horizon;
  }
}

function hopsFrom(from: number, neighbours: readonly number[][], count: number): number[] {
  const hops = new Array<number>(count).fill(Infinity);
  hops[from] = 0;
  const frontier = [from];
  for (let head = 0; head < frontier.length; head++) {
    const at = frontier[head];
    for (const next of neighbours[at]) {
      if (hops[next] !== Infinity) continue;
      hops[next] = hops[at] + 1;
      frontier.push(next);
    }
  }
  return hops;
}
