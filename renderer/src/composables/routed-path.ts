// A client's traffic routed through another node (seed 004 claims 8, 9) as the diagram draws it: the
// run summary's `clients.<c>.lastPath` (`c1>node2>node1`: the client, the node routing for the serving
// node, the serving node) followed over the Ethernet cables that carry it — through the switches, into
// the router on the port standing in for the vserver's address, out toward the serving node. A path of
// client>address or client>node is not routed and draws nothing. Pure, tested without a DOM.
import { cablePath } from './cable-geometry.ts';
import type { Anchor, CableLine } from './diagram-layout.ts';
import { clientPath, summaryOf } from './inspector-cards.ts';

type State = Readonly<Record<string, unknown>>;
type Actors = ReadonlyArray<{ readonly id: string; readonly kind: string }>;

/** One cable crossed, in the direction travelled. */
interface Crossing { readonly from: Anchor; readonly to: Anchor }

export interface RoutedPath {
  readonly client: string;
  /** The nodes between the client and the serving node, in order. */
  readonly routers: readonly string[];
  readonly serving: string;
  /** The SVG path over the cables crossed. */
  readonly d: string;
  /** Where the path enters the first router: the label sits on that cable. */
  readonly entry: { readonly from: Anchor; readonly to: Anchor };
}

/** Whether a node says it routes for another now (`filers.<router>.routing.for`). */
function routesFor(state: State, router: string, node: string): boolean {
  const routing = summaryOf(state, `summary.filers.${router}`)['routing'] as { for?: unknown } | undefined;
  return Array.isArray(routing?.for) && routing.for.includes(node);
}

/**
 * The path's hops when it goes through a router node: [client, ...routers, serving], all lab parts, while
 * each router still routes for the serving node (a client that stopped sending keeps its last path).
 */
export function routedHops(state: State, actors: Actors, client: string): string[] | undefined {
  const hops = clientPath(state, client);
  const filers = new Set(actors.filter((actor) => actor.kind === 'filer').map((actor) => actor.id));
  if (hops.length < 3 || hops[0] !== client || !hops.slice(1).every((hop) => filers.has(hop))) return undefined;
  const serving = hops[hops.length - 1];
  return hops.slice(1, -1).every((router) => routesFor(state, router, serving)) ? hops : undefined;
}

/** The ports (`node:port`) a client's vserver has its addresses on now: the router's stand-in port among them. */
function vserverPorts(state: State, client: string): Set<string> {
  const vserver = summaryOf(state, `summary.clients.${client}`)['vserver'];
  const entry = typeof vserver === 'string' ? summaryOf(state, 'summary.vservers')[vserver] : undefined;
  const lifs = (entry as { lifs?: Record<string, unknown> } | undefined)?.lifs ?? {};
  return new Set(Object.values(lifs).flatMap((lif) => {
    const port = (lif as { port?: unknown } | null)?.port;
    return typeof port === 'string' ? [port] : [];
  }));
}

/**
 * The fewest Ethernet cables from one part to another, through switches only, over cables that carry
 * traffic (`usable`); among equals, one that arrives on a `preferred` port. Breadth first, in cable order.
 */
export function cableRoute(from: string, to: string, cables: readonly CableLine[], switches: ReadonlySet<string>,
  usable: (cable: CableLine) => boolean, preferred: (end: Anchor) => boolean = () => false): Crossing[] | undefined {
  const ethernet = cables.filter((cable) => cable.kind === 'ethernet' && usable(cable));
  const search = (arrival: (end: Anchor) => boolean): Crossing[] | undefined => {
    const reached = new Map<string, Crossing[]>([[from, []]]);
    let frontier = [from];
    // Each round reaches parts one cable further; no route is longer than the number of cables.
    for (let round = 0; round <= ethernet.length && frontier.length > 0; round++) {
      const next: string[] = [];
      for (const part of frontier) {
        if (part !== from && !switches.has(part)) continue;
        for (const cable of ethernet) {
          for (const [near, far] of [[cable.a, cable.b], [cable.b, cable.a]] as const) {
            if (near.actor !== part || reached.has(far.actor) || (far.actor === to && !arrival(far))) continue;
            const crossings = [...(reached.get(part) ?? []), { from: near, to: far }];
            if (far.actor === to) return crossings;
            reached.set(far.actor, crossings);
            next.push(far.actor);
          }
        }
      }
      frontier = next;
    }
    return undefined;
  };
  return search(preferred) ?? search(() => true);
}

/** The SVG path over the cables crossed, each drawn as DiagramCable draws it. */
function pathOver(crossings: readonly Crossing[]): string {
  return crossings.map((crossing) => cablePath(crossing.from, crossing.to)).join(' ');
}

/** Every client's routed path, drawn over the cables that carry it now; none while nothing is routed. */
export function routedPaths(state: State, actors: Actors, cables: readonly CableLine[], usable: (cable: CableLine) => boolean): RoutedPath[] {
  const switches = new Set(actors.filter((actor) => actor.kind === 'switch').map((actor) => actor.id));
  return actors.filter((actor) => actor.kind === 'client').flatMap((client) => {
    const hops = routedHops(state, actors, client.id);
    if (!hops) return [];
    const standIn = vserverPorts(state, client.id);
    const crossings: Crossing[] = [];
    for (let index = 1; index < hops.length; index++) {
      const leg = cableRoute(hops[index - 1], hops[index], cables, switches, usable, (end) => standIn.has(`${end.actor}:${end.port}`));
      if (!leg) return [];
      crossings.push(...leg);
    }
    const entry = crossings.find((crossing) => crossing.to.actor === hops[1]);
    if (!entry) return [];
    return [{ client: client.id, routers: hops.slice(1, -1), serving: hops[hops.length - 1], d: pathOver(crossings), entry }];
  });
}
