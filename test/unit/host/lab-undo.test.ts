// Undo in a live lab (issue 22), through the request dispatcher as the window reaches it, on the real
// ha-pair lab: after undoing an action the lab stands where it was in virtual time with the trace hash
// of a run that never had the action — a fresh lab fed the same inputs at the same times, without it.
// Two undos take back two actions; typing is kept; with nothing left to undo the answer says so.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Lab } from '../../../emulator/engine/lab.ts';
import type { LabInput, StampedInput } from '../../../emulator/engine/lab-spec.ts';
import { loadLabSources, openLab } from '../../../emulator/host/engine-lab-loader.ts';
import type { LabSources } from '../../../emulator/host/engine-lab-loader.ts';
import { createLabSession } from '../../../emulator/host/lab-session.ts';
import { actionLabel, inputsSince, isUndoableAction, UNDO_DEPTH, UndoHistory } from '../../../emulator/host/lab-undo.ts';
import type { UndoPoint } from '../../../emulator/host/lab-undo.ts';
import type { LabSnapshot } from '../../../emulator/engine/snapshot.ts';
import type { LabSession } from '../../../emulator/host/lab-session.ts';
import { askHost, sleep } from './session-requests.ts';
import type { UndoAnswer } from '../../../emulator/protocol/scenario-view.ts';

let session: LabSession | undefined;
afterEach(async () => { await session?.dispose(); session = undefined; });

const PULL: LabInput = { kind: 'cable', end: { actor: 'filerA', port: '0a' }, plugged: false };
const FAULT: LabInput = { kind: 'actor', actor: 'filerB', input: { kind: 'fault', fault: 'nvram-battery', args: [] } };
const TYPING: LabInput = { kind: 'actor', actor: 'filerA', input: { kind: 'console', data: 'cf status\r' } };

const ask = (channel: 'lab.undo' | 'lab.pace', args: unknown) => askHost(session!, channel, args);

/** Lets the session run at max speed for `virtualUs` more of virtual time, then pauses it. */
async function runFor(virtualUs: number): Promise<void> {
  const from = session!.view().atUs;
  await ask('lab.pace', { mode: 'running', speed: 'max' });
  for (let waited = 0; waited < 20_000 && session!.view().atUs < from + virtualUs; waited += 20) await sleep(20);
  await ask('lab.pace', { mode: 'paused', speed: 'max' });
  await sleep(50);
}

/** The run that never had the undone actions: a fresh lab, the same seed, the kept inputs at their times. */
async function runWithout(sources: LabSources, log: readonly StampedInput[], left: readonly LabInput[], untilUs: number): Promise<Lab> {
  const opened = await openLab(sources, 'ha-pair', { seed: 3, placement: 'single' });
  if (!opened.ok) throw new Error(opened.errors.join('\n'));
  const lab = opened.lab;
  for (const stamped of log) {
    if (left.some((input) => JSON.stringify(input) === JSON.stringify(stamped.input))) continue;
    await lab.runUntil(stamped.atUs);
    expect(lab.input(stamped.input)).toEqual({ ok: true });
  }
  await lab.runUntil(untilUs);
  return lab;
}

