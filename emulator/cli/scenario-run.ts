// `filerlab scenario run NAME --script ANSWERS`: grades one attempt headless. The answers script holds
// the trainee's actions in the lab-script language; the scenario's goals are checked along the run.
// Exit 0 passed, 1 not passed, 2 bad input. The attempt's recording is always written.
import { randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { outputFileProblem, readInputText, writeFileAtomic } from '../host/files.ts';
import { runAttempt } from '../host/scenario-attempt.ts';
import { resultCsvLines, resultDocument } from '../host/scenario-attempt.ts';
import type { AttemptResult } from '../host/scenario-attempt.ts';
import { loadScenario } from '../host/scenario-files.ts';
import { appendGradebook } from '../lab/scenario/gradebook.ts';
import { parseScript } from '../lab/script.ts';
import type { CliIo } from './command.ts';

export const SCENARIO_RUN_USAGE = 'filerlab scenario run NAME|FILE --script ANSWERS [--json | --csv] [--record FILE] [--results-csv FILE] [--trainee NAME] [--fault-seed N]';

interface RunArgs {
  scenario: string;
  script: string;
  json: boolean;
  /** Print the result as a gradebook's CSV (header and row) instead of text. */
  csv: boolean;
  record: string | undefined;
  resultsCsv: string | undefined;
  trainee: string;
  faultSeed: number | undefined;
}

function parseArgs(args: string[]): RunArgs | string {
  let scenario: string | undefined;
  const parsed: Omit<RunArgs, 'scenario' | 'script'> & { script?: string } = { json: false, csv: false, record: undefined, resultsCsv: undefined, trainee: '', faultSeed: undefined };
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    const value = (): string | undefined => args[++index];
    switch (arg) {
      case '--json': parsed.json = true; break;
      case '--csv': parsed.csv = true; break;
      case '--script': case '--record': case '--results-csv': case '--trainee': {
        const text = value();
        if (!text) return `${arg} needs ${arg === '--trainee' ? 'a name' : 'a path'}`;
        if (arg === '--script') parsed.script = text;
        else if (arg === '--record') parsed.record = text;
        else if (arg === '--results-csv') parsed.resultsCsv = text;
        else parsed.trainee = text;
        break;
      }
      case '--fault-seed': {
        const text = value() ?? '';
        if (!/^\d{1,10}$/.test(text) || Number(text) > 0xffffffff) return `--fault-seed takes a whole number from 0 to ${0xffffffff}, not '${text}'`;
        parsed.faultSeed = Number(text);
        break;
      }
      default:
        if (arg.startsWith('-') || scenario !== undefined) return `unexpected argument '${arg}'`;
        scenario = arg;
    }
  }
  if (scenario === undefined) return 'which scenario? (`filerlab scenario list` names them)';
  if (parsed.json && parsed.csv) return '--json and --csv: one output format at a time';
  if (parsed.script === undefined) return '--script ANSWERS is needed: the trainee\'s actions (an empty file is an attempt that does nothing)';
  return { ...parsed, scenario, script: parsed.script };
}

export async function runScenarioAttempt(argv: string[], io: CliIo): Promise<number> {
  const fail = (lines: string[]): number => { io.stderr(lines.map((line) => `filerlab scenario run: ${line}\n`).join('')); return 2; };
  const args = parseArgs(argv);
  if (typeof args === 'string') return fail([args, `usage: ${SCENARIO_RUN_USAGE}`]);
  const loaded = loadScenario(args.scenario);
  if (!loaded.ok) return fail(loaded.errors);
  const scenario = loaded.scenario;
  const record = args.record ?? `${scenario.name}.attempt.filerlab.jsonl`;
  const outputs = [['--record', record], ['--results-csv', args.resultsCsv]].flatMap(([option, file]) => {
    const problem = file === undefined ? undefined : outputFileProblem(file);
    return problem ? [`${option}: ${problem}`] : [];
  });
  if (args.resultsCsv !== undefined && args.resultsCsv === record) outputs.push('--record and --results-csv name the same file');
  if (outputs.length > 0) return fail(outputs);
  const read = readInputText(args.script, 'script');
  if (!read.ok) return fail([`${args.script}: ${read.error}`]);
  const answers = parseScript(read.text);
  if (!answers.ok) return fail(answers.errors.map((error) => `${args.script}: ${error}`));
  // A scenario that fixes no fault seed draws a new fault each attempt; the seed is reported, so the attempt can be repeated.
  const faultSeed = args.faultSeed ?? (scenario.faults && scenario.faults.seed === undefined ? randomInt(0, 0x1_0000_0000) : undefined);
  const attempt = await runAttempt(scenario, { answers: answers.lines, answersName: args.script, faultSeed, placement: 'single', recordTo: record });
  if (!attempt.ok) return fail(attempt.errors);
  const written: string[] = [];
  try {
    if (args.resultsCsv !== undefined) written.push(...appendResults(args.resultsCsv, attempt.result, args.trainee, record));
  } catch (error) {
    written.push((error as Error).message);
  }
  const document = resultDocument(attempt.result, args.trainee, record);
  const csv = args.csv ? resultCsvLines(attempt.result, args.trainee, record) : undefined;
  io.stdout(args.json ? `${JSON.stringify(document)}\n` : csv ? `${csv.header}\n${csv.row}\n` : describe(document));
  if (written.length > 0) return fail(written);
  return attempt.result.passed ? 0 : 1;
}

function appendResults(file: string, result: AttemptResult, trainee: string, recording: string): string[] {
  const existing = existsSync(file) ? readInputText(file, 'gradebook') : undefined;
  if (existing && !existing.ok) return [`--results-csv: ${file}: ${existing.error}`];
  const { header, row } = resultCsvLines(result, trainee, recording);
  const appended = appendGradebook(existing?.text, header, row);
  if (!appended.ok) return [`--results-csv: ${file}: ${appended.error}`];
  writeFileAtomic(file, appended.text);
  return [];
}

function describe(document: AttemptResult & { recording: string }): string {
  const lines = [`scenario ${document.scenario}: ${document.title}`, `lab ${document.lab}, seed ${document.seed}${document.fault ? `, fault ${document.fault} (fault seed ${document.faultSeed})` : ''}`];
  for (const goal of document.goals) {
    const mark = goal.met ? 'met  ' : 'UNMET';
    const when = goal.atMs === null ? '' : goal.when === 'always' ? ' (held to the end)' : ` at ${goal.atMs / 1000} s${goal.late ? ' (late)' : ''}`;
    const missed = goal.missed ? ` — ${goal.missed.condition}: found ${JSON.stringify(goal.missed.found)}${goal.brokenAtMs === null ? '' : ` at ${goal.brokenAtMs / 1000} s`}` : '';
    lines.push(`  ${mark} ${String(goal.points).padStart(3)} pts  ${goal.id}: ${goal.text}${when}${missed}`);
  }
  for (const use of document.hintsUsed) lines.push(`  hint ${use.hint} taken at ${use.atMs / 1000} s (-${use.cost} pts): ${use.text}`);
  lines.push(`score ${document.score} of ${document.maxScore} (pass ${document.passScore}): ${document.passed ? 'PASSED' : 'NOT PASSED'}`);
  lines.push(`recording ${document.recording} (filerlab replay ${document.recording})`);
  return `${lines.join('\n')}\n`;
}
