// A graded attempt in the window (issue 22), through the request dispatcher as the scenario panel
// reaches it: the scenario's lab opens with its fault in place, goals turn met as the live run meets
// them (the headless grader, looking every virtual second), a hint costs its points, the time limit
// ends the attempt with a result and pauses the lab, and the attempt's recording replays. An instructor
// fixes the fault seed (every trainee meets the same fault) or leaves it drawn anew; Finish now grades
// what happened so far, goals not met by then not met; the result exports as JSON and CSV for a gradebook.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseRecording } from '../../../emulator/engine/recording.ts';
import { loadLabSources } from '../../../emulator/host/engine-lab-loader.ts';
import { createLabSession } from '../../../emulator/host/lab-session.ts';
import type { LabSession } from '../../../emulator/host/lab-session.ts';
import { askHost, sleep } from '../host/session-requests.ts';
import type { HostEvent, RequestChannel } from '../../../emulator/protocol/channels.ts';
import type { ScenarioEntry, ScenarioExport, ScenarioProgress } from '../../../emulator/protocol/scenario-view.ts';
import { drawFault } from '../../../emulator/lab/scenario/draw.ts';
import { loadScenario } from '../../../emulator/host/scenario-files.ts';

let session: LabSession | undefined;
afterEach(async () => { await session?.dispose(); session = undefined; });

const ask = (channel: RequestChannel, args: unknown) => askHost(session!, channel, args);

async function until(what: string, test: () => boolean, boundMs = 60_000): Promise<void> {
  for (let waited = 0; !test(); waited += 25) {
    if (waited > boundMs) throw new Error(`still waiting for ${what}`);
    await sleep(25);
  }
}

