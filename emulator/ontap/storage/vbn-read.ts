// Reading VBNs of an aggregate through RAID: plan the disk reads (rebuilding blocks of a missing
// member from the rest of their stripe), issue them as one batch, and on completion resolve each VBN.
// A disk that answers with an error is failed and the read is planned again, now degraded.
import { issue, openBatch, type StorageEnv } from './io.ts';
import { mergeReads, planVbnReads, resolveVbn } from './raid-layout.ts';
import { failDisk } from './raid-ops.ts';
import type { BatchPurpose, IoBatch, StorageState } from './types.ts';

const MAX_ATTEMPTS = 3;

export function readVbns(
  state: StorageState, env: StorageEnv, purpose: BatchPurpose, aggregateName: string, vbns: readonly number[],
  carry: Record<string, unknown>, attempt = 1,
): IoBatch {
  const aggregate = state.aggregates[aggregateName];
  const batch = openBatch(state, purpose, { ...carry, vbns: [...vbns], attempt, aggregate: aggregateName });
  const { reads } = planVbnReads(aggregate, vbns);
  for (const run of mergeReads(reads)) issue(state, env, batch, run.disk, { op: 'read', lba: run.lba, blocks: run.blocks });
  return batch;
}

/**
 * The VBNs' contents once the batch is complete (null for a block no disk could give), or 'retrying'
 * when disks failed and the read went out again as a new batch with the same purpose.
 */
export function resolveVbnBatch(state: StorageState, env: StorageEnv, batch: IoBatch): (Uint8Array | null)[] | 'retrying' {
  const aggregate = state.aggregates[batch.carry.aggregate as string];
  const vbns = batch.carry.vbns as number[];
  const attempt = batch.carry.attempt as number;
  const diskErrors = batch.errors.filter((error) => error.status !== 'transport-failure');
  if (diskErrors.length > 0 && attempt < MAX_ATTEMPTS) {
    for (const error of diskErrors) failDisk(state, env, error.disk, error.status === 'medium-error' ? 'media error' : 'not responding');
    if ((aggregate.status as string) !== 'failed') {
      const { vbns: _vbns, attempt: _attempt, aggregate: _aggregate, ...carry } = batch.carry;
      readVbns(state, env, batch.purpose, aggregate.name, vbns, carry, attempt + 1);
      return 'retrying';
    }
  }
  return vbns.map((vbn) => resolveVbn(aggregate, vbn, batch.blocks));
}
