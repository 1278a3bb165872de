// The duplicate request cache survives a takeover through NVRAM (HA issue: "a retried non-idempotent
// request after a takeover is answered from a duplicate request cache carried through NVRAM"): an NFS
// CREATE that filerA logged and mirrored, and then lost power before it could answer, is redone by
// filerB's replay of its partner half; filerB's DRC then holds the answer, so the client's retry (same
// xid) gets OK with the file's handle instead of NFS3ERR_EXIST.
import { describe, expect, it } from 'vitest';
import { drcCheck } from '../../../emulator/ontap/fileservice/drc.ts';
import type { FileServiceState } from '../../../emulator/ontap/fileservice/state.ts';
import type { HaState } from '../../../emulator/ontap/ha/types.ts';
import { lookup, modify } from '../../../emulator/ontap/storage/index.ts';
import { logEntries } from '../../../emulator/ontap/storage/nvram-log.ts';
import { ROOT_FILE_ID } from '../../../emulator/ontap/storage/wafl-fs.ts';
import { haPair } from '../storage/ha-pair-bench.ts';

const CLIENT = '10.1.1.199';

describe('the duplicate request cache across a takeover', () => {
  it('filerB answers a retried CREATE that filerA logged but never answered, from the replayed NVRAM log', async () => {
    const bench = await haPair(3);
    let createOp = 0;
    let fsid = 0;
    await bench.call('filerA', (storage, env) => {
      fsid = storage.volumes['vol1'].fsid;
      createOp = modify(storage, env, 'vol1', { kind: 'create', dir: ROOT_FILE_ID, name: 'drc-proof' }, { client: CLIENT, xid: 4242, proc: 'CREATE' });
      modify(storage, env, 'vol1', { kind: 'create', dir: ROOT_FILE_ID, name: 'no-origin' });
    });
    // Mirrored: filerB's partner half holds the entry with its origin.
    expect(await bench.until(() => !bench.storage('filerA').ops.waiting.some((op) => op.opId === createOp), 1)).toBe(true);
    const mirrored = logEntries(bench.filers.filerB.chassis.nvram.partner).find((entry) => entry.origin?.xid === 4242);
    expect(mirrored?.origin).toEqual({ client: CLIENT, xid: 4242, proc: 'CREATE' });
    expect(bench.lab.input({ kind: 'actor', actor: 'filerA', input: { kind: 'power', on: false } })).toEqual({ ok: true });
    // filerB takes over after the detection time (15 s) and replays filerA's half.
    const ha = () => bench.filers.filerB.subsystems.ha as HaState;
    expect(await bench.until(() => ha().state === 'takeover', 30)).toBe(true);
    const fs = bench.filers.filerB.subsystems.fileservice as FileServiceState;
    const created = lookup(bench.storage('filerB'), 'filerA:vol1', ROOT_FILE_ID, 'drc-proof');
    if (typeof created === 'string') throw new Error(`the replayed file is missing: ${created}`);
    const verdict = drcCheck(fs.drc, CLIENT, 4242, 'CREATE');
    expect(verdict.kind).toBe('replay');
    if (verdict.kind !== 'replay') return;
    expect(verdict.reply.status).toBe('NFS3_OK');
    expect(verdict.reply.body.fh).toEqual({ fsid, fileId: created.fileId, generation: created.generation });
    expect(fs.drc.rebuilt).toBeGreaterThanOrEqual(1);
    // A call filerA never logged is new to filerB: it is served, not replayed.
    expect(drcCheck(fs.drc, CLIENT, 4243, 'CREATE').kind).toBe('new');
    await bench.lab.dispose();
  }, 60_000);
});