describe('Undo', () => {
  it('takes back the last actions exactly: the trace hash of a run that never had them', async () => {
    const loaded = await loadLabSources();
    if (!loaded.ok) throw new Error(loaded.error);
    const sources = loaded.sources;
    session = await createLabSession({ sources, lab: 'ha-pair', seed: 3, savedLabsDir: mkdtempSync(join(tmpdir(), 'filerlab-undo-')), pace: { mode: 'paused', speed: 'max' } });
    await runFor(3_000_000);
    expect(session.input(PULL)).toEqual({ ok: true });
    await runFor(2_000_000);
    expect(session.input(TYPING)).toEqual({ ok: true });
    await runFor(2_000_000);
    expect(session.input(FAULT)).toEqual({ ok: true });
    await runFor(3_000_000);

    const before = session.current!;
    const log = [...before.inputLog];
    const atUs = before.nowUs;
    const hashWithBoth = await before.traceHash();
    expect(log.map((stamped) => stamped.input)).toEqual(expect.arrayContaining([PULL, TYPING, FAULT]));

    const first = await ask('lab.undo', {}) as UndoAnswer;
    expect(first).toEqual({ ok: true, undone: 'fault filerB nvram-battery', left: ['pull filerA:0a'] });
    const afterOne = session.current!;
    expect(afterOne.nowUs).toBe(atUs);
    expect(afterOne.inputLog.map((stamped) => stamped.input)).not.toContainEqual(FAULT);
    const withoutFault = await runWithout(sources, log, [FAULT], atUs);
    const hashWithoutFault = await withoutFault.traceHash();
    await withoutFault.dispose();
    expect(await afterOne.traceHash()).toBe(hashWithoutFault);
    expect(hashWithoutFault).not.toBe(hashWithBoth);
    // Nothing else changed: the pulled cable is still out, the typing still on the console.
    expect(session.view().unplugged).toEqual(['filerA:0a']);
    expect(session.scrollback('filerA')).toContain('cf status');

    const second = await ask('lab.undo', {}) as UndoAnswer;
    expect(second).toEqual({ ok: true, undone: 'pull filerA:0a', left: [] });
    const withoutBoth = await runWithout(sources, log, [FAULT, PULL], atUs);
    const hashWithoutBoth = await withoutBoth.traceHash();
    await withoutBoth.dispose();
    expect(session.current!.nowUs).toBe(atUs);
    expect(await session.current!.traceHash()).toBe(hashWithoutBoth);
    expect(session.view().unplugged).toEqual([]);
    const cable = session.view().topology.cables.find((candidate) => [candidate.a, candidate.b].some((end) => end.actor === 'filerA' && end.port === '0a'))!;
    expect(session.view().state[`cables.${cable.id}.up`]).toBe(true);
    expect(session.scrollback('filerA')).toContain('cf status');

    expect(await ask('lab.undo', {})).toMatchObject({ ok: false, error: expect.stringContaining('nothing to undo') });
    // The lab goes on from there.
    await runFor(1_000_000);
    expect(session.view().atUs).toBeGreaterThan(atUs);
  }, 120_000);

  it('keeps the last few actions, knows what is an action, and finds the action where it was entered', () => {
    expect([PULL, FAULT].map(isUndoableAction)).toEqual([true, true]);
    expect([TYPING, { kind: 'mark', text: 'hint 1' } as LabInput].map(isUndoableAction)).toEqual([false, false]);
    const point = (input: LabInput, logLength: number): UndoPoint => ({
      label: actionLabel(input), input, view: { state: [], ems: [], transcripts: [] },
      snapshot: { inputLog: Array.from({ length: logLength }, () => ({ atUs: 0, sequence: 0, input: TYPING })), pendingInputs: [] } as unknown as LabSnapshot,
    });
    const history = new UndoHistory();
    for (let index = 0; index < UNDO_DEPTH + 2; index++) history.push(point({ kind: 'cable', end: { actor: 'filerA', port: `0${index}` }, plugged: false }, index));
    expect(history.labels).toHaveLength(UNDO_DEPTH);
    expect(history.labels[0]).toBe('pull filerA:02');
    expect(history.pop()?.label).toBe(`pull filerA:0${UNDO_DEPTH + 1}`);
    const stamped = (input: LabInput, atUs: number): StampedInput => ({ atUs, sequence: atUs, input });
    const log = [stamped(TYPING, 0), stamped(PULL, 1), stamped(TYPING, 2)];
    expect(inputsSince(point(PULL, 1), log)).toEqual([log[2]]);
    expect(() => inputsSince(point(FAULT, 1), log)).toThrow(/does not hold fault filerB nvram-battery/);
  });
});
