// The grader on its own, with summaries written by hand: first-met times, ordered goals, `always`
// goals broken at their first failing look, deadlines with late credit, hints' costs, the pass mark.
import { describe, expect, it } from 'vitest';
import { drawFault } from '../../../emulator/lab/scenario/draw.ts';
import { ScenarioGrader } from '../../../emulator/lab/scenario/grade.ts';
import { appendGradebook, gradebookHeader, gradebookRow } from '../../../emulator/lab/scenario/gradebook.ts';
import { parseScenarioText } from '../../../emulator/lab/scenario/parse.ts';
import type { Scenario } from '../../../emulator/lab/scenario/parse.ts';

const TEXT = `title: Round trip
lab: ha-pair
instructions: Take over, then give back.
goals:
  - id: over
    text: taken over
    check: filers.filerB.cf.state == "takeover"
    ordered: true
    by: 20s
    points: 40
    latePoints: 10
  - id: back
    text: given back
    check: [filers.filerB.cf.state == "up", filers.filerA.cf.state == "up"]
    ordered: true
    points: 40
  - id: safe
    text: no violation
    when: always
    from: 2s
    check: violations == []
    points: 20
hints:
  - text: cf takeover
    cost: 15
timeLimit: 60s
scoring:
  pass: 60
`;

function scenario(text = TEXT): Scenario {
  const parsed = parseScenarioText('round-trip.scenario.yaml', text);
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.scenario;
}

const S = 1_000_000;
const look = (b: string, a = 'up', violations: unknown[] = []) => ({ filers: { filerA: { cf: { state: a } }, filerB: { cf: { state: b } } }, violations });

describe('ScenarioGrader', () => {
  it('keeps the first time each goal is met; an ordered goal waits for the one before it', () => {
    const grader = new ScenarioGrader(scenario());
    grader.observe(1 * S, look('up')); // "back" holds already, but "over" is not met: it does not count
    grader.observe(10 * S, look('takeover', 'waiting-for-giveback'));
    grader.observe(30 * S, look('up'));
    const grade = grader.finish(60 * S, []);
    expect(grade.goals.map((goal) => [goal.id, goal.met, goal.atMs])).toEqual([['over', true, 10_000], ['back', true, 30_000], ['safe', true, 60_000]]);
    expect(grade).toMatchObject({ score: 100, maxScore: 100, passScore: 60, passed: true });
  });

  it('gives late credit past a deadline and breaks an always goal at its first failing look', () => {
    const grader = new ScenarioGrader(scenario());
    grader.observe(1 * S, look('up', 'up', ['ignored before from']));
    grader.observe(25 * S, look('takeover'));
    grader.observe(26 * S, look('takeover', 'halted', [{ kind: 'dual-owner' }]));
    grader.observe(27 * S, look('takeover'));
    const grade = grader.finish(60 * S, [{ hint: 1, atUs: 3 * S }]);
    expect(grade.goals[0]).toMatchObject({ met: true, late: true, points: 10 });
    expect(grade.goals[1]).toMatchObject({ met: false, points: 0, missed: { condition: 'filers.filerB.cf.state == "up"', found: 'takeover' } });
    expect(grade.goals[2]).toMatchObject({ met: false, brokenAtMs: 26_000, missed: { condition: 'violations == []', found: [{ kind: 'dual-owner' }] } });
    expect(grade.hintsUsed).toEqual([{ hint: 1, atMs: 3000, cost: 15, text: 'cf takeover' }]);
    expect(grade).toMatchObject({ score: 0, passed: false });
  });

  it('refuses to look back in time', () => {
    const grader = new ScenarioGrader(scenario());
    grader.observe(5 * S, look('up'));
    expect(() => grader.observe(4 * S, look('up'))).toThrow(/forward/);
  });
});

describe('scenario files', () => {
  it('name the field and the line of what is wrong', () => {
    const bad = TEXT.replace('    by: 20s\n', '    by: 2 minutes\n').replace('  pass: 60', '  pass: 200');
    const parsed = parseScenarioText('x.scenario.yaml', bad);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toEqual(['x.scenario.yaml:9: goals.0.by: a duration like 90s, 5m or 1m30s']);
    const tooMuch = parseScenarioText('x.scenario.yaml', TEXT.replace('  pass: 60', '  pass: 200'));
    expect(tooMuch.ok ? [] : tooMuch.errors).toEqual(['x.scenario.yaml:28: scoring.pass: 200 points to pass, but the goals give 100 at most']);
    const setup = parseScenarioText('x.scenario.yaml', TEXT.replace('goals:', 'setup: |\n  at 0s pul filerA:0a\ngoals:'));
    expect(setup.ok ? [] : setup.errors).toEqual(["x.scenario.yaml:4: setup: line 1: unknown action 'pul'; expected console, key, pull, plug, insert, fault, clear, power, client, speed, mark or expect"]);
  });

  it('draw the same fault for the same seed, and spread seeds over the choices', () => {
    const withFaults = scenario(TEXT.replace('goals:', 'faults:\n  choices:\n    - { name: a, setup: "at 0s pull filerA:0a" }\n    - { name: b, setup: "at 0s pull filerA:0b" }\ngoals:'));
    expect(drawFault(withFaults, 7)?.name).toBe(drawFault(withFaults, 7)?.name);
    const drawn = new Set(Array.from({ length: 20 }, (_, seed) => drawFault(withFaults, seed)?.name));
    expect(drawn).toEqual(new Set(['a', 'b']));
    expect(drawFault(scenario(), 7)).toBeUndefined();
  });
});

describe('gradebook CSV', () => {
  it('quotes cells that need it and refuses a file of other columns', () => {
    const header = gradebookHeader(['over']);
    const row = gradebookRow({ scenario: 's', trainee: 'Doe, "J"', lab: 'ha-pair', seed: 1, fault: null, faultSeed: null, recording: 'r.jsonl' },
      { passed: true, score: 40, maxScore: 40, passScore: 40, hintsUsed: [], endedAtMs: 60_000, goals: [{ id: 'over', text: '', when: 'eventually', ordered: false, met: true, atMs: 12_345, late: true, points: 10, brokenAtMs: null, missed: null }] });
    expect(row).toBe('s,"Doe, ""J""",ha-pair,1,,,40,40,40,yes,,60,r.jsonl,12.345 late');
    expect(appendGradebook(undefined, header, row)).toEqual({ ok: true, text: `${header}\n${row}\n` });
    expect(appendGradebook(`${header}\n${row}`, header, row)).toEqual({ ok: true, text: `${header}\n${row}\n${row}\n` });
    expect(appendGradebook('a,b\n', header, row).ok).toBe(false);
  });
});