describe('a scenario attempt in the window', () => {
  it('grades interconnect-down live: goals met as they happen, a hint at its cost, a result at the time limit', async () => {
    const loaded = await loadLabSources();
    if (!loaded.ok) throw new Error(loaded.error);
    const attemptsDir = mkdtempSync(join(tmpdir(), 'filerlab-attempts-'));
    session = await createLabSession({ sources: loaded.sources, lab: 'ha-pair', attemptsDir, pace: { mode: 'paused', speed: 'max' } });
    const told: (ScenarioProgress | null)[] = [];
    session.onDidEmit((event: HostEvent) => { if (event.type === 'scenario.progress') told.push(event.progress); });

    const list = await ask('scenario.list', {}) as ScenarioEntry[];
    expect(list.map((entry) => entry.name)).toEqual(expect.arrayContaining(['interconnect-down', 'planned-takeover', 'pulled-loop-cable']));
    expect(list.find((entry) => entry.name === 'interconnect-down')).toEqual({ name: 'interconnect-down', title: expect.any(String), lab: 'ha-pair', timeLimitUs: 180_000_000, drawsFault: false, faultSeed: null });
    expect(list.find((entry) => entry.name === 'pulled-loop-cable')).toMatchObject({ drawsFault: true, faultSeed: null });
    await expect(ask('scenario.start', { name: '../labs/ha-pair' })).rejects.toThrow(/no scenario named/);

    const started = await ask('scenario.start', { name: 'interconnect-down' }) as ScenarioProgress;
    expect(started).toMatchObject({ scenario: 'interconnect-down', ended: false, fault: null, hints: [{ cost: 10, text: null }] });
    // `no-takeover` is watched from 2 s: not yet held at 0 s.
    expect(started.grade.goals.map((goal) => goal.met)).toEqual([false, false, false, true]);
    // Undo is off while graded.
    expect(await ask('lab.undo', {})).toMatchObject({ ok: false, error: expect.stringContaining('graded') });

    await ask('lab.pace', { mode: 'running', speed: 'max' });
    // The setup pulled both interconnect cables at 0 s; filerB notices the lost heartbeat within seconds.
    await until('down-seen', () => told.some((progress) => progress?.grade.goals[0]!.met === true));
    expect(session.view().unplugged).toEqual(expect.arrayContaining(['filerA:ic0', 'filerA:ic1']));
    const hinted = await ask('scenario.hint', { hint: 1 }) as ScenarioProgress;
    expect(hinted.hints[0]!.text).toContain('filerA:ic0');
    expect(hinted.grade.hintsUsed).toHaveLength(1);
    for (const port of ['ic0', 'ic1']) expect(session.input({ kind: 'cable', end: { actor: 'filerA', port }, plugged: true })).toEqual({ ok: true });
    await until('the restored goal', () => told.some((progress) => progress?.grade.goals[1]!.met === true));
    await until('the end of the attempt', () => told.at(-1)?.ended === true, 120_000);

    const result = told.at(-1)!;
    expect(result.grade.endedAtMs).toBe(180_000);
    expect(result.grade.goals.map((goal) => [goal.id, goal.met, goal.points])).toEqual([
      ['down-seen', true, 0], ['restored', true, 40], ['no-takeover', true, 30], ['no-split-brain', true, 30],
    ]);
    expect(result.grade).toMatchObject({ score: 90, maxScore: 100, passScore: 80, passed: true });
    expect(session.view().pace.mode).toBe('paused');
    expect(await ask('scenario.status', {})).toMatchObject({ ended: true, scenario: 'interconnect-down' });

    // The attempt kept its recording: complete, with the scenario's marker and the hint the trainee read.
    const recording = parseRecording(readFileSync(result.recording, 'utf8'));
    if (!recording.ok) throw new Error(recording.error);
    const marks = recording.recording.inputs.flatMap((stamped) => (stamped.input.kind === 'mark' ? [stamped.input.text] : []));
    expect(marks).toEqual(expect.arrayContaining(['scenario interconnect-down', 'hint 1']));
    expect(recording.recording.end?.atUs).toBe(180_000_000);
    // An instructor replays it exactly: every checkpoint's trace hash matches.
    const replay = spawnSync(process.execPath, ['bin/filerlab.mjs', 'replay', result.recording], { encoding: 'utf8', timeout: 120_000 });
    expect(replay.stdout).toMatch(/replayed exactly: (\d+) of \1 trace hashes match/);
    expect(replay.status).toBe(0);

    // Another lab ends the attempt's panel.
    await ask('lab.open', { lab: 'ha-pair' });
    expect(told.at(-1)).toBeNull();
    expect(await ask('scenario.status', {})).toBeNull();
  }, 180_000);

  it('draws the fault from the seed the instructor fixed, finishes early on what happened so far, and exports the result', async () => {
    const loaded = await loadLabSources();
    if (!loaded.ok) throw new Error(loaded.error);
    session = await createLabSession({ sources: loaded.sources, lab: 'ha-pair', attemptsDir: mkdtempSync(join(tmpdir(), 'filerlab-attempts-')), pace: { mode: 'paused', speed: 'max' } });
    // Left to chance, the seed stays hidden until the result (it would name the fault).
    const drawn = await ask('scenario.start', { name: 'pulled-loop-cable' }) as ScenarioProgress;
    expect(drawn).toMatchObject({ faultSeed: null, faultSeedFixed: false, fault: null });
    await expect(ask('scenario.start', { name: 'pulled-loop-cable', faultSeed: -1 })).rejects.toThrow();

    const fixed = await ask('scenario.start', { name: 'pulled-loop-cable', faultSeed: 7 }) as ScenarioProgress;
    expect(fixed).toMatchObject({ faultSeed: 7, faultSeedFixed: true, fault: null, ended: false });
    const scenario = loadScenario('pulled-loop-cable');
    if (!scenario.ok) throw new Error(scenario.errors.join('\n'));
    const fault = drawFault(scenario.scenario, 7)!;
    await expect(ask('scenario.export', { format: 'json' })).rejects.toThrow(/has not ended/);

    await ask('lab.pace', { mode: 'running', speed: 'max' });
    await until('three virtual seconds', () => session!.view().atUs >= 3_000_000);
    // The fault seed 7 draws the same fault as `filerlab scenario run --fault-seed 7` does.
    expect(session.view().unplugged).toEqual([fault.name.replace(/-(\w+)$/, ':$1')]);
    const finished = await ask('scenario.finish', {}) as ScenarioProgress;
    expect(finished.ended).toBe(true);
    expect(finished.fault).toBe(fault.name);
    expect(finished.grade.endedAtMs).toBeLessThan(finished.timeLimitUs / 1000);
    // The cable is still out: the goals that needed it back are not met, and earn nothing.
    const loopsWhole = finished.grade.goals.find((goal) => goal.id === 'loops-whole')!;
    expect(loopsWhole).toMatchObject({ met: false, atMs: null, points: 0 });
    expect(finished.grade.passed).toBe(false);

    const json = await ask('scenario.export', { format: 'json' }) as ScenarioExport;
    expect(json.fileName).toMatch(/^pulled-loop-cable-\d+s-result\.json$/);
    expect(JSON.parse(json.text)).toMatchObject({
      scenario: 'pulled-loop-cable', lab: 'ha-pair', fault: fault.name, faultSeed: 7, trainee: null, recording: finished.recording,
      score: finished.grade.score, passed: false, endedAtMs: finished.grade.endedAtMs, traceHash: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    const csv = await ask('scenario.export', { format: 'csv' }) as ScenarioExport;
    const [header, row, rest] = csv.text.split('\n');
    expect(header).toBe(`scenario,trainee,lab,seed,fault,faultSeed,score,maxScore,passScore,passed,hintsUsed,endedAtS,recording,${finished.grade.goals.map((goal) => `goal:${goal.id}`).join(',')}`);
    expect(row).toContain(`pulled-loop-cable,,ha-pair,`);
    expect(row).toContain(`,${fault.name},7,${finished.grade.score},`);
    expect(row).toContain('unmet');
    expect(rest).toBe('');
  }, 120_000);
});
