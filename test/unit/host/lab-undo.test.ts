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
import { actionLabel, consoleLineLabel, isUndoableAction, UNDO_BASE_WALL_SHARE_MAX, UNDO_DEPTH, UndoHistory, undoReplay } from '../../../emulator/host/lab-undo.ts';
import type { UndoBase, UndoPoint } from '../../../emulator/host/lab-undo.ts';
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

async function openSession(undoBaseEveryUs?: number, placement?: 'single' | 'workers'): Promise<LabSources> {
  const loaded = await loadLabSources();
  if (!loaded.ok) throw new Error(loaded.error);
  session = await createLabSession({ sources: loaded.sources, lab: 'ha-pair', seed: 3, savedLabsDir: mkdtempSync(join(tmpdir(), 'filerlab-undo-')), pace: { mode: 'paused', speed: 'max' }, undoBaseEveryUs, placement });
  return loaded.sources;
}

/** A base of `taken` inputs at `nowUs`, for the history's own bookkeeping (its bytes are never read). */
const base = (taken: number, nowUs = 0): UndoBase => ({ snapshot: { bytes: new Uint8Array(0), nowUs, inputsTaken: taken, inputsLogged: taken }, view: { state: [], ems: [], transcripts: [] } });

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
  // Bases every 30 virtual s (the default): every action rests on the lab's first base. Every 0.5 s:
  // each on a base of its own, and bases taken after an action are dropped when it is undone. The app
  // runs the lab in a thread of its own (workers placement on this machine's cores), which counts the
  // inputs it has taken while some are on their way to the thread.
  it.each([
    ['30 s, the default', undefined, 'single'],
    ['0.5 s', 500_000, 'single'],
    ['0.5 s, the lab as the app runs it', 500_000, 'workers'],
  ] as const)('takes back the last actions exactly, a typed command line among them: the trace hash of a run that never had them (bases every %s)', async (_every, undoBaseEveryUs, placement) => {
    const sources = await openSession(undoBaseEveryUs, placement);
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

  // At once: the lab is paused and fresh, no slice has run, so there is no base yet, and what comes
  // after the first action queues behind it. Apart: each enters at once. Either way the typed line
  // straddles the fault, and undoing the line moves the fault's place in the log.
  it.each([['at once', 0], ['half a virtual second apart', 500_000]])('keeps the order of actions entered %s, and undoes a typed line that straddles another action, then that action', async (_when, apartUs) => {
    const sources = await openSession();
    const line = [keys('filerA', 'cf st'), keys('filerA', 'atus\r')];
    for (const input of [PULL, line[0]!, FAULT, line[1]!]) {
      expect(session!.input(input)).toEqual({ ok: true });
      if (apartUs > 0) await runFor(apartUs);
    }
    await runFor(2_000_000);
    const log = [...session!.current!.inputLog];
    expect(log.map((stamped) => stamped.input)).toEqual([PULL, line[0], FAULT, line[1]]);
    const atUs = session!.current!.nowUs;
    await undoAndCompare(sources, log, line, atUs, { ok: true, undone: 'type "cf status" on filerA', left: ['pull filerA:0a', 'fault filerB nvram-battery'] });
    await undoAndCompare(sources, log, [...line, FAULT], atUs, { ok: true, undone: 'fault filerB nvram-battery', left: ['pull filerA:0a'] });
    await undoAndCompare(sources, log, [...line, FAULT, PULL], atUs, { ok: true, undone: 'pull filerA:0a', left: [] });
  }, 120_000);

  it('takes a base when one is due, in virtual time and within its share of the wall time, and forgets bases that hold an undone action', () => {
    const history = new UndoHistory(1_000_000);
    expect(history.base).toBeUndefined();
    expect(history.baseDue(0, 0)).toBe(true);
    const first = base(2, 0);
    history.keepBase(first, 100, 110);
    expect(history.baseDue(999_999, 1e9)).toBe(false);
    // 10 ms spent: the next waits until that is no more than its share of the wall time since.
    expect(history.baseDue(1_000_000, 110 + 10 / UNDO_BASE_WALL_SHARE_MAX - 1)).toBe(false);
    expect(history.baseDue(1_000_000, 110 + 10 / UNDO_BASE_WALL_SHARE_MAX)).toBe(true);
    const later = base(5, 1_000_000);
    history.keepBase(later, 400, 401);
    // Undoing an action at 6 keeps the newest base; one at 3 (the newest base holds it) goes back to the point's own.
    history.undone({ label: 'x', base: first, at: 6, inputs: [PULL] }, [6]);
    expect(history.base).toBe(later);
    history.undone({ label: 'x', base: first, at: 3, inputs: [PULL] }, [3]);
    expect(history.base).toBe(first);
    // A line typed at 2 and 6 with a fault at 4 between (a base at 5 after it): the fault's point moves up
    // one place, onto the line's base, as the base at 5 held the line's first key.
    const lineBase = base(1, 0);
    const atFive = base(5, 2_000_000);
    history.push({ label: 'fault', base: atFive, at: 4, inputs: [FAULT] });
    history.push({ label: 'before', base: lineBase, at: 1, inputs: [PULL] });
    history.undone({ label: 'line', base: lineBase, at: 2, inputs: TYPED }, [2, 6]);
    expect(history.pop()).toEqual({ label: 'before', base: lineBase, at: 1, inputs: [PULL] });
    expect(history.pop()).toEqual({ label: 'fault', base: lineBase, at: 3, inputs: [FAULT] });
    history.clear();
    expect(history.base).toBeUndefined();
  });

  it('keeps the last few actions, knows what is an action, and finds the action where it was entered', () => {
    expect([PULL, FAULT].map(isUndoableAction)).toEqual([true, true]);
    expect([TYPING, { kind: 'mark', text: 'hint 1' } as LabInput].map(isUndoableAction)).toEqual([false, false]);
    const point = (input: LabInput, at: number, inputs: LabInput[] = [input], from = base(at)): UndoPoint => ({ label: actionLabel(input), inputs, base: from, at });
    const history = new UndoHistory();
    for (let index = 0; index < UNDO_DEPTH + 2; index++) history.push(point({ kind: 'cable', end: { actor: 'filerA', port: `0${index}` }, plugged: false }, index));
    expect(history.labels).toHaveLength(UNDO_DEPTH);
    expect(history.labels[0]).toBe('pull filerA:02');
    expect(history.pop()?.label).toBe(`pull filerA:0${UNDO_DEPTH + 1}`);
    const stamped = (input: LabInput, atUs: number): StampedInput => ({ atUs, sequence: atUs, input });
    const log = [stamped(TYPING, 0), stamped(PULL, 1), stamped(TYPING, 2)];
    expect(undoReplay(point(PULL, 1), log)).toEqual({ inputs: [log[2]], removed: [1] });
    // From an earlier base: what came between it and the action enters again too.
    expect(undoReplay(point(PULL, 1, [PULL], base(0)), log).inputs).toEqual([log[0], log[2]]);
    expect(() => undoReplay(point(PULL, 1, [PULL], base(2)), log)).toThrow(/entered before the state it would start from/);
    expect(() => undoReplay(point(FAULT, 1), log)).toThrow(/does not hold fault filerB nvram-battery/);
    // A typed line: its keys leave the log wherever they are; what came between them stays.
    const typedLog = [stamped(PULL, 0), stamped(TYPED[0]!, 1), stamped(FAULT, 2), stamped(TYPED[1]!, 3), stamped(TYPING, 4)];
    expect(undoReplay(point(TYPED[0]!, 1, TYPED), typedLog)).toEqual({ inputs: [typedLog[2], typedLog[4]], removed: [1, 3] });
    expect(() => undoReplay(point(TYPED[0]!, 1, [...TYPED, TYPED[1]!]), typedLog.slice(0, 4))).toThrow(/does not hold all of/);
    // The line as the console took it: erased keys gone, arrows left out.
    expect(consoleLineLabel('filerA', [keys('filerA', 'cf tx\x7fakeover'), keys('filerA', '\x1b[A\r')])).toBe('type "cf takeover" on filerA');
    expect(consoleLineLabel('filerB', [keys('filerB', '\r')])).toBe('type Enter on filerB');
  });
});
