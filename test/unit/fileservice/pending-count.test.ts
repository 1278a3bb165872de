import { describe, it, expect } from 'vitest';
import type { FilerConfig } from '../../../emulator/hardware/filer/chassis.ts';
import type { CifsRequest } from '../../../emulator/ontap/fileservice/cifs-wire.ts';
import type { NfsCall } from '../../../emulator/ontap/fileservice/nfs-wire.ts';
import {
  addPending, cifsPendingCount, createFileServiceState, takePending, type PendingRequest,
} from '../../../emulator/ontap/fileservice/state.ts';

// The file service state needs only the Ethernet ports of the config (its IP stack).
const config = { ethernetPorts: [] } as unknown as FilerConfig;

function cifs(mid: number): PendingRequest {
  const request = { kind: 'cifs.request', connection: 1, mid, request: { command: 'ECHO' } } as unknown as CifsRequest;
  return { protocol: 'cifs', client: '10.1.1.103', server: '10.1.1.10', connection: '10.1.1.103/1', request, volume: 'vol1', fsid: 1, vserver: 'filerA', persistent: false };
}

function nfs(xid: number): PendingRequest {
  const call = { kind: 'nfs.call', xid, request: { proc: 'NULL' } } as NfsCall;
  return { protocol: 'nfs', client: '10.1.1.101', server: '10.1.1.10', call, fsid: 1, volume: 'vol1' };
}

describe('pending requests of the file service', () => {
  it('keeps its count of CIFS requests right as requests are added and taken, and for a table it did not see filled', () => {
    const fs = createFileServiceState(config, 'filerA');
    const counted = () => Object.values(fs.pending).filter((pending) => pending.protocol === 'cifs').length;
    expect(cifsPendingCount(fs)).toBe(0);
    addPending(fs, 1, nfs(7));
    addPending(fs, 2, cifs(3));
    addPending(fs, 3, cifs(4));
    expect(cifsPendingCount(fs)).toBe(2);
    // The same operation id again replaces its request (a CIFS one by an NFS one here).
    addPending(fs, 3, nfs(8));
    expect(cifsPendingCount(fs)).toBe(counted());
    expect(takePending(fs, 2)?.protocol).toBe('cifs');
    expect(takePending(fs, 2)).toBeUndefined();
    expect(takePending(fs, 1)?.protocol).toBe('nfs');
    expect(cifsPendingCount(fs)).toBe(0);
    // A table filled without the helpers (a restored lab) is counted when first asked.
    fs.pending = { 10: cifs(1), 11: nfs(2), 12: cifs(5) };
    expect(cifsPendingCount(fs)).toBe(2);
    takePending(fs, 12);
    expect(cifsPendingCount(fs)).toBe(counted());
  });
});
