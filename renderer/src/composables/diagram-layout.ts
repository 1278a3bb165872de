// Where each part of a lab sits in the wiring diagram, computed from the topology alone: clients on
// top, then switches, filers, and shelves at the bottom; each cable end is anchored on the edge of its
// box that faces the far end. Pure, so it is tested without a DOM.
import type { TopologyView } from '../stores/lab-types.ts';
import { dataVserverNames, VSERVER_BOX } from './vserver-view.ts';

export interface NodeBox { id: string; kind: string; x: number; y: number; width: number; height: number }
export interface Anchor { actor: string; port: string; x: number; y: number }
export type CableLoop = 'A' | 'B' | undefined;
export interface CableLine { id: string; kind: string; loop: CableLoop; a: Anchor; b: Anchor }
export interface DiagramLayout { width: number; height: number; nodes: NodeBox[]; cables: CableLine[] }

const MIN_WIDTH = 1200;
const GAP = 40;
const ROWS: Record<string, { y: number; width: number; height: number }> = {
  client: { y: 20, width: 130, height: 48 },
  switch: { y: 140, width: 170, height: 44 },
  filer: { y: 250, width: 240, height: 110 },
  shelf: { y: 440, width: 300, height: 96 },
};
const OTHER_ROW = { y: 590, width: 150, height: 50 };

export function layoutLab(topology: TopologyView): DiagramLayout {
  const byKind = new Map<string, string[]>();
  for (const actor of topology.actors) byKind.set(actor.kind, [...(byKind.get(actor.kind) ?? []), actor.id]);
  // Wide enough that the fullest row keeps a gap between its boxes (cluster-4 has four shelves).
  const width = Math.max(MIN_WIDTH, ...[...byKind].map(([kind, ids]) => ids.length * ((ROWS[kind] ?? OTHER_ROW).width + GAP)));
  // A cluster's nodes hold their vservers' boxes under the front panel: room for all of them on one node
  // (they gather on the survivors after failovers), and the rows below move down as much.
  const vserverRows = Math.ceil(dataVserverNames(topology.actors).length / 2);
  const grow = vserverRows === 0 ? 0 : VSERVER_BOX.top - ROWS.filer.height + vserverRows * (VSERVER_BOX.height + VSERVER_BOX.gap);
  const nodes: NodeBox[] = [];
  for (const actor of topology.actors) {
    const base = ROWS[actor.kind] ?? OTHER_ROW;
    const row = actor.kind === 'filer' ? { ...base, height: base.height + grow } : base.y > ROWS.filer.y ? { ...base, y: base.y + grow } : base;
    const peers = byKind.get(actor.kind) ?? [actor.id];
    const slot = width / peers.length;
    const x = slot * peers.indexOf(actor.id) + (slot - row.width) / 2;
    nodes.push({ id: actor.id, kind: actor.kind, x, y: row.y, width: row.width, height: row.height });
  }
  const boxes = new Map(nodes.map((node) => [node.id, node]));
  const anchors = anchorPorts(topology, boxes);
  const cables = topology.cables.flatMap((cable): CableLine[] => {
    const a = anchors.get(`${cable.a.actor}:${cable.a.port}`);
    const b = anchors.get(`${cable.b.actor}:${cable.b.port}`);
    if (!a || !b) return [];
    return [{ id: cable.id, kind: cable.kind, loop: loopOf(cable, boxes), a, b }];
  });
  const height = Math.max(...nodes.map((node) => node.y + node.height), 400) + 20;
  return { width, height, nodes, cables };
}

/** FC loop A or B, by the shelf module the cable reaches (A/B), else by the filer port's letter parity. */
export function loopOf(cable: TopologyView['cables'][number], boxes: Map<string, NodeBox>): CableLoop {
  if (cable.kind !== 'fc') return undefined;
  for (const end of [cable.a, cable.b]) {
    if (boxes.get(end.actor)?.kind === 'shelf') {
      const module = end.port.charAt(0).toUpperCase();
      if (module === 'A' || module === 'B') return module;
    }
  }
  const letter = cable.a.port.match(/^\d+([a-z])$/)?.[1];
  return letter ? ((letter.charCodeAt(0) - 97) % 2 === 0 ? 'A' : 'B') : undefined;
}

type Side = 'top' | 'bottom' | 'left' | 'right';

function anchorPorts(topology: TopologyView, boxes: Map<string, NodeBox>): Map<string, Anchor> {
  // Group each box's cable ends by the side facing the far end, ordered by the far end's position.
  const sides = new Map<string, Array<{ actor: string; port: string; toward: number }>>();
  for (const cable of topology.cables) {
    for (const [near, far] of [[cable.a, cable.b], [cable.b, cable.a]] as const) {
      const box = boxes.get(near.actor);
      const other = boxes.get(far.actor);
      if (!box || !other) continue;
      const side = sideFacing(box, other);
      const toward = side === 'top' || side === 'bottom' ? other.x + other.width / 2 : other.y;
      const key = `${near.actor}|${side}`;
      sides.set(key, [...(sides.get(key) ?? []), { actor: near.actor, port: near.port, toward }]);
    }
  }
  const anchors = new Map<string, Anchor>();
  for (const [key, ends] of sides) {
    const [actor, side] = key.split('|') as [string, Side];
    const box = boxes.get(actor) as NodeBox;
    ends.sort((left, right) => left.toward - right.toward || left.port.localeCompare(right.port));
    ends.forEach((end, index) => {
      const fraction = (index + 1) / (ends.length + 1);
      const x = side === 'left' ? box.x : side === 'right' ? box.x + box.width : box.x + box.width * fraction;
      const y = side === 'top' ? box.y : side === 'bottom' ? box.y + box.height : box.y + box.height * fraction;
      anchors.set(`${end.actor}:${end.port}`, { actor: end.actor, port: end.port, x, y });
    });
  }
  return anchors;
}

function sideFacing(box: NodeBox, other: NodeBox): Side {
  if (other.y >= box.y + box.height) return 'bottom';
  if (other.y + other.height <= box.y) return 'top';
  return other.x > box.x ? 'right' : 'left';
}

/** A cable's stroke: its FC loop's colour, or its kind's. */
export function cableColour(cable: Pick<CableLine, 'kind' | 'loop'>): string {
  if (cable.kind === 'fc') return cable.loop === 'B' ? 'var(--loop-b)' : 'var(--loop-a)';
  if (cable.kind === 'interconnect') return 'var(--interconnect)';
  return 'var(--ethernet)';
}
