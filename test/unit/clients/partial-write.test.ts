// A write op stopped part way (the client stopped, a session dropped) leaves a prefix of its own data:
// both protocol clients empty the file first and then write from offset 0 up, and report the contents
// the file may hold, so that the checker does not take a half-done maybe write for a lost write.
import { describe, expect, it } from 'vitest';
import type { Payload } from '../../../emulator/engine/actor.ts';
import { checkHistory } from '../../../emulator/clients/checker.ts';
import { cifsOpStep, cifsPartial, type CifsOpProgress } from '../../../emulator/clients/cifs-ops.ts';
import { partialContents, type ClientIo } from '../../../emulator/clients/client-io.ts';
import { contentHash, makeContent } from '../../../emulator/clients/content.ts';
import type { HistoryOp } from '../../../emulator/clients/history.ts';
import { createNfsClient, DEFAULT_NFS_OPTIONS, nfsAbandon, nfsReceive, nfsStartOp } from '../../../emulator/clients/nfs-client.ts';
import type { CifsResponse } from '../../../emulator/ontap/fileservice/cifs-wire.ts';
import { fileHandle } from '../../../emulator/ontap/fileservice/file-handle.ts';
import { NFS_MAX_IO_BYTES, nfsReply, type NfsCall } from '../../../emulator/ontap/fileservice/nfs-wire.ts';

const EMPTY = contentHash(new Uint8Array(0));

function fakeIo(): ClientIo & { sent: Payload[] } {
  const sent: Payload[] = [];
  return { now: 0, sent, send: (payload) => { sent.push(payload); }, setTimer: () => 1, cancelTimer: () => undefined, ems: () => undefined };
}

describe('partialContents', () => {
  it('names the prefix acknowledged and, with a chunk in flight, that prefix and the chunk', () => {
    const data = makeContent(7, 10);
    expect(partialContents(data, 0, 4, false)).toEqual([EMPTY]);
    expect(partialContents(data, 4, 4, true)).toEqual([contentHash(data.subarray(0, 4)), contentHash(data.subarray(0, 8))]);
    // The last chunk in flight reaches the whole new content, which the mutation already stands for.
    expect(partialContents(data, 8, 4, true)).toEqual([contentHash(data.subarray(0, 8))]);
    expect(partialContents(data, 10, 4, true)).toEqual([]);
  });
});

describe('NFS client write op', () => {
  it('truncates to size 0 before it writes, and an abandon mid-WRITE reports the prefixes it may have left', () => {
    const io = fakeIo();
    const state = createNfsClient(DEFAULT_NFS_OPTIONS, 'c1', 1000);
    const fh = fileHandle(1, 64, 1);
    state.phase = 'mounted';
    state.dirFh = fileHandle(1, 2, 1);
    state.handles['c1/f1'] = fh;
    const data = makeContent(42, NFS_MAX_IO_BYTES + 100);
    nfsStartOp(state, { planned: { kind: 'write', path: 'c1/f1', sizeBytes: data.length, contentSeed: 42 }, data }, io);
    const first = io.sent[0] as unknown as NfsCall;
    expect(first.request).toEqual({ proc: 'SETATTR', fh, size: 0 });
    expect(nfsReceive(state, nfsReply(first.xid, 'SETATTR', 'NFS3_OK'), 'srv', io)).toBeNull();
    const second = io.sent[1] as unknown as NfsCall;
    expect(second.request).toMatchObject({ proc: 'WRITE', offset: 0 });
    expect(nfsReceive(state, nfsReply(second.xid, 'WRITE', 'NFS3_OK'), 'srv', io)).toBeNull();
    expect((io.sent[2] as unknown as NfsCall).request).toMatchObject({ proc: 'WRITE', offset: NFS_MAX_IO_BYTES });
    expect(nfsAbandon(state, io)).toEqual({
      outcome: 'maybe', reason: 'abandoned', partialHashes: [contentHash(data.subarray(0, NFS_MAX_IO_BYTES))],
    });
  });

  it('reports an emptied file for an abandon while the truncation is in flight, and ends ok after the last WRITE', () => {
    const io = fakeIo();
    const state = createNfsClient(DEFAULT_NFS_OPTIONS, 'c1', 1000);
    state.phase = 'mounted';
    state.dirFh = fileHandle(1, 2, 1);
    state.handles['c1/f1'] = fileHandle(1, 64, 1);
    const data = makeContent(3, 500);
    const run = { planned: { kind: 'write' as const, path: 'c1/f1', sizeBytes: data.length, contentSeed: 3 }, data };
    nfsStartOp(state, run, io);
    expect(nfsAbandon(state, io)).toEqual({ outcome: 'maybe', reason: 'abandoned', partialHashes: [EMPTY] });
    nfsStartOp(state, run, io);
    const truncate = io.sent.at(-1) as unknown as NfsCall;
    nfsReceive(state, nfsReply(truncate.xid, 'SETATTR', 'NFS3_OK'), 'srv', io);
    const write = io.sent.at(-1) as unknown as NfsCall;
    expect(write.request).toMatchObject({ proc: 'WRITE', offset: 0 });
    expect(nfsReceive(state, nfsReply(write.xid, 'WRITE', 'NFS3_OK'), 'srv', io)).toEqual({ outcome: 'ok' });
  });
});

