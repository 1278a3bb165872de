// The address tags beside filer Ethernet ports: which addresses each port carries now
// (`<filer>.ports.<port>.addresses`, from the file service) and whose they are. An address's home is
// the filer of the vserver it belongs to (the filers' topology config); a tag on another filer's port
// (after a takeover) is marked as the partner's, `10.1.1.10 (filerA)`.
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
const CHAR_WIDTH = 6.6;

/**
 * Tags stack upward beside their port (the addresses in `boxed` are drawn elsewhere: a cluster's vservers). Two ports of a filer sit close together, and a moved tag's label
 * is long: the ports in the left half of a filer's row grow their tags leftward, the others rightward,
 * so neighbours never overlap.
 */
export function addressTags(anchors: readonly Anchor[], state: Readonly<Record<string, unknown>>, homes: ReadonlyMap<string, string>, boxed: ReadonlySet<string> = new Set()): AddressTag[] {
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
      return { address, anchor, home, moved, label, width, x: leftward ? anchor.x - 8 - width : anchor.x + 8, y: anchor.y - 19 - index * TAG_HEIGHT };
    });
  });
}
