// Issue 22: every shipped scenario is graded headless as a trainee's attempt would be — its committed
// answer script (test/scenarios/<name>.script) passes, an empty answers script does not — and the
// graded attempt's recording is one `filerlab replay` accepts. Bad input gets an answer, never a throw.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarioCommand } from '../../../emulator/cli/scenario.ts';
import { replayCommand } from '../../../emulator/cli/replay.ts';
import type { CliCommand } from '../../../emulator/cli/command.ts';
import { runAttempt } from '../../../emulator/host/scenario-attempt.ts';
import { listScenarioNames, loadScenario } from '../../../emulator/host/scenario-files.ts';
import { parseScript } from '../../../emulator/lab/script.ts';

const ANSWERS = join(import.meta.dirname, '../../scenarios');
const dir = mkdtempSync(join(tmpdir(), 'filerlab-scenario-'));
/** A drawn fault is pinned so that the test sees the same attempt every time. */
const FAULT_SEED = 3;
let attempts = 0;

async function invoke(command: CliCommand, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await command.run(args, { stdout: (text) => { stdout += text; }, stderr: (text) => { stderr += text; } });
  return { code, stdout, stderr };
}

async function grade(name: string, answers: string) {
  const loaded = loadScenario(name);
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const parsed = parseScript(answers);
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const recordTo = join(dir, `${name}-${++attempts}.filerlab.jsonl`);
  const attempt = await runAttempt(loaded.scenario, { answers: parsed.lines, answersName: `${name}.script`, faultSeed: FAULT_SEED, placement: 'single', recordTo });
  if (!attempt.ok) throw new Error(attempt.errors.join('\n'));
  return attempt.result;
}

describe('shipped scenarios', () => {
  const names = listScenarioNames();

  it('are at least seven, each with an answer script', () => {
    expect(names.length).toBeGreaterThanOrEqual(7);
    for (const name of names) expect(existsSync(join(ANSWERS, `${name}.script`)), `${name} has no test/scenarios/${name}.script`).toBe(true);
  });

  for (const name of names) {
    it(`${name}: its answer script passes`, { timeout: 180_000 }, async () => {
      const result = await grade(name, readFileSync(join(ANSWERS, `${name}.script`), 'utf8'));
      expect(result.goals.filter((goal) => !goal.met).map((goal) => goal.id)).toEqual([]);
      expect(result.passed).toBe(true);
      expect(result.score).toBe(result.maxScore);
    });

    it(`${name}: an attempt that does nothing fails`, { timeout: 180_000 }, async () => {
      const result = await grade(name, '');
      expect(result.score).toBeLessThan(result.passScore);
      expect(result.passed).toBe(false);
    });
  }
});

describe('cifs-persistent-takeover', () => {
  it('fails the same takeover done without persistent state: c2\'s session drops', { timeout: 180_000 }, async () => {
    const result = await grade('cifs-persistent-takeover', 'at 10s console filerB "cf takeover"\n');
    expect(result.goals.find((goal) => goal.id === 'taken-over')?.met).toBe(true);
    expect(result.goals.find((goal) => goal.id === 'session-kept')).toMatchObject({ met: false, missed: { condition: 'clients.c2.sessionsDropped == 0' } });
    expect(result.passed).toBe(false);
  });
});

