// Two names for one disk. The lab (faults, lab files, the UI) names a disk by where it sits:
// `shelf1.3` = bay 3 of shelf actor shelf1. ONTAP names it by how a filer reaches it: `0a.19` = FC port
// 0a, loop id 19; a shelf with id N answers at loop ids 16N … 16N+13 (shelf 1 → 16–29, shelf 2 → 32–45),
// so the same disk is `0a.19` over loop A and `0b.19` over loop B.
import type { ActorId, PortName } from '../engine/actor.ts';

export const BAYS_PER_SHELF = 14;
export const LOOP_IDS_PER_SHELF = 16;

export interface BayRef {
  readonly shelf: ActorId;
  readonly bay: number;
}

/** `shelf1.3` */
export function diskComponent(shelf: ActorId, bay: number): string {
  return `${shelf}.${bay}`;
}

/** Parses `shelf1.3`; undefined when it is not a shelf-and-bay name. */
export function parseDiskComponent(name: string): BayRef | undefined {
  const match = /^(.+)\.(\d{1,2})$/.exec(name);
  if (!match) return undefined;
  const bay = Number(match[2]);
  if (bay >= BAYS_PER_SHELF) return undefined;
  return { shelf: match[1], bay };
}

export function loopId(shelfId: number, bay: number): number {
  return shelfId * LOOP_IDS_PER_SHELF + bay;
}

/** `0a.19` */
export function ontapDiskName(port: PortName, shelfId: number, bay: number): string {
  return `${port}.${loopId(shelfId, bay)}`;
}

/** Parses `0a.19` into its port, shelf id and bay; undefined when malformed. */
export function parseOntapDiskName(name: string): { port: PortName; shelfId: number; bay: number } | undefined {
  const match = /^([0-9][a-z])\.(\d+)$/.exec(name);
  if (!match) return undefined;
  const id = Number(match[2]);
  const shelfId = Math.floor(id / LOOP_IDS_PER_SHELF);
  const bay = id % LOOP_IDS_PER_SHELF;
  if (shelfId < 1 || bay >= BAYS_PER_SHELF) return undefined;
  return { port: match[1], shelfId, bay };
}
