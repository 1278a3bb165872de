// Disk I/O batches: a batch groups SCSI commands issued together and names (as data) what to do once
// the last one completes. Reads land in the batch by `disk:lba`; errors are recorded with their disk.
import type { ActorContext, Micros } from '../../engine/actor.ts';
import type { FilerState } from '../../hardware/filer/subsystem.ts';
import { BLOCK_BYTES, type ScsiCommand } from '../../hardware/scsi.ts';
import { parseDiskId, type DiskIo, type DiskResponse } from './disk-io.ts';
import { countCompleted, countIssued, ioClassOf } from './disk-io-stats.ts';
import { blockKey } from './raid-layout.ts';
import type { BatchPurpose, DiskId, IoBatch, StorageState } from './types.ts';

/** What the subsystem's handlers get: the filer, the actor's door and the disk door. */
export interface StorageEnv {
  readonly filer: FilerState;
  readonly ctx: ActorContext;
  readonly io: DiskIo;
}

export function openBatch(state: StorageState, purpose: BatchPurpose, carry: Record<string, unknown> = {}): IoBatch {
  const batch: IoBatch = { id: state.io.nextBatch++, purpose, outstanding: 0, blocks: {}, results: {}, errors: [], carry };
  state.io.batches[batch.id] = batch;
  return batch;
}

export function issue(state: StorageState, env: StorageEnv, batch: IoBatch, disk: DiskId, command: ScsiCommand): void {
  // The partner's disks (mailbox reads, takeover) are not in our records: their id names them.
  const address = state.disks[disk]?.address ?? parseDiskId(disk);
  if (!address) throw new Error(`issue: bad disk id ${disk}`);
  const tag = state.io.nextTag++;
  const ioClass = ioClassOf(command, batch.purpose.kind);
  state.io.pending[tag] = ioClass === null ? { batch: batch.id, disk, command } : { batch: batch.id, disk, command, issuedUs: env.ctx.now, ioClass };
  batch.outstanding += 1;
  const stats = state.io.stats ??= { readBlocks: 0, writeBlocks: 0, commandsByDisk: {} };
  if (command.op === 'read') stats.readBlocks += command.blocks;
  else if (command.op === 'write') stats.writeBlocks += command.blocks;
  stats.commandsByDisk[disk] = (stats.commandsByDisk[disk] ?? 0) + 1;
  if (ioClass !== null) countIssued(stats, disk, ioClass, command);
  env.io.submit(env.filer, env.ctx, address, env.filer.config.systemId, command, tag);
}

/**
 * Records one completion. Returns the batch when it was the last one outstanding (the caller then
 * runs its continuation), else null.
 */
export function completeIo(state: StorageState, tag: number, response: DiskResponse, nowUs?: Micros): IoBatch | null {
  const pending = state.io.pending[tag];
  if (!pending) return null;
  delete state.io.pending[tag];
  if (pending.ioClass !== undefined && pending.issuedUs !== undefined && nowUs !== undefined) countCompleted(state.io.stats, pending.disk, pending.ioClass, nowUs - pending.issuedUs);
  const batch = state.io.batches[pending.batch];
  if (!batch) return null;
  const { command, disk } = pending;
  if (response.status !== 'good') {
    batch.errors.push({ disk, status: response.status, lba: response.badLba });
  } else if (command.op === 'read' && response.data) {
    for (let index = 0; index < command.blocks; index++) {
      batch.blocks[blockKey(disk, command.lba + index)] = response.data.slice(index * BLOCK_BYTES, (index + 1) * BLOCK_BYTES);
    }
  }
  if (command.op === 'mailbox-read' || command.op === 'pr-read' || command.op === 'inquiry') {
    batch.results[disk] = { status: response.status, data: response.data, holder: response.reservation?.holder ?? null, owner: response.owner ?? null };
  }
  batch.outstanding -= 1;
  if (batch.outstanding > 0) return null;
  delete state.io.batches[batch.id];
  return batch;
}

/** Forgets every batch in flight (power loss, panic): their completions, if any arrive, are ignored. */
export function dropAllIo(state: StorageState): void {
  state.io.pending = {};
  state.io.batches = {};
}
