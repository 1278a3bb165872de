import { describe, it, expect } from 'vitest';
import { contentHashOfChunks, makeHashedContent } from '../../../emulator/clients/content.ts';
import { expectRead, readHashOf, rememberedPaths, rememberWritten, settleWritten } from '../../../emulator/clients/known-content.ts';

describe('known content', () => {
  it('gives a read the hash of exactly the bytes it got, whether they are the ones written or not', () => {
    const client = {};
    const written = makeHashedContent(9, 5001);
    rememberWritten(client, '/c1/f1', written);
    const other = makeHashedContent(10, 5001);
    const cases: Uint8Array[][] = [
      [written.bytes.slice()],
      [written.bytes.slice(0, 4096), written.bytes.slice(4096)],
      [written.bytes.slice(0, 3), written.bytes.slice(3)], // the second chunk starts unaligned
      [new Uint8Array([0, ...written.bytes]).subarray(1)], // a view at an odd offset
      [other.bytes], // same size, other bytes
      [written.bytes.slice(0, 5000)], // a prefix (a write stopped part way)
      [written.bytes.slice(), new Uint8Array([1])], // longer
      [], // empty
    ];
    for (const chunks of cases) {
      const run = {};
      expectRead(client, '/c1/f1', run);
      expect(readHashOf(run, chunks)).toBe(contentHashOfChunks(chunks));
    }
    const flipped = written.bytes.slice();
    flipped[4999] ^= 1;
    const run = {};
    expectRead(client, '/c1/f1', run);
    expect(readHashOf(run, [flipped])).not.toBe(written.hash);
    expect(readHashOf({}, [written.bytes])).toBe(written.hash);
  });

  it('moves a renamed file\'s content and forgets names the workload dropped', () => {
    const client = {};
    rememberWritten(client, '/c1/f1', makeHashedContent(3, 100));
    rememberWritten(client, '/c1/f3', makeHashedContent(4, 100));
    settleWritten(client, '/c1/f1', '/c1/f2', true, ['/c1/f2', '/c1/f3']);
    expect(rememberedPaths(client)).toEqual(['/c1/f3', '/c1/f2']);
    // A rename that may have happened takes both names out of play.
    settleWritten(client, '/c1/f2', '/c1/f4', false, ['/c1/f3']);
    expect(rememberedPaths(client)).toEqual(['/c1/f3']);
    // A create that failed leaves no name behind.
    rememberWritten(client, '/c1/f5', makeHashedContent(5, 10));
    settleWritten(client, '/c1/f5', undefined, false, ['/c1/f3']);
    expect(rememberedPaths(client)).toEqual(['/c1/f3']);
  });
});
