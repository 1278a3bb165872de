// What the file service and the CIFS clients publish of seed 003 for the window (emulator/ontap/
// fileservice/view.ts, emulator/clients/client-view.ts; paths in emulator/protocol/cifs-view.ts): c2's
// session on filerA, the NVRAM record in filerA's half and its mirror in filerB's, the same session id
// held by filerB after `cf takeover` (restored from its partner's half) and c2 counting a resume; with
// the option off, the session gone from both filers and c2 counting a drop.
import { describe, expect, it } from 'vitest';
import { MICROS_PER_SECOND } from '../../../emulator/engine/actor.ts';
import { createLab, type LabEmission } from '../../../emulator/engine/lab.ts';
import { behaviors } from '../../../emulator/lab/registry.ts';
import { cifsViewPaths, type CifsClientView, type CifsNvramView, type CifsSessionView } from '../../../emulator/protocol/cifs-view.ts';
import type { ClientStatsSample } from '../../../emulator/protocol/client-stats.ts';
import { builtinSpec } from '../hardware/probe.ts';

async function haPair() {
  const lab = await createLab({ spec: builtinSpec('ha-pair'), seed: 1, registry: behaviors });
  const published: Array<{ atUs: number; path: string; value: unknown }> = [];
  lab.onDidEmit((emission: LabEmission) => {
    for (const output of emission.outputs) if (output.type === 'publish') published.push({ atUs: output.atUs, path: output.path, value: output.value });
  });
  const last = <T>(path: string): T | undefined => published.filter((entry) => entry.path === path).at(-1)?.value as T | undefined;
  const console = (filer: string, line: string) => expect(lab.input({ kind: 'actor', actor: filer, input: { kind: 'console', data: `${line}\r` } })).toEqual({ ok: true });
  return { lab, published, last, console };
}

const C2 = '10.1.2.102';
const c2Session = (sessions: CifsSessionView[] | undefined) => sessions?.find((session) => session.clientAddress === C2);

describe('seed 003 in the window’s view', () => {
  it('publishes c2’s session, the NVRAM record in both halves, and the same session id on filerB after cf takeover', async () => {
    const { lab, last, console } = await haPair();
    await lab.runFor(1 * MICROS_PER_SECOND);
    console('filerA', 'options cifs.persistent_state on');
    await lab.runFor(9 * MICROS_PER_SECOND);
    const before = c2Session(last<CifsSessionView[]>(cifsViewPaths.sessions('filerA')));
    expect(before).toEqual({ uid: before!.uid, vserver: 'filerA', clientAddress: C2, workstation: 'C2', user: 'trainee', trees: ['vol1'], restored: null, from: null });
    const nvramA = last<CifsNvramView>(cifsViewPaths.nvram('filerA'));
    expect(nvramA?.persistentState).toBe('on');
    expect(nvramA?.local).toMatchObject({ owner: 'filerA', flag: 'non-elective-takeover' });
    expect(nvramA?.local?.sessions.map((session) => session.uid)).toContain(before!.uid);
    // filerB's card holds filerA's record in its partner half.
    expect(last<CifsNvramView>(cifsViewPaths.nvram('filerB'))?.partner).toMatchObject({ owner: 'filerA', flag: 'non-elective-takeover' });

    // As test/scripts/cifs/takeover-elective.script: at 10 s, c2 sees the drain as a pause.
    console('filerB', 'cf takeover');
    await lab.runFor(50 * MICROS_PER_SECOND);
    expect(c2Session(last<CifsSessionView[]>(cifsViewPaths.sessions('filerA')))).toBeUndefined();
    const after = c2Session(last<CifsSessionView[]>(cifsViewPaths.sessions('filerB')));
    expect(after).toMatchObject({ uid: before!.uid, vserver: 'filerA', restored: 'takeover', from: 'filerA' });
    expect(last<CifsNvramView>(cifsViewPaths.nvram('filerA'))?.local).toMatchObject({ owner: 'filerA', flag: 'elective-takeover', cause: 'shutdown' });
    expect(last<CifsNvramView>(cifsViewPaths.nvram('filerB'))?.lastRestore).toMatchObject({ kind: 'takeover', source: 'partner-nvram', flag: 'elective-takeover' });
    const client = last<CifsClientView>(cifsViewPaths.client('c2'));
    expect(client).toMatchObject({ uid: before!.uid, sessionsDropped: 0, serverAcks: true });
    expect(client!.sessionsResumed).toBeGreaterThanOrEqual(1);
    expect(last<ClientStatsSample>('c2.stats')).toMatchObject({ sessionsDropped: 0, sessionsResumed: client!.sessionsResumed });
  }, 60_000);

  it('classic: the session vanishes from both filers and c2 counts a drop', async () => {
    const { lab, last, console } = await haPair();
    await lab.runFor(5 * MICROS_PER_SECOND);
    const before = c2Session(last<CifsSessionView[]>(cifsViewPaths.sessions('filerA')));
    expect(before).toBeDefined();
    expect(last<CifsNvramView>(cifsViewPaths.nvram('filerA'))).toEqual({ persistentState: 'off', local: null, partner: null, lastRestore: null });
    console('filerB', 'cf takeover');
    await lab.runFor(30 * MICROS_PER_SECOND);
    const after = c2Session(last<CifsSessionView[]>(cifsViewPaths.sessions('filerB')));
    expect(after?.uid).not.toBe(before!.uid);
    expect(after?.restored).toBeNull();
    expect(last<CifsClientView>(cifsViewPaths.client('c2'))).toMatchObject({ sessionsDropped: 1, sessionsResumed: 0 });
  }, 60_000);
});
