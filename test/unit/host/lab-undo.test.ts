// Undo in a live lab (issue 22), through the request dispatcher as the window reaches it, on the real
// ha-pair lab: after undoing an action the lab stands where it was in virtual time with the trace hash
// of a run that never had the action — a fresh lab fed the same inputs at the same times, without it.
// Three undos take back three actions, a command line typed on a console among them (its keys from the
// first to the Enter, sent in pieces); lines typed on two consoles at once are two steps; with nothing
// left to undo the answer says so.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Lab } from '../../../emulator/engine/lab.ts';
import type { LabInput, StampedInput } from '../../../emulator/engine/lab-spec.ts';
import { loadLabSources, openLab } from '../../../emulator/host/engine-lab-loader.ts';
import type { LabSources } from '../../../emulator/host/engine-lab-loader.ts';
import { createLabSession } from '../../../emulator/host/lab-session.ts';
import { actionLabel, consoleLineLabel, inputsSince, isUndoableAction, UNDO_DEPTH, UndoHistory } from '../../../emulator/host/lab-undo.ts';
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
const keys = (actor: string, data: string): LabInput => ({ kind: 'actor', actor, input: { kind: 'console', data } });
/** `cf status` typed in two pieces, as a terminal sends what it has. */
const TYPED = [keys('filerA', 'cf st'), keys('filerA', 'atus\r')];

const ask = (channel: 'lab.undo' | 'lab.pace', args: unknown) => askHost(session!, channel, args);

/** Lets the session run at max speed for `virtualUs` more of virtual time, then pauses it. */
async function runFor(virtualUs: number): Promise<void> {
  const from = session!.view().atUs;
  await ask('lab.pace', { mode: 'running', speed: 'max' });
  for (let waited = 0; waited < 20_000 && session!.view().atUs < from + virtualUs; waited += 20) await sleep(20);
  await ask('lab.pace', { mode: 'paused', speed: 'max' });
  await sleep(50);
}

async function openSession(): Promise<LabSources> {
  const loaded = await loadLabSources();
  if (!loaded.ok) throw new Error(loaded.error);
  session = await createLabSession({ sources: loaded.sources, lab: 'ha-pair', seed: 3, savedLabsDir: mkdtempSync(join(tmpdir(), 'filerlab-undo-')), pace: { mode: 'paused', speed: 'max' } });
  return loaded.sources;
}

