// The ports each actor of a lab file has, by the names cables use: filers their FC, Ethernet and
// interconnect ports; shelves `A` `A.out` `B` `B.out`; switches `p1` … `pN`; clients `e0`.
import { SHELF_PORTS } from '../hardware/shelf/shelf-actor.ts';
import { BAYS_PER_SHELF } from '../hardware/disk-names.ts';
import type { LabFile } from './schema.ts';

export const CLIENT_PORT = 'e0';

export function switchPorts(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `p${i + 1}`);
}

export function filerPorts(filer: LabFile['filers'][string]): string[] {
  return [...filer.fcPorts, ...Object.keys(filer.ethernet), ...filer.interconnect];
}

export function actorPorts(lab: LabFile): Map<string, string[]> {
  const ports = new Map<string, string[]>();
  for (const [id, filer] of Object.entries(lab.filers)) ports.set(id, filerPorts(filer));
  for (const id of Object.keys(lab.shelves)) ports.set(id, [...SHELF_PORTS]);
  for (const [id, sw] of Object.entries(lab.switches)) ports.set(id, switchPorts(sw.ports));
  for (const id of Object.keys(lab.clients)) ports.set(id, [CLIENT_PORT]);
  return ports;
}

export function populatedBays(shelf: LabFile['shelves'][string]): number[] {
  return shelf.bays ?? Array.from({ length: BAYS_PER_SHELF }, (_, i) => i);
}
