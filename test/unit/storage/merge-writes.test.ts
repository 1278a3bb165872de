// mergeWrites (raid-layout.ts): single-block writes become runs of consecutive blocks per disk, in disk
// order, at most MAX_TRANSFER_BLOCKS long, each run holding its blocks' bytes in LBA order.
import { describe, expect, it } from 'vitest';
import { BLOCK_BYTES } from '../../../emulator/hardware/scsi.ts';
import { MAX_TRANSFER_BLOCKS, mergeWrites, type DiskBlockWrite } from '../../../emulator/ontap/storage/raid-layout.ts';

const write = (disk: string, lba: number): DiskBlockWrite => ({ disk, lba, data: new Uint8Array(BLOCK_BYTES).fill((lba * 7 + disk.length) & 0xff) });

describe('mergeWrites', () => {
  it('merges consecutive blocks per disk, sorted, and carries each block at its place in the run', () => {
    const writes = [write('0b.17', 12), write('0a.16', 5), write('0b.17', 10), write('0a.16', 4), write('0b.17', 11), write('0a.16', 9)];
    const runs = mergeWrites(writes);
    expect(runs.map(({ disk, lba, blocks }) => ({ disk, lba, blocks }))).toEqual([
      { disk: '0a.16', lba: 4, blocks: 2 }, { disk: '0a.16', lba: 9, blocks: 1 }, { disk: '0b.17', lba: 10, blocks: 3 },
    ]);
    for (const run of runs) {
      expect(run.data.length).toBe(run.blocks * BLOCK_BYTES);
      for (let block = 0; block < run.blocks; block++) {
        const source = writes.find((candidate) => candidate.disk === run.disk && candidate.lba === run.lba + block)!;
        expect(run.data.subarray(block * BLOCK_BYTES, (block + 1) * BLOCK_BYTES)).toEqual(source.data);
      }
    }
    // The runs do not overlap: writing into one leaves the others as they were.
    runs[0].data.fill(0xee);
    expect(runs[2].data[0]).toBe(writes[2].data[0]);
  });

  it('splits a run longer than the longest transfer', () => {
    const writes = Array.from({ length: MAX_TRANSFER_BLOCKS + 3 }, (_, lba) => write('0a.16', lba));
    expect(mergeWrites(writes).map((run) => run.blocks)).toEqual([MAX_TRANSFER_BLOCKS, 3]);
  });
});
