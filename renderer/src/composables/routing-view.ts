// A cluster node's routing (seed 004 claims 8, 9) as the inspector shows it: the subnets it lost and the
// peers routing for it, the peers it routes for and how many frames it forwarded, and its routing table
// as `route -s` prints it (the run summary's `filers.<n>.routing`). Pure, tested without a DOM.
import { summaryOf } from './inspector-cards.ts';

type State = Readonly<Record<string, unknown>>;

export interface RouteRowView { readonly destination: string; readonly gateway: string; readonly flags: string; readonly interface: string }
export interface RoutingView {
  readonly lostSubnets: readonly string[];
  readonly via: readonly string[];
  readonly routesFor: readonly string[];
  readonly forwarded: number;
  readonly table: readonly RouteRowView[];
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

function routeRow(value: unknown): RouteRowView[] {
  const row = (value ?? {}) as Record<string, unknown>;
  const { destination, gateway, flags } = row;
  const port = row['interface'];
  return typeof destination === 'string' && typeof gateway === 'string' && typeof flags === 'string' && typeof port === 'string'
    ? [{ destination, gateway, flags, interface: port }] : [];
}

/** The node's routing, or undefined for a filer that is not a running cluster node. */
export function routingView(state: State, node: string): RoutingView | undefined {
  const routing = summaryOf(state, `summary.filers.${node}`)['routing'];
  if (typeof routing !== 'object' || routing === null) return undefined;
  const facts = routing as Record<string, unknown>;
  return {
    lostSubnets: strings(facts['lostSubnets']), via: strings(facts['via']), routesFor: strings(facts['for']),
    forwarded: typeof facts['forwarded'] === 'number' ? facts['forwarded'] : 0,
    table: Array.isArray(facts['table']) ? facts['table'].flatMap(routeRow) : [],
  };
}

/** One line in words: whom the node routes for, or through whom it reaches a lost subnet; '' when neither. */
export function routingLine(view: RoutingView): string {
  const parts: string[] = [];
  if (view.lostSubnets.length > 0) parts.push(`lost ${view.lostSubnets.join(', ')}: reached via ${view.via.join(', ') || 'no peer'}`);
  if (view.routesFor.length > 0) parts.push(`routes for ${view.routesFor.join(', ')} (${view.forwarded} frames forwarded)`);
  return parts.join(' · ');
}
