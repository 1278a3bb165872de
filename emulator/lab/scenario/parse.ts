// Reads a scenario file: YAML with line numbers, the zod schema, then the checks that need the whole
// file (its setup scripts parse, its conditions read like `expect` lines, goal ids are unique, the
// deadlines fall within the time limit). Errors read `file:line: path.to.field: message`, like a lab's.
import type { Micros } from '../../engine/actor.ts';
import { formatError, readYamlDocument, schemaErrors } from '../parse.ts';
import type { LabPath } from '../parse.ts';
import { parseDuration, parseScript } from '../script.ts';
import type { ScriptLine } from '../script.ts';
import type { ExpectOperator } from '../expect.ts';
import { scenarioFileSchema } from './schema.ts';
import type { GoalFile, ScenarioFile } from './schema.ts';

export interface Condition {
  readonly text: string;
  readonly path: string;
  readonly op: ExpectOperator;
  readonly value: unknown;
}

export interface Goal {
  readonly id: string;
  readonly text: string;
  readonly conditions: readonly Condition[];
  readonly when: 'eventually' | 'always';
  readonly fromUs: Micros;
  readonly byUs: Micros | undefined;
  readonly ordered: boolean;
  readonly points: number;
  readonly latePoints: number;
}

export interface FaultChoice {
  readonly name: string;
  readonly setup: readonly ScriptLine[];
}

export interface Scenario {
  readonly name: string;
  readonly title: string;
  readonly lab: string;
  readonly seed: number | undefined;
  readonly instructions: string;
  readonly setup: readonly ScriptLine[];
  readonly faults: { readonly seed: number | undefined; readonly choices: readonly FaultChoice[] } | undefined;
  readonly goals: readonly Goal[];
  readonly hints: readonly { readonly text: string; readonly cost: number }[];
  readonly timeLimitUs: Micros;
  readonly passPoints: number;
  readonly maxPoints: number;
}

export type ScenarioParse = { ok: true; scenario: Scenario } | { ok: false; errors: string[] };

/** `scenarios/planned-takeover.scenario.yaml` → `planned-takeover`. */
export function scenarioName(file: string): string {
  const base = file.split(/[\\/]/).at(-1) ?? file;
  return base.replace(/\.scenario\.ya?ml$/i, '').replace(/\.ya?ml$/i, '') || 'scenario';
}

export function parseScenarioText(file: string, text: string): ScenarioParse {
  const read = readYamlDocument(file, text, 'a scenario file');
  if (!read.ok) return read;
  const parsed = scenarioFileSchema.safeParse(read.json);
  if (!parsed.success) return { ok: false, errors: schemaErrors(file, read.finder, parsed.error.issues) };
  const problems: { path: LabPath; message: string }[] = [];
  const scenario = buildScenario(scenarioName(file), parsed.data, (path, message) => problems.push({ path, message }));
  if (problems.length > 0) return { ok: false, errors: problems.map((p) => formatError(file, read.finder.lineOf(p.path), p.path, p.message)) };
  return { ok: true, scenario };
}

type Report = (path: LabPath, message: string) => void;

function buildScenario(name: string, file: ScenarioFile, report: Report): Scenario {
  const timeLimitUs = parseDuration(file.timeLimit)!;
  const ids = new Set<string>();
  const goals = file.goals.map((goal, index) => {
    if (ids.has(goal.id)) report(['goals', index, 'id'], `a second goal '${goal.id}': goal ids are unique`);
    ids.add(goal.id);
    return buildGoal(goal, ['goals', index], timeLimitUs, report);
  });
  const maxPoints = goals.reduce((sum, goal) => sum + goal.points, 0);
  const passPoints = file.scoring.pass ?? maxPoints;
  if (passPoints > maxPoints) report(['scoring', 'pass'], `${passPoints} points to pass, but the goals give ${maxPoints} at most`);
  return {
    name, title: file.title, lab: file.lab, seed: file.seed, instructions: file.instructions,
    setup: setupLines(file.setup, ['setup'], report),
    faults: file.faults && {
      seed: file.faults.seed,
      choices: file.faults.choices.map((choice, index) => ({ name: choice.name, setup: setupLines(choice.setup, ['faults', 'choices', index, 'setup'], report) })),
    },
    goals, hints: file.hints, timeLimitUs, passPoints, maxPoints,
  };
}

function buildGoal(goal: GoalFile, path: LabPath, timeLimitUs: Micros, report: Report): Goal {
  const texts = typeof goal.check === 'string' ? [goal.check] : goal.check;
  const conditions = texts.flatMap((text, index) => {
    const where = typeof goal.check === 'string' ? [...path, 'check'] : [...path, 'check', index];
    const condition = parseCondition(text);
    if (typeof condition === 'string') { report(where, condition); return []; }
    return [condition];
  });
  const fromUs = goal.from === undefined ? 0 : parseDuration(goal.from)!;
  const byUs = goal.by === undefined ? undefined : parseDuration(goal.by)!;
  if (byUs !== undefined && byUs > timeLimitUs) report([...path, 'by'], `${goal.by} is past the time limit`);
  if (fromUs > timeLimitUs) report([...path, 'from'], `${goal.from} is past the time limit`);
  if (goal.when === 'always' && byUs !== undefined) report([...path, 'by'], "an 'always' goal has no deadline: it holds to the end or it is unmet");
  if (goal.when === 'eventually' && goal.from !== undefined) report([...path, 'from'], "'from' is for 'always' goals (when the watch starts)");
  if (goal.when === 'always' && goal.ordered) report([...path, 'ordered'], "order is among 'eventually' goals: an 'always' goal holds all along");
  if (goal.latePoints > goal.points) report([...path, 'latePoints'], 'late credit cannot exceed the points');
  return { id: goal.id, text: goal.text, conditions, when: goal.when, fromUs, byUs, ordered: goal.ordered, points: goal.points, latePoints: goal.latePoints };
}

/** A condition as the words after `expect` on a script line. */
export function parseCondition(text: string): Condition | string {
  if (/[\r\n]/.test(text)) return 'a condition is one line';
  const parsed = parseScript(`at 0s expect ${text}`);
  if (!parsed.ok) return parsed.errors.map((error) => error.replace(/^line 1: /, '')).join('; ');
  const action = parsed.lines[0]!.action;
  if (action.kind !== 'expect') return `not a condition: '${text}'`;
  return { text, path: action.path, op: action.op, value: action.value };
}

/** A setup script: actions only (the goals are the scenario's checks). */
function setupLines(text: string, path: LabPath, report: Report): ScriptLine[] {
  const parsed = parseScript(text);
  if (!parsed.ok) { for (const error of parsed.errors) report(path, error); return []; }
  for (const line of parsed.lines) if (line.action.kind === 'expect') report(path, `line ${line.line}: a setup holds actions; put checks in the goals`);
  return parsed.lines.filter((line) => line.action.kind !== 'expect');
}