/** Undoes the last step and checks the lab against a fresh run without `left` (the inputs undone so far). */
async function undoAndCompare(sources: LabSources, log: readonly StampedInput[], left: readonly LabInput[], atUs: number, expected: UndoAnswer): Promise<void> {
  expect(await ask('lab.undo', {})).toEqual(expected);
  const without = await runWithout(sources, log, left, atUs);
  const hash = await without.traceHash();
  await without.dispose();
  expect(session!.current!.nowUs).toBe(atUs);
  expect(await session!.current!.traceHash()).toBe(hash);
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
  it('takes back the last actions exactly, a typed command line among them: the trace hash of a run that never had them', async () => {
    const sources = await openSession();
    await runFor(3_000_000);
    expect(session!.input(PULL)).toEqual({ ok: true });
    await runFor(2_000_000);
    for (const piece of TYPED) expect(session!.input(piece)).toEqual({ ok: true });
    await runFor(2_000_000);
    expect(session!.input(FAULT)).toEqual({ ok: true });
    await runFor(3_000_000);

    const before = session!.current!;
    const log = [...before.inputLog];
    const atUs = before.nowUs;
    const hashWithAll = await before.traceHash();
    expect(log.map((stamped) => stamped.input)).toEqual(expect.arrayContaining([PULL, ...TYPED, FAULT]));
    expect(session!.scrollback('filerA')).toContain('cf status');

    await undoAndCompare(sources, log, [FAULT], atUs, { ok: true, undone: 'fault filerB nvram-battery', left: ['pull filerA:0a', 'type "cf status" on filerA'] });
    expect(await session!.current!.traceHash()).not.toBe(hashWithAll);
    // Nothing else changed: the pulled cable is still out, the command still on the console.
    expect(session!.view().unplugged).toEqual(['filerA:0a']);
    expect(session!.scrollback('filerA')).toContain('cf status');

    await undoAndCompare(sources, log, [FAULT, ...TYPED], atUs, { ok: true, undone: 'type "cf status" on filerA', left: ['pull filerA:0a'] });
    expect(session!.scrollback('filerA')).not.toContain('cf status');
    expect(session!.view().unplugged).toEqual(['filerA:0a']);

    await undoAndCompare(sources, log, [FAULT, ...TYPED, PULL], atUs, { ok: true, undone: 'pull filerA:0a', left: [] });
    expect(session!.view().unplugged).toEqual([]);
    const cable = session!.view().topology.cables.find((candidate) => [candidate.a, candidate.b].some((end) => end.actor === 'filerA' && end.port === '0a'))!;
    expect(session!.view().state[`cables.${cable.id}.up`]).toBe(true);

    expect(await ask('lab.undo', {})).toMatchObject({ ok: false, error: expect.stringContaining('nothing to undo') });
    // The lab goes on from there.
    await runFor(1_000_000);
    expect(session!.view().atUs).toBeGreaterThan(atUs);
  }, 120_000);

  it('makes a step of each line when two consoles are typed on at once, the state-changing one too', async () => {
    const sources = await openSession();
    await runFor(3_000_000);
    const lineA = [keys('filerA', 'cf dis'), keys('filerA', 'able\r')];
    const lineB = [keys('filerB', 'cf status'), keys('filerB', '\r')];
    for (const piece of [lineA[0]!, lineB[0]!, lineA[1]!, lineB[1]!]) expect(session!.input(piece)).toEqual({ ok: true });
    await runFor(2_000_000);
    const log = [...session!.current!.inputLog];
    const atUs = session!.current!.nowUs;
    expect(session!.scrollback('filerA')).toContain('cf disable');

    await undoAndCompare(sources, log, lineB, atUs, { ok: true, undone: 'type "cf status" on filerB', left: ['type "cf disable" on filerA'] });
    expect(session!.scrollback('filerB')).not.toContain('cf status');
    expect(session!.scrollback('filerA')).toContain('cf disable');
    await undoAndCompare(sources, log, [...lineB, ...lineA], atUs, { ok: true, undone: 'type "cf disable" on filerA', left: [] });
    expect(session!.scrollback('filerA')).not.toContain('cf disable');
  }, 120_000);

  it('keeps the last few actions, knows what is an action, and finds the action where it was entered', () => {
    expect([PULL, FAULT].map(isUndoableAction)).toEqual([true, true]);
    expect([TYPING, { kind: 'mark', text: 'hint 1' } as LabInput].map(isUndoableAction)).toEqual([false, false]);
    const point = (input: LabInput, logLength: number, inputs: LabInput[] = [input]): UndoPoint => ({
      label: actionLabel(input), inputs, view: { state: [], ems: [], transcripts: [] },
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
    // A typed line: its keys leave the log wherever they are; what came between them stays.
    const typedLog = [stamped(PULL, 0), stamped(TYPED[0]!, 1), stamped(FAULT, 2), stamped(TYPED[1]!, 3), stamped(TYPING, 4)];
    expect(inputsSince(point(TYPED[0]!, 1, TYPED), typedLog)).toEqual([typedLog[2], typedLog[4]]);
    expect(() => inputsSince(point(TYPED[0]!, 1, [...TYPED, TYPED[1]!]), typedLog.slice(0, 4))).toThrow(/does not hold all of/);
    // The line as the console took it: erased keys gone, arrows left out.
    expect(consoleLineLabel('filerA', [keys('filerA', 'cf tx\x7fakeover'), keys('filerA', '\x1b[A\r')])).toBe('type "cf takeover" on filerA');
    expect(consoleLineLabel('filerB', [keys('filerB', '\r')])).toBe('type Enter on filerB');
  });
});
