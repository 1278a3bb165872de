import { describe, it, expect } from 'vitest';
import {
  addOpen, closeConnection, connectionKey, createCifsState, dropAll, lockRange, logoff, openConnection, sessionCount, sessionSetup,
  treeConnect, unlockRange, validate, writeConflicts,
} from '../../../emulator/ontap/fileservice/cifs-state.ts';
import { restoreVserverInto, snapshotCifs } from '../../../emulator/ontap/fileservice/cifs-persist-state.ts';
import { fileHandle } from '../../../emulator/ontap/fileservice/file-handle.ts';

function withSession() {
  const state = createCifsState();
  const key = connectionKey('10.1.1.103', 1);
  openConnection(state, key, '10.1.1.103', '10.1.1.10', 'filerA', 0);
  const uid = sessionSetup(state, key, 'trainee', 'C3', 10);
  const tid = treeConnect(state, uid, 'vol1', 'vol1');
  return { state, key, uid, tid };
}

describe('CIFS server state', () => {
  it('validates session, tree and open file in that order, with the real status names', () => {
    const { state, key, uid, tid } = withSession();
    expect(validate(state, key, uid, tid)).toMatchObject({ tid, share: 'vol1' });
    expect(validate(state, key, uid + 1, tid)).toBe('STATUS_USER_SESSION_DELETED');
    expect(validate(state, 'other/1', uid, tid)).toBe('STATUS_USER_SESSION_DELETED');
    expect(validate(state, key, uid, tid + 5)).toBe('STATUS_NETWORK_NAME_DELETED');
    expect(validate(state, key, uid, tid, 99)).toBe('STATUS_INVALID_HANDLE');
    const fid = addOpen(state, uid, tid, '/c3/f1', fileHandle(1, 70, 1), 20);
    expect(validate(state, key, uid, tid, fid)).toMatchObject({ tid });
  });

  it('grants shared locks together, refuses a conflicting exclusive one, and blocks writes under it', () => {
    const { state, uid, tid } = withSession();
    const handle = fileHandle(1, 70, 1);
    const first = addOpen(state, uid, tid, '/f', handle, 0);
    const second = addOpen(state, uid, tid, '/f', handle, 0);
    expect(lockRange(state, first, 0, 100, false)).toBe('STATUS_SUCCESS');
    expect(lockRange(state, second, 50, 100, false)).toBe('STATUS_SUCCESS');
    expect(lockRange(state, second, 0, 10, true)).toBe('STATUS_LOCK_NOT_GRANTED');
    expect(lockRange(state, second, 200, 10, true)).toBe('STATUS_SUCCESS');
    expect(writeConflicts(state, first, 205, 1)).toBe(true);
    expect(writeConflicts(state, second, 205, 1)).toBe(false);
    expect(unlockRange(state, second, 200, 10)).toBe('STATUS_SUCCESS');
    expect(unlockRange(state, second, 200, 10)).toBe('STATUS_RANGE_NOT_LOCKED');
    expect(writeConflicts(state, first, 205, 1)).toBe(false);
  });

  it('drops sessions, opens and locks with their connection, or all of them on a reboot', () => {
    const { state, key, uid, tid } = withSession();
    const fid = addOpen(state, uid, tid, '/f', fileHandle(1, 70, 1), 0);
    lockRange(state, fid, 0, 10, true);
    expect(closeConnection(state, key)).toBe(1);
    expect(state.sessions).toEqual({});
    expect(state.opens).toEqual({});
    expect(state.locks).toEqual([]);
    const again = withSession();
    expect(dropAll(again.state)).toBe(1);
    expect(again.state.connections).toEqual({});
  });

  it('keeps its session count right as sessions come and go, restores add some and a table is replaced', () => {
    const { state, key, uid } = withSession();
    const counted = () => Object.keys(state.sessions).length;
    expect(sessionCount(state)).toBe(1);
    const second = sessionSetup(state, key, 'other', 'C4', 20);
    expect(sessionCount(state)).toBe(2);
    logoff(state, uid);
    logoff(state, uid);
    expect(sessionCount(state)).toBe(counted());
    expect(sessionCount(state)).toBe(1);
    // A saved record restored into a live table that already holds one of its sessions counts it once.
    const saved = snapshotCifs(state);
    const other = connectionKey('10.1.1.104', 1);
    openConnection(saved, other, '10.1.1.104', '10.1.1.10', 'filerA', 0);
    sessionSetup(saved, other, 'third', 'C5', 30);
    restoreVserverInto(state, saved, 'filerA', '');
    expect(sessionCount(state)).toBe(counted());
    expect(sessionCount(state)).toBe(2);
    closeConnection(state, key);
    expect(state.sessions[second]).toBeUndefined();
    expect(sessionCount(state)).toBe(1);
    dropAll(state);
    expect(sessionCount(state)).toBe(0);
  });
});