describe('filerlab scenario', () => {
  it('lists the scenarios with their lab and goal count', async () => {
    const { code, stdout } = await invoke(scenarioCommand, ['list', '--json']);
    expect(code).toBe(0);
    const rows = JSON.parse(stdout) as { name: string; lab: string; goals: number; title: string }[];
    expect(rows.find((row) => row.name === 'vserver-port-failure')).toMatchObject({ lab: 'cluster-4', goals: 3 });
    expect(rows.every((row) => row.title.length > 0 && row.goals > 0)).toBe(true);
  });

  it('grades an attempt: JSON result, a CSV row per attempt, and a recording that replays', { timeout: 240_000 }, async () => {
    const record = join(dir, 'attempt.filerlab.jsonl');
    const csv = join(dir, 'gradebook.csv');
    const answers = join(ANSWERS, 'pulled-loop-cable.script');
    const passed = await invoke(scenarioCommand, ['run', 'pulled-loop-cable', '--script', answers, '--fault-seed', '1', '--record', record, '--results-csv', csv, '--trainee', 'Ada, L.', '--json']);
    expect(passed.stderr).toBe('');
    expect(passed.code).toBe(0);
    const result = JSON.parse(passed.stdout);
    expect(result).toMatchObject({ scenario: 'pulled-loop-cable', passed: true, faultSeed: 1, trainee: 'Ada, L.', recording: record });
    expect(result.goals[0]).toMatchObject({ id: 'loops-whole', met: true, atMs: 21_000 });

    const empty = join(dir, 'empty.script');
    writeFileSync(empty, '# nothing done\n');
    const failed = await invoke(scenarioCommand, ['run', 'pulled-loop-cable', '--script', empty, '--fault-seed', '1', '--record', join(dir, 'empty.filerlab.jsonl'), '--results-csv', csv, '--csv']);
    expect(failed.code).toBe(1);

    const rows = readFileSync(csv, 'utf8').trimEnd().split('\n');
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(/^scenario,trainee,.*,goal:loops-whole,goal:disks-reached,goal:no-lost-writes$/);
    expect(rows[1]).toMatch(/^pulled-loop-cable,"Ada, L\.",ha-pair,1,filer\w+-0\w,1,100,100,70,yes,/);
    expect(rows[2]).toMatch(/,no,.*,unmet,120,120$/);
    // --csv prints the attempt as a gradebook of one: the header and the row --results-csv appended.
    expect(failed.stdout).toBe(`${rows[0]}\n${rows[2]}\n`);
    expect((await invoke(scenarioCommand, ['run', 'pulled-loop-cable', '--script', empty, '--json', '--csv'])).stderr).toContain('one output format at a time');

    const replay = await invoke(replayCommand, [record, '--json']);
    expect(replay.code).toBe(0);
    expect(JSON.parse(replay.stdout).matches).toBe(true);
  });

  it('a hint taken costs its points and is listed', { timeout: 180_000 }, async () => {
    const answers = `${readFileSync(join(ANSWERS, 'pulled-loop-cable.script'), 'utf8')}at 2s mark "hint 1"\n`;
    const result = await grade('pulled-loop-cable', answers);
    expect(result.hintsUsed).toEqual([expect.objectContaining({ hint: 1, atMs: 2000, cost: 10 })]);
    expect(result.score).toBe(result.maxScore - 10);
  });

  it('refuses bad input with a clear error, not a stack trace', async () => {
    const unknown = await invoke(scenarioCommand, ['run', 'no-such-scenario', '--script', '/dev/null']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("no scenario named 'no-such-scenario'");

    const malformed = join(dir, 'broken.scenario.yaml');
    writeFileSync(malformed, 'title: Broken\nlab: ha-pair\ninstructions: x\ngoals:\n  - id: g1\n    text: a goal\n    check: clients.c1.lostWrites === 0\n');
    const refused = await invoke(scenarioCommand, ['show', malformed]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/broken\.scenario\.yaml:7: goals\.0\.check: /);
    expect(refused.stderr).not.toMatch(/\n\s+at /);

    const unknownField = join(dir, 'extra.scenario.yaml');
    writeFileSync(unknownField, 'title: Extra\nlab: ha-pair\ninstructions: x\ngoals:\n  - id: g1\n    text: a goal\n    check: violations == []\n    pionts: 3\n');
    const extra = await invoke(scenarioCommand, ['show', unknownField]);
    expect(extra.stderr).toMatch(/extra\.scenario\.yaml:5: goals\.0: .*pionts/);

    const cheat = join(dir, 'cheat.script');
    writeFileSync(cheat, 'at 1s expect violations == []\nat 2s mark "hint 9"\n');
    const cheating = await invoke(scenarioCommand, ['run', 'planned-takeover', '--script', cheat, '--record', join(dir, 'cheat.filerlab.jsonl')]);
    expect(cheating.code).toBe(2);
    expect(cheating.stderr).toContain("line 1: an answers script holds the trainee's actions");
    expect(cheating.stderr).toContain('line 2: there is no hint 9');

    const badAction = join(dir, 'bad.script');
    writeFileSync(badAction, 'at 1s pull filerZ:0a\n');
    const bad = await invoke(scenarioCommand, ['run', 'planned-takeover', '--script', badAction, '--record', join(dir, 'bad.filerlab.jsonl')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad\.script: line 1: .*filerZ/);
  });
});
