// An in-memory disk set behind the DiskIo door: sparse 4 KiB blocks, a mailbox area, SCSI-3
// persistent reservations, and the failures a real disk shows (failed → not-ready, media errors on
// chosen blocks), and shelves no path reaches (every command fails with 'transport-failure', as the FC
// initiator answers when every loop is down or the shelf has no power). Completions come back as timer events after a fixed service time, so code driven by
// it runs through the same asynchronous paths as over the FC loops.
import type { ActorContext, ActorEvent, Micros } from '../../engine/actor.ts';
import type { FilerState } from '../../hardware/filer/subsystem.ts';
import { BLOCK_BYTES, type ReservationKey, type ScsiCommand } from '../../hardware/scsi.ts';
import type { DiskEventResult, DiskIo, DiskResponse } from './disk-io.ts';
import type { DiskAddress } from './types.ts';
import { encodeUtf8 } from './utf8.ts';

export interface MemoryDisk {
  blocks: Map<number, Uint8Array>;
  mailbox: Uint8Array;
  failed: boolean;
  mediaErrors: Set<number>;
  keys: Set<ReservationKey>;
  holder: ReservationKey | null;
  owner?: string | null;
}

export const MEMORY_DISK_SERVICE_US: Micros = 200;
const TIMER_KIND = 'storage.memdisk';

export class MemoryDiskSet implements DiskIo {
  readonly disks = new Map<string, MemoryDisk>();
  commandsServed = 0;
  /** Capacity each disk reports (inquiry). */
  diskBlocks = 65_536;
  /** Shelves no path reaches (pulled loops, no power): their disks keep what they hold. */
  readonly unreachable = new Set<string>();

  disk(address: DiskAddress): MemoryDisk {
    const id = `${address.shelf}.${address.bay}`;
    let disk = this.disks.get(id);
    if (!disk) {
      disk = { blocks: new Map(), mailbox: new Uint8Array(512), failed: false, mediaErrors: new Set(), keys: new Set(), holder: null };
      this.disks.set(id, disk);
    }
    return disk;
  }

  submit(_filer: FilerState, ctx: ActorContext, address: DiskAddress, key: ReservationKey, command: ScsiCommand, cookie: number): void {
    this.commandsServed += 1;
    const response: DiskResponse = this.unreachable.has(address.shelf) ? { status: 'transport-failure' } : this.execute(this.disk(address), key, command);
    ctx.setTimer(MEMORY_DISK_SERVICE_US, { kind: TIMER_KIND, cookie, response });
  }

  accept(_filer: FilerState, event: ActorEvent): DiskEventResult | null {
    if (event.type !== 'timer' || event.payload.kind !== TIMER_KIND) return null;
    return { completions: [{ cookie: event.payload.cookie as number, response: event.payload.response as DiskResponse }], consumed: true };
  }

  execute(disk: MemoryDisk, key: ReservationKey, command: ScsiCommand): DiskResponse {
    if (disk.failed) return { status: 'not-ready' };
    switch (command.op) {
      case 'read': {
        const data = new Uint8Array(command.blocks * BLOCK_BYTES);
        for (let index = 0; index < command.blocks; index++) {
          const lba = command.lba + index;
          if (disk.mediaErrors.has(lba)) return { status: 'medium-error', badLba: lba };
          const block = disk.blocks.get(lba);
          if (block) data.set(block, index * BLOCK_BYTES);
        }
        return { status: 'good', data };
      }
      case 'write': {
        if (disk.holder !== null && disk.holder !== key) return { status: 'reservation-conflict' };
        for (let index = 0; index < command.blocks; index++) {
          disk.blocks.set(command.lba + index, command.data.slice(index * BLOCK_BYTES, (index + 1) * BLOCK_BYTES));
          disk.mediaErrors.delete(command.lba + index);
        }
        return { status: 'good' };
      }
      case 'inquiry': return { status: 'good', data: encodeUtf8(JSON.stringify({ blocks: this.diskBlocks })) };
      case 'mailbox-read': return { status: 'good', data: disk.mailbox.slice() };
      case 'mailbox-write':
        if (disk.holder !== null && disk.holder !== key) return { status: 'reservation-conflict' };
        disk.mailbox = command.data.slice();
        return { status: 'good' };
      case 'pr-register': disk.keys.add(command.key); return { status: 'good' };
      case 'pr-reserve':
        if (!disk.keys.has(command.key) || (disk.holder !== null && disk.holder !== command.key)) return { status: 'reservation-conflict' };
        disk.holder = command.key;
        return { status: 'good' };
      case 'pr-preempt':
        disk.keys.delete(command.victim);
        disk.keys.add(command.key);
        disk.holder = command.key;
        return { status: 'good' };
      case 'pr-release':
        if (disk.holder === command.key) disk.holder = null;
        return { status: 'good' };
      case 'pr-read': return { status: 'good', reservation: { keys: [...disk.keys], holder: disk.holder }, owner: disk.owner ?? null };
      case 'owner-write':
        if (disk.holder !== null && disk.holder !== key) return { status: 'reservation-conflict' };
        disk.owner = command.owner;
        return { status: 'good' };
    }
  }
}
