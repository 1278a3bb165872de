// The address tags beside filer Ethernet ports: which addresses each port carries now
// (`<filer>.ports.<port>.addresses`, from the file service) and whose they are. An address's home is
// the filer of the vserver it belongs to (the filers' topology config); a tag on another filer's port
// (after a takeover) is marked as the partner's, `10.1.1.10 (filerA)`.
import { boxesOverlap, cablePoints, lineCrossesBox, type Box } from './cable-geometry.ts';
import type { Anchor } from './diagram-layout.ts';

interface VserverConfigView { home?: unknown; addresses?: unknown }

/** Address (without its /prefix) → the filer whose vserver it belongs to. */
export function addressHomes(actors: ReadonlyArray<{ id: string; kind: string; config: unknown }>): Map<string, string> {
  const homes = new Map<string, string>();
  for (const actor of actors) {
    if (actor.kind !== 'filer') continue;
    const vservers = (actor.config as { vservers?: unknown } | undefined)?.vservers;
    if (!Array.isArray(vservers)) continue;
    for (const vserver of vservers as VserverConfigView[]) {
      const home = typeof vserver.home === 'string' ? vserver.home : actor.id;
      for (const entry of Array.isArray(vserver.addresses) ? vserver.addresses : []) {
        const address = (entry as { address?: unknown }).address;
        if (typeof address === 'string') homes.set(address.split('/')[0], home);
      }
    }
  }
  return homes;
}

export interface AddressTag {
  readonly address: string;
  readonly anchor: Anchor;
  /** The filer the address belongs to (the port's own filer when unknown). */
  readonly home: string;
  /** On another filer's port than its home's. */
  readonly moved: boolean;
  readonly label: string;
  /** The pill's top-left corner (its text baseline is 11 below) and width. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
}

export const TAG_HEIGHT = 17;
const PILL_HEIGHT = 15;
const CHAR_WIDTH = 6.6;
/** Clearance kept between a pill and any cable line (layout units). */
const CABLE_MARGIN = 1.5;

interface Spot { readonly x: number; readonly y: number; readonly distance: number }

/**
 * Where a tag may sit beside its port, nearest first: beside the port at its own height or stacked above
 * it, on its own side first, a little further out past a neighbouring port when the near spots are taken.
 */
function spotsBeside(anchor: Anchor, width: number, index: number, leftward: boolean): Spot[] {
  const spots: Spot[] = [];
  for (const side of leftward ? [-1, 1] : [1, -1]) {
    for (const gap of [8, 34, 60]) {
      for (let level = -1; level <= 3; level++) {
        const y = level < 0 ? anchor.y - PILL_HEIGHT / 2 : anchor.y - 19 - (index + level) * TAG_HEIGHT;
        const x = side < 0 ? anchor.x - gap - width : anchor.x + gap;
        const centreX = x + width / 2;
        const penalty = side === (leftward ? -1 : 1) ? 0 : 12;
        spots.push({ x, y, distance: Math.hypot(centreX - anchor.x, y + PILL_HEIGHT / 2 - anchor.y) + penalty });
      }
    }
  }
  // The default spot (own side, nearest, stacked by index) leads; the rest by distance.
  const first = spots.find((spot) => spot.y === anchor.y - 19 - index * TAG_HEIGHT && Math.abs(spot.x - (leftward ? anchor.x - 8 - width : anchor.x + 8)) < 1e-9)!;
  return [first, ...spots.filter((spot) => spot !== first).sort((a, b) => a.distance - b.distance)];
}

/**
 * Tags sit beside their port (the addresses in `boxed` are drawn elsewhere: a cluster's vservers). Two
 * ports of a filer sit close together, and a moved tag's label is long: the ports in the left half of a
 * filer's row grow their tags leftward, the others rightward. A tag keeps off every cable line (`cables`,
 * as drawn) and off the tags placed before it: it takes the nearest free spot beside its port.
 */
export function addressTags(
  anchors: readonly Anchor[], state: Readonly<Record<string, unknown>>, homes: ReadonlyMap<string, string>,
  boxed: ReadonlySet<string> = new Set(), cables: ReadonlyArray<{ readonly a: Anchor; readonly b: Anchor }> = [],
): AddressTag[] {
  const lines = cables.map((cable) => cablePoints(cable.a, cable.b));
  const placed: Box[] = [];
  return anchors.flatMap((anchor) => {
    const value = state[`${anchor.actor}.ports.${anchor.port}.addresses`];
    const addresses = Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && !boxed.has(item)) : [];
    const row = anchors.filter((other) => other.actor === anchor.actor && other.y === anchor.y).sort((left, right) => left.x - right.x);
    const leftward = row.length > 1 && row.indexOf(anchor) < row.length / 2;
    return addresses.map((address, index) => {
      const home = homes.get(address) ?? anchor.actor;
      const moved = home !== anchor.actor;
      const label = moved ? `${address} (${home})` : address;
      const width = label.length * CHAR_WIDTH + 10;
      const spots = spotsBeside(anchor, width, index, leftward);
      const free = (spot: Spot): boolean => {
        const box = { x: spot.x, y: spot.y, width, height: PILL_HEIGHT };
        return !placed.some((other) => boxesOverlap(box, other)) && !lines.some((line) => lineCrossesBox(line, box, CABLE_MARGIN));
      };
      const spot = spots.find(free) ?? spots[0];
      placed.push({ x: spot.x, y: spot.y, width, height: PILL_HEIGHT });
      return { address, anchor, home, moved, label, width, x: spot.x, y: spot.y };
    });
  });
}