describe('CIFS client write op', () => {
  it('locks, sets the end of file to 0, then writes; a drop mid-WRITE reports the prefix it may have left', () => {
    const data = makeContent(9, 600);
    const op: CifsOpProgress = {
      run: { planned: { kind: 'write', path: 'c2/f1', sizeBytes: data.length, contentSeed: 9 }, data },
      stage: 'open', fid: 0, offset: 0, readChunks: null, dataDone: false,
    };
    const ok = (command: string, body: Record<string, unknown> = {}) =>
      ({ kind: 'cifs.response', connection: 1, mid: 1, command, status: 'STATUS_SUCCESS', body }) as unknown as CifsResponse;
    expect(cifsOpStep(op, 1, 1, null).next).toMatchObject({ command: 'CREATE', disposition: 'open' });
    expect(cifsOpStep(op, 1, 1, ok('CREATE', { fid: 5 })).next).toMatchObject({ command: 'LOCK' });
    expect(cifsOpStep(op, 1, 1, ok('LOCK')).next).toMatchObject({ command: 'SET_EOF', size: 0 });
    expect(cifsPartial(op)).toEqual({ partialHashes: [EMPTY] });
    expect(cifsOpStep(op, 1, 1, ok('SET_EOF')).next).toMatchObject({ command: 'WRITE', offset: 0 });
    expect(cifsPartial(op)).toEqual({ partialHashes: [EMPTY] });
    expect(cifsOpStep(op, 1, 1, ok('WRITE')).next).toMatchObject({ command: 'UNLOCK' });
    expect(op.dataDone).toBe(true);
    expect(cifsPartial(op)).toEqual({});
  });
});

describe('checker and partial contents', () => {
  const write = (id: number, invokeUs: number, outcome: 'ok' | 'maybe', writtenHash: string, partialHashes?: string[]): HistoryOp => ({
    id, kind: 'write', path: 'f1', invokeUs, completeUs: invokeUs + 5, outcome, writtenHash, ...(partialHashes ? { partialHashes } : {}),
  });
  const read = (id: number, invokeUs: number, readHash: string): HistoryOp => ({ id, kind: 'read', path: 'f1', invokeUs, completeUs: invokeUs + 5, outcome: 'ok', readHash });

  it('accepts what a maybe write stopped part way left, until the next acknowledged write', () => {
    expect(checkHistory([write(1, 0, 'ok', 'h0'), write(2, 10, 'maybe', 'h1', ['p1']), read(3, 20, 'p1')]))
      .toMatchObject({ lostWrites: 0, staleReads: 0 });
    expect(checkHistory([write(1, 0, 'ok', 'h0'), write(2, 10, 'maybe', 'h1', ['p1']), write(3, 20, 'ok', 'h2'), read(4, 30, 'p1')]))
      .toMatchObject({ lostWrites: 1 });
  });

  it('does not accept old bytes under new ones (what the old write-then-truncate order could leave)', () => {
    expect(checkHistory([write(1, 0, 'ok', 'h0'), write(2, 10, 'maybe', 'h1', ['p1']), read(3, 20, 'h1-over-h0')]))
      .toMatchObject({ lostWrites: 1 });
  });

  it('ignores partial contents of an acknowledged write', () => {
    expect(checkHistory([write(1, 0, 'ok', 'h0'), write(2, 10, 'ok', 'h1', ['p1']), read(3, 20, 'p1')])).toMatchObject({ lostWrites: 1 });
  });
});
