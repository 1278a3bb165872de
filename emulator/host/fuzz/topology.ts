// What the fuzzer needs to know of a lab to break it: its filers and their ports by kind, its cables by
// kind, shelves and their bays, RAID groups (so that a schedule never fails two disks of one group,
// which is data loss by design, not a bug), switches and clients. Read from the resolved LabSpec only.
import type { ActorSpec, CableSpec, LabSpec } from '../../engine/lab-spec.ts';
import type { FilerConfig } from '../../hardware/filer/chassis.ts';
import type { ShelfConfig } from '../../hardware/shelf/shelf-actor.ts';
import { ontapDiskName, parseDiskComponent } from '../../hardware/disk-names.ts';

export interface FuzzFiler {
  readonly id: string;
  readonly partner: string | undefined;
  readonly fcPorts: readonly string[];
}

export interface FuzzDisk {
  /** `shelf1.3`: the lab's name for faults. */
  readonly component: string;
  /** `0a.19`: ONTAP's name, for `disk fail` on the owner's console. */
  readonly ontapName: string;
  readonly owner: string;
  /** `filerA/aggr0/rg1`, or `spare`. */
  readonly raidGroup: string;
}

export interface FuzzTopology {
  readonly lab: string;
  readonly filers: readonly FuzzFiler[];
  readonly cables: readonly CableSpec[];
  readonly shelves: readonly string[];
  readonly switches: readonly string[];
  readonly clients: readonly string[];
  readonly vservers: readonly string[];
  readonly disks: readonly FuzzDisk[];
}

const byKind = (spec: LabSpec, kind: string): ActorSpec[] => spec.actors.filter((actor) => actor.kind === kind);

export function fuzzTopology(spec: LabSpec): FuzzTopology {
  const filers = byKind(spec, 'filer');
  const shelves = byKind(spec, 'shelf');
  const shelfIds = new Map(shelves.map((shelf) => [shelf.id, (shelf.config as ShelfConfig).shelfId]));
  const disks: FuzzDisk[] = [];
  for (const filer of filers) {
    const config = filer.config as FilerConfig;
    const firstPort = config.fcPorts[0]?.port ?? '0a';
    const add = (component: string, raidGroup: string): void => {
      const bay = parseDiskComponent(component);
      const shelfId = bay ? shelfIds.get(bay.shelf) : undefined;
      if (!bay || shelfId === undefined) return;
      disks.push({ component, ontapName: ontapDiskName(firstPort, shelfId, bay.bay), owner: filer.id, raidGroup });
    };
    for (const aggregate of config.aggregates) {
      aggregate.disks.forEach((disk, index) => add(disk, `${filer.id}/${aggregate.name}/rg${Math.floor(index / Math.max(1, aggregate.raidGroupSize))}`));
    }
    for (const spare of config.spares) add(spare, 'spare');
  }
  return {
    lab: spec.name,
    filers: filers.map((filer) => {
      const config = filer.config as FilerConfig;
      return { id: filer.id, partner: config.partner, fcPorts: config.fcPorts.map((port) => port.port) };
    }),
    cables: spec.cables.filter((cable) => cable.kind !== 'power'),
    shelves: shelves.map((shelf) => shelf.id),
    switches: byKind(spec, 'switch').map((actor) => actor.id),
    clients: byKind(spec, 'client').map((actor) => actor.id),
    vservers: [...(spec.vservers ?? [])],
    disks,
  };
}
