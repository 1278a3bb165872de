// A disk as the window names it: the console's name (`0a.23`, emulator/protocol/disk-names.ts, the
// very function the storage OS prints with) and where it sits (`shelf1 bay 7`). The name is the one
// the disk's owner prints on its console; without an owner, the first filer whose loops reach the shelf.
import { consoleDiskName, diskPlace, type FcPortPath } from '../../../emulator/protocol/disk-names.ts';

type Actors = ReadonlyArray<{ readonly id: string; readonly kind: string; readonly config: unknown }>;

export interface DiskLabel {
  /** `0a.23`, or undefined when no filer reaches the shelf. */
  readonly name: string | undefined;
  /** `shelf1 bay 7` */
  readonly place: string;
  /** `0a.23 (shelf1 bay 7)`, or the place alone. */
  readonly text: string;
}

function fcPortsOf(config: unknown): readonly FcPortPath[] {
  const ports = (config as { fcPorts?: unknown } | null)?.fcPorts;
  if (!Array.isArray(ports)) return [];
  return ports.filter((port): port is FcPortPath => typeof port?.port === 'string' && Array.isArray(port?.shelves));
}

/** The console's name of a bay's disk as `filer` (or, failing that, any filer reaching the shelf) prints it. */
export function diskLabel(actors: Actors, shelf: string, bay: number, owner?: string | null): DiskLabel {
  const filers = actors.filter((actor) => actor.kind === 'filer');
  const ordered = [...filers.filter((actor) => actor.id === owner), ...filers.filter((actor) => actor.id !== owner)];
  let name: string | undefined;
  for (const filer of ordered) {
    name = consoleDiskName(fcPortsOf(filer.config), shelf, bay);
    if (name) break;
  }
  const place = diskPlace(shelf, bay);
  return { name, place, text: name ? `${name} (${place})` : place };
}
