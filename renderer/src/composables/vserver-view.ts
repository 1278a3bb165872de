// A cluster's vservers as the diagram draws them (issue 17): each data vserver on the node serving it
// (the run summary's `summary.vservers`, host/summary-view.ts), its addresses with the port each is on,
// its load; the master node; each node's and port's load.
// The node vservers (named after their node) are the node's own addresses, drawn as address tags.
// Pure, tested without a DOM.
import type { NodeBox } from './diagram-layout.ts';
import { summaryOf } from './inspector-cards.ts';

type State = Readonly<Record<string, unknown>>;
type Actors = ReadonlyArray<{ readonly id: string; readonly kind: string; readonly config: unknown }>;

export interface VserverLif { readonly address: string; readonly port: string }
export interface VserverView {
  readonly name: string;
  readonly node: string | undefined;
  readonly state: string;
  readonly load: number;
  readonly priority: number | undefined;
  readonly migrations: number;
  readonly lifs: readonly VserverLif[];
}

/** Data vservers of the topology (config `vservers` not named after a filer), in name order. */
export function dataVserverNames(actors: Actors): string[] {
  const filers = new Set(actors.filter((actor) => actor.kind === 'filer').map((actor) => actor.id));
  const names = new Set<string>();
  for (const actor of actors) {
    if (actor.kind !== 'filer') continue;
    const vservers = (actor.config as { vservers?: unknown } | null)?.vservers;
    for (const vserver of Array.isArray(vservers) ? vservers : []) {
      const name = (vserver as { name?: unknown }).name;
      if (typeof name === 'string' && !filers.has(name)) names.add(name);
    }
  }
  return [...names].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/** Addresses that belong to data vservers (their boxes show them; the ports' tags leave them out). */
export function dataVserverAddresses(actors: Actors): Set<string> {
  const names = new Set(dataVserverNames(actors));
  const addresses = new Set<string>();
  for (const actor of actors) {
    const vservers = (actor.config as { vservers?: unknown } | null)?.vservers;
    for (const vserver of Array.isArray(vservers) ? vservers : []) {
      const entry = vserver as { name?: unknown; addresses?: unknown };
      if (typeof entry.name !== 'string' || !names.has(entry.name)) continue;
      for (const item of Array.isArray(entry.addresses) ? entry.addresses : []) {
        const address = (item as { address?: unknown }).address;
        if (typeof address === 'string') addresses.add(address.split('/')[0]);
      }
    }
  }
  return addresses;
}

const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);

/** Each data vserver where the summary puts it now (node undefined before the first summary). */
export function vserverViews(state: State, names: readonly string[]): VserverView[] {
  const all = summaryOf(state, 'summary.vservers');
  return names.map((name) => {
    const entry = (all[name] ?? {}) as Record<string, unknown>;
    const lifs = Object.entries((entry['lifs'] ?? {}) as Record<string, unknown>).flatMap(([, lif]) => {
      const { address, port } = (lif ?? {}) as { address?: unknown; port?: unknown };
      return typeof address === 'string' && typeof port === 'string' ? [{ address, port }] : [];
    });
    return {
      name, node: typeof entry['node'] === 'string' ? entry['node'] : undefined, state: typeof entry['state'] === 'string' ? entry['state'] : 'unknown',
      load: num(entry['load']) ?? 0, priority: num(entry['priority']), migrations: num(entry['migrations']) ?? 0, lifs,
    };
  });
}

/** The cluster master (undefined for a lab without a cluster). */
export function clusterMaster(state: State): string | undefined {
  const master = summaryOf(state, 'summary.cluster')['master'];
  return typeof master === 'string' ? master : undefined;
}

export function nodeLoad(state: State, node: string): number | undefined {
  return num(summaryOf(state, `summary.filers.${node}`)['load']);
}

/** A cluster node's Ethernet port as port failover sees it (seed 004 claims 10, 11), with its load. */
export interface PortView {
  readonly load: number | undefined;
  /** up; failed (its addresses moved to a good port); stranded (no good port was left: its addresses are down). */
  readonly state: string;
  /** The addresses (lif names) still on it. */
  readonly lifs: readonly string[];
}

export function portView(state: State, node: string, port: string): PortView | undefined {
  const ports = summaryOf(state, `summary.filers.${node}`)['ports'] as Record<string, { load?: unknown; state?: unknown; vips?: unknown }> | undefined;
  const entry = ports?.[port];
  if (!entry) return undefined;
  const lifs = Array.isArray(entry.vips) ? entry.vips.filter((lif): lif is string => typeof lif === 'string') : [];
  return { load: num(entry.load), state: typeof entry.state === 'string' ? entry.state : 'up', lifs };
}

/** Port failover's words for a port that is not up: where its addresses went; '' for a port that is up. */
export function portFailoverText(port: PortView): string {
  if (port.state === 'stranded') return `stranded: no good port left, ${port.lifs.join(', ') || 'its addresses'} down`;
  return port.state === 'failed' ? 'failed: its addresses moved to a good port' : '';
}

export const NOT_SERVED = 'not served';

export const VSERVER_BOX = { width: 108, height: 50, gap: 8, top: 108 } as const;

export interface PlacedVserver extends VserverView { readonly x: number; readonly y: number }

/** Boxes in two columns inside their node's box, under its front panel, in name order per node. */
export function placeVservers(views: readonly VserverView[], boxes: readonly NodeBox[]): PlacedVserver[] {
  const seen = new Map<string, number>();
  return views.flatMap((view) => {
    const box = boxes.find((candidate) => candidate.id === view.node);
    if (!box) return [];
    const index = seen.get(box.id) ?? 0;
    seen.set(box.id, index + 1);
    const column = index % 2;
    const rowIndex = Math.floor(index / 2);
    const left = box.x + (box.width - 2 * VSERVER_BOX.width - VSERVER_BOX.gap) / 2;
    return [{ ...view, x: left + column * (VSERVER_BOX.width + VSERVER_BOX.gap), y: box.y + VSERVER_BOX.top + rowIndex * (VSERVER_BOX.height + VSERVER_BOX.gap) }];
  });
}

/**
 * A vserver no node serves (its node failed and the master has not placed it yet, or placed it nowhere)
 * has no node in the summary: it stays drawn on the node it was last seen on, as `not served`, so its box
 * glides on from there when it is placed. `lastSeen` is updated with every vserver that has a node.
 */
export function keepLastNode(views: readonly VserverView[], lastSeen: Map<string, string>): VserverView[] {
  return views.map((view) => {
    if (view.node !== undefined) {
      lastSeen.set(view.name, view.node);
      return view;
    }
    const last = lastSeen.get(view.name);
    return last === undefined ? view : { ...view, node: last, state: NOT_SERVED };
  });
}
