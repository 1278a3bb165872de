// What the storage console commands see of the storage OS and the loops: the storage slot, where
// each disk sits and by which path the filer reaches it now, its sizes as `sysconfig -r` prints them,
// and the names an operator may type for a disk (`0a.19`, `0b.19` or the lab's `shelf1.3`).
import type { ActorContext } from '../../engine/actor.ts';
import {
  createInitiator, currentPath, diskPaths, type DiskPath, type InitiatorState,
} from '../../hardware/filer/fc-initiator.ts';
import { parseOntapDiskName } from '../../hardware/disk-names.ts';
import type { FilerState } from '../../hardware/filer/subsystem.ts';
import type { CommandContext, CommandOutcome } from '../console/command.ts';
import { fcDiskIo } from '../storage/fc-disk-io.ts';
import type { StorageEnv } from '../storage/io.ts';
import { DISK_PHYSICAL_BLOCKS, DISK_USABLE_BLOCKS, DISK_RPM } from '../storage/boot.ts';
import type { DiskRecord, StorageState, VolumeState } from '../storage/types.ts';

export { DISK_RPM };

/** Where a disk is and how it is reached: `0a.19` over loop A, shelf 1 bay 3. */
export interface DiskPlace {
  /** The name over the path in use now (the first path when none is up). */
  readonly name: string;
  /** The adapter of that path (the HA column) and its loop (CHAN `FC:A`), null loop when no path is up. */
  readonly port: string;
  readonly loop: 'A' | 'B' | null;
  readonly shelfId: number;
  readonly bay: number;
  /** Every path to the disk, loop A first. */
  readonly paths: readonly DiskPath[];
}

/** The storage state and a way to place disks, as one filer sees them at the moment of the command. */
export interface StorageView {
  readonly state: StorageState;
  readonly filerName: string;
  readonly systemId: string;
  /** Name of the root volume (the first volume of the first configured aggregate), if any. */
  readonly rootVolume: string | null;
  place(disk: string): DiskPlace;
}

export function storageStateOf(filer: FilerState): StorageState | null {
  const state = filer.subsystems.storage as StorageState | undefined;
  return state && typeof state === 'object' && 'disks' in state ? state : null;
}

/** Builds the view; null when the filer runs no storage subsystem. */
export function storageView(filer: FilerState, actor: ActorContext): StorageView | null {
  const state = storageStateOf(filer);
  if (!state) return null;
  // Memory-disk benches have no initiator: a fresh one over the configured ports answers the same way.
  const initiator = (state.initiator as InitiatorState | null) ?? createInitiator(filer.config.fcPorts);
  const rootAggregate = filer.config.aggregates[0]?.name;
  const rootVolume = filer.config.volumes.find((volume) => volume.aggregate === rootAggregate)?.name ?? null;
  return {
    state, filerName: filer.config.name, systemId: filer.config.systemId, rootVolume,
    place(disk: string): DiskPlace {
      const record = state.disks[disk];
      const shelf = record?.address.shelf ?? disk.replace(/\.\d+$/, '');
      const bay = record?.address.bay ?? Number(/\.(\d+)$/.exec(disk)?.[1] ?? 0);
      const paths = diskPaths(initiator, actor, shelf, bay);
      const current = currentPath(initiator, actor, shelf);
      const used = paths.find((path) => path.port === current?.port) ?? paths[0];
      const shelfId = filer.config.fcPorts.flatMap((port) => port.shelves).find((ref) => ref.actor === shelf)?.shelfId ?? 0;
      return {
        name: used?.name ?? disk, port: used?.port ?? '-', loop: current ? current.loop : null, shelfId, bay, paths,
      };
    },
  };
}

export function viewOf(ctx: CommandContext): StorageView | null {
  return storageView(ctx.filer, ctx.actor);
}

/** Runs `body` with the storage view, or says the storage subsystem is not there or not online. */
export function withView(ctx: CommandContext, command: string, body: (view: StorageView) => CommandOutcome): CommandOutcome {
  const view = viewOf(ctx);
  if (!view) {
    ctx.print(`${command}: the storage subsystem is not running on this filer.`);
    return 'done';
  }
  if (view.state.status !== 'online') {
    ctx.print(`${command}: storage is not online yet (${view.state.status}).`);
    return 'done';
  }
  return body(view);
}

/** The environment the storage OS's operator actions need: the filer, this event's actor door, the loops. */
/** The volume named, or prints that none has that name. */
export function volumeOf(ctx: CommandContext, view: StorageView, command: string, name: string): VolumeState | null {
  const volume = view.state.volumes[name];
  if (!volume) ctx.print(`${command}: No volume named '${name.slice(0, 64)}' exists.`);
  return volume ?? null;
}

export function storageEnvOf(ctx: CommandContext): StorageEnv {
  return { filer: ctx.filer, ctx: ctx.actor, io: fcDiskIo };
}

/** The lab id of a disk named by the operator: `0a.19`/`0b.19` over any of our ports, or `shelf1.3`. */
export function resolveDiskName(view: StorageView, filer: FilerState, name: string): string | null {
  if (view.state.disks[name]) return name;
  const id = bayOfDiskName(filer, name);
  return id && view.state.disks[id] ? id : null;
}

/** The bay (`shelf1.7`) a console disk name (`0a.23`) points at on this filer's loops, owned or not. */
export function bayOfDiskName(filer: FilerState, name: string): string | null {
  const parsed = parseOntapDiskName(name);
  if (!parsed) return null;
  const port = filer.config.fcPorts.find((candidate) => candidate.port === parsed.port);
  const shelf = port?.shelves.find((ref) => ref.shelfId === parsed.shelfId);
  return shelf ? `${shelf.actor}.${parsed.bay}` : null;
}

/** Sizes as `sysconfig -r` shows them: MB and 512-byte sectors, used = right-sized capacity. */
export interface DiskSizes {
  readonly usedMb: number;
  readonly usedSectors: number;
  readonly physMb: number;
  readonly physSectors: number;
}

export function diskSizes(record: DiskRecord): DiskSizes {
  const phys = record.blocks;
  // Right-sizing, in the same proportion as the 36 GB model (8 832 000 → 8 704 000 blocks).
  const usedMb = Math.floor((Math.floor((phys * DISK_USABLE_BLOCKS) / DISK_PHYSICAL_BLOCKS) * 4) / 1024);
  return { usedMb, usedSectors: usedMb * 2048, physMb: Math.floor((phys * 4) / 1024), physSectors: phys * 8 };
}

/** The serial number the disk answers in its inquiry (the shelf's scheme: shelf id and bay). */
export function diskSerial(place: DiskPlace): string {
  return `FL${String(place.shelfId).padStart(2, '0')}${String(place.bay).padStart(2, '0')}X0`;
}

/** Kilobytes in use by a volume's files and directories (4 KB blocks, one block per inode). */
export function volumeUsedKb(volume: VolumeState): number {
  let kb = 0;
  for (const inode of Object.values(volume.inodes)) {
    kb += 4;
    if (inode.type === 'file') kb += Math.ceil(inode.size / 4096) * 4;
  }
  return kb;
}
