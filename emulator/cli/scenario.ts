// `filerlab scenario list|show|run`: the graded exercises (issue 22). `list` names them, `show` prints
// what the trainee reads (instructions and hints), `run` grades one attempt (scenario-run.ts).
import { listScenarioNames, loadScenario } from '../host/scenario-files.ts';
import type { CliCommand, CliIo } from './command.ts';
import { runScenarioAttempt, SCENARIO_RUN_USAGE } from './scenario-run.ts';

const USAGE = `filerlab scenario list [--json]  |  filerlab scenario show NAME|FILE  |  ${SCENARIO_RUN_USAGE}`;

function list(args: string[], io: CliIo): number {
  const json = args.includes('--json');
  const unexpected = args.find((arg) => arg !== '--json');
  if (unexpected) { io.stderr(`filerlab scenario list: unexpected argument '${unexpected}'\n`); return 2; }
  const rows: { name: string; title: string; lab: string; goals: number; error?: string }[] = [];
  for (const name of listScenarioNames()) {
    const loaded = loadScenario(name);
    rows.push(loaded.ok ? { name, title: loaded.scenario.title, lab: loaded.scenario.lab, goals: loaded.scenario.goals.length } : { name, title: '', lab: '', goals: 0, error: loaded.errors.join('; ') });
  }
  if (json) { io.stdout(`${JSON.stringify(rows)}\n`); return rows.some((row) => row.error) ? 2 : 0; }
  const width = Math.max(4, ...rows.map((row) => row.name.length));
  io.stdout(`${'NAME'.padEnd(width)}  ${'LAB'.padEnd(9)}  GOALS  TITLE\n`);
  for (const row of rows) io.stdout(row.error ? `${row.name.padEnd(width)}  BROKEN: ${row.error}\n` : `${row.name.padEnd(width)}  ${row.lab.padEnd(9)}  ${String(row.goals).padStart(5)}  ${row.title}\n`);
  return rows.some((row) => row.error) ? 2 : 0;
}

function show(args: string[], io: CliIo): number {
  if (args.length !== 1) { io.stderr(`filerlab scenario show: which scenario?\nusage: ${USAGE}\n`); return 2; }
  const loaded = loadScenario(args[0]!);
  if (!loaded.ok) { io.stderr(loaded.errors.map((error) => `filerlab scenario show: ${error}\n`).join('')); return 2; }
  const { scenario } = loaded;
  const lines = [`# ${scenario.title}`, '', `Lab: ${scenario.lab}. Time limit: ${scenario.timeLimitUs / 1e6} s of virtual time. Pass: ${scenario.passPoints} of ${scenario.maxPoints} points.`, '', scenario.instructions.trimEnd(), '', '## Goals'];
  for (const goal of scenario.goals) lines.push(`- ${goal.text} (${goal.points} pts${goal.byUs === undefined ? '' : `, by ${goal.byUs / 1e6} s`}${goal.ordered ? ', in order' : ''})`);
  if (scenario.hints.length > 0) lines.push('', `## Hints (an answers script takes hint N with: at <time> mark "hint N")`, ...scenario.hints.map((hint, index) => `${index + 1}. (costs ${hint.cost} pts)`));
  io.stdout(`${lines.join('\n')}\n`);
  return 0;
}

export const scenarioCommand: CliCommand = {
  summary: 'Graded scenarios: list them, show one, run (grade) an attempt from an answers script',
  usage: USAGE,
  async run(argv: string[], io: CliIo): Promise<number> {
    const [sub, ...rest] = argv;
    switch (sub) {
      case 'list': return list(rest, io);
      case 'show': return show(rest, io);
      case 'run': return runScenarioAttempt(rest, io);
      default:
        io.stderr(`filerlab scenario: ${sub === undefined ? 'list, show or run?' : `unknown subcommand '${sub}'`}\nusage: ${USAGE}\n`);
        return 2;
    }
  },
};
