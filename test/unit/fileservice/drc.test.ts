import { describe, it, expect } from 'vitest';
import { createDrc, drcAbandon, drcBegin, drcCheck, drcFinish } from '../../../emulator/ontap/fileservice/drc.ts';
import { nfsReply } from '../../../emulator/ontap/fileservice/nfs-wire.ts';
import { fileHandle } from '../../../emulator/ontap/fileservice/file-handle.ts';

describe('duplicate request cache', () => {
  it('answers a retried CREATE from the cache, and drops a retry while the first is in progress', () => {
    const cache = createDrc(8);
    expect(drcCheck(cache, '10.1.1.101', 7, 'CREATE')).toEqual({ kind: 'new' });
    drcBegin(cache, '10.1.1.101', 7, 'CREATE', 1000);
    expect(drcCheck(cache, '10.1.1.101', 7, 'CREATE')).toEqual({ kind: 'in-progress' });
    const reply = nfsReply(7, 'CREATE', 'NFS3_OK', { fh: fileHandle(1, 64, 1) });
    drcFinish(cache, '10.1.1.101', 7, reply);
    expect(drcCheck(cache, '10.1.1.101', 7, 'CREATE')).toEqual({ kind: 'replay', reply });
    expect(cache.hits).toBe(1);
    expect(cache.inProgressDrops).toBe(1);
  });

  it('keys by client and xid, and treats a reused xid with another procedure as new', () => {
    const cache = createDrc(8);
    drcBegin(cache, 'a', 1, 'REMOVE', 0);
    drcFinish(cache, 'a', 1, nfsReply(1, 'REMOVE', 'NFS3_OK'));
    expect(drcCheck(cache, 'b', 1, 'REMOVE').kind).toBe('new');
    expect(drcCheck(cache, 'a', 1, 'RENAME').kind).toBe('new');
    expect(drcCheck(cache, 'a', 1, 'REMOVE').kind).toBe('replay');
  });

  it('stays bounded: the oldest entries go first', () => {
    const cache = createDrc(4);
    for (let xid = 0; xid < 10; xid += 1) {
      drcBegin(cache, 'a', xid, 'WRITE', xid);
      drcFinish(cache, 'a', xid, nfsReply(xid, 'WRITE', 'NFS3_OK'));
    }
    expect(Object.keys(cache.entries)).toHaveLength(4);
    expect(drcCheck(cache, 'a', 5, 'WRITE').kind).toBe('new');
    expect(drcCheck(cache, 'a', 9, 'WRITE').kind).toBe('replay');
  });

  it('forgets a call abandoned in progress so that its retry is served again', () => {
    const cache = createDrc(4);
    drcBegin(cache, 'a', 3, 'CREATE', 0);
    drcAbandon(cache, 'a', 3);
    expect(drcCheck(cache, 'a', 3, 'CREATE').kind).toBe('new');
  });
});
