// `filerlab fuzz`: simulation testing (issue 15). Runs a range of seeds, each with its own swarm
// schedule of faults then a quiet phase, checks the lab-wide invariants, and prints the failing seeds
// with the command that reproduces each, the shrunk schedule, coverage and its gaps.
// Exit 0 clean, 1 a seed failed, 2 bad input.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MICROS_PER_SECOND } from '../engine/actor.ts';
import { runCampaign } from '../host/fuzz/campaign.ts';
import type { CampaignReport } from '../host/fuzz/campaign.ts';
import { isSabotage, SABOTAGES } from '../host/fuzz/sabotage.ts';
import type { SabotageName } from '../host/fuzz/sabotage.ts';
import { parseDuration } from '../lab/script.ts';
import type { CliCommand, CliIo } from './command.ts';

const USAGE = 'filerlab fuzz [--seeds A..B] [--for DURATION] [--lab NAME] [--jobs N] [--check-determinism] [--shrink-runs N] [--out DIR] [--sabotage NAME] [--density P] [--json]';
const SEEDS_MAX = 1_000_000;

interface FuzzArgs {
  seeds: number[];
  forUs: number;
  lab: string;
  jobs: number;
  checkDeterminism: boolean;
  shrinkRuns: number;
  out: string;
  sabotage: SabotageName | undefined;
  density: number | undefined;
  json: boolean;
}

function parseSeeds(text: string): number[] | undefined {
  const match = /^(\d+)(?:\.\.(\d+))?$/.exec(text);
  if (!match) return undefined;
  const first = Number(match[1]);
  const last = match[2] === undefined ? first : Number(match[2]);
  if (last < first || last - first >= SEEDS_MAX || !Number.isSafeInteger(last)) return undefined;
  return Array.from({ length: last - first + 1 }, (_unused, index) => first + index);
}

function parseArgs(args: string[]): FuzzArgs | string {
  const parsed: FuzzArgs = {
    seeds: parseSeeds('1..20') ?? [], forUs: 120 * MICROS_PER_SECOND, lab: 'ha-pair', jobs: 2, checkDeterminism: false,
    shrinkRuns: 40, out: join(tmpdir(), 'filerlab-fuzz-failures'), sabotage: undefined, density: undefined, json: false,
  };
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    const value = (): string => args[++index] ?? '';
    switch (arg) {
      case '--json': parsed.json = true; break;
      case '--check-determinism': parsed.checkDeterminism = true; break;
      case '--seeds': {
        const text = value();
        const seeds = parseSeeds(text);
        if (!seeds) return `--seeds takes A..B (or one seed), A <= B, not '${text}'`;
        parsed.seeds = seeds;
        break;
      }
      case '--for': {
        const text = value();
        const forUs = parseDuration(text);
        if (forUs === undefined || forUs < 20 * MICROS_PER_SECOND) return `--for takes a duration of 20s or more, like 60s or 2m, not '${text}'`;
        parsed.forUs = forUs;
        break;
      }
      case '--jobs': case '--shrink-runs': {
        const text = value();
        if (!/^\d+$/.test(text) || (arg === '--jobs' && Number(text) < 1)) return `${arg} takes a whole number${arg === '--jobs' ? ' from 1' : ''}, not '${text}'`;
        if (arg === '--jobs') parsed.jobs = Number(text); else parsed.shrinkRuns = Number(text);
        break;
      }
      case '--lab': case '--out': {
        const text = value();
        if (!text) return `${arg} needs a value`;
        if (arg === '--lab') parsed.lab = text; else parsed.out = text;
        break;
      }
      case '--density': {
        const text = value();
        const density = Number(text);
        if (!/^(0|1)?(\.\d+)?$/.test(text) || !(density > 0 && density <= 1)) return `--density takes the chance that each fault kind is on, above 0 and at most 1, not '${text}'`;
        parsed.density = density;
        break;
      }
      case '--sabotage': {
        const text = value();
        if (!isSabotage(text)) return `--sabotage is one of ${SABOTAGES.join(', ')}, not '${text}'`;
        parsed.sabotage = text;
        break;
      }
      default:
        return `unexpected argument '${arg}'`;
    }
  }
  return parsed;
}

export const fuzzCommand: CliCommand = {
  summary: 'Simulation testing: run seeds with swarm fault schedules, check invariants, print failing seeds',
  usage: USAGE,
  async run(argv: string[], io: CliIo): Promise<number> {
    const args = parseArgs(argv);
    if (typeof args === 'string') { io.stderr(`filerlab fuzz: ${args}\nusage: ${USAGE}\n`); return 2; }
    const bar = io.interactive ? progressBar(io) : undefined;
    let failed = 0;
    let report: CampaignReport;
    try {
      report = await runCampaign({
        lab: args.lab, seeds: args.seeds, durationUs: args.forUs, jobs: args.jobs, checkDeterminism: args.checkDeterminism,
        sabotage: args.sabotage, ...(args.density === undefined ? {} : { density: args.density }), outDir: args.out, shrinkRuns: args.shrinkRuns,
        onSeedDone: (done, total, outcome) => {
          if (outcome.result.failures.length > 0) failed++;
          bar?.(`fuzz ${done}/${total} seeds`, done / total, `${failed} failing`);
        },
        onShrinkStep: (seed, runs) => bar?.(`shrink seed ${seed}`, runs / Math.max(1, args.shrinkRuns), `${runs} runs`),
      });
    } catch (error) {
      if (bar) io.stderr('\r\x1b[2K');
      io.stderr(`filerlab fuzz: ${(error as Error).message}\n`);
      return 2;
    }
    if (bar) io.stderr('\r\x1b[2K');
    io.stdout(args.json ? `${JSON.stringify(report)}\n` : describe(report));
    return report.violations.length > 0 ? 1 : 0;
  },
};

function progressBar(io: CliIo): (label: string, fraction: number, note: string) => void {
  const width = 30;
  return (label, fraction, note) => {
    const filled = Math.round(Math.min(1, fraction) * width);
    io.stderr(`\r\x1b[2K${label} ▕${'█'.repeat(filled)}${'░'.repeat(width - filled)}▏ ${note}`);
  };
}

function describe(report: CampaignReport): string {
  const lines = [
    `lab ${report.lab}: ${report.seeds} seeds, ${(report.virtualMs / 1000).toFixed(0)} s virtual in ${(report.wallMs / 1000).toFixed(1)} s wall, ${report.seedsPerHour} seeds/hour${report.determinismChecked ? ', each run twice (same trace hash required)' : ''}`,
    `vserver samples cost ${(report.sampleShare * 100).toFixed(1)}% of run time; longest address overlap in an ARP move ${report.maxAddressOverlapMs} ms`,
    '',
    report.violations.length === 0 ? 'no failing seed' : `${report.violations.length} failing seed(s):`,
  ];
  for (const failing of report.violations) {
    lines.push(`  seed ${failing.seed} (trace ${failing.traceHash}):`);
    for (const failure of failing.failures.slice(0, 6)) lines.push(`    ${failure.kind} at ${failure.atMs} ms: ${failure.detail}`);
    if (failing.failures.length > 6) lines.push(`    … and ${failing.failures.length - 6} more`);
    lines.push(`    schedule: ${failing.script}`, `    reproduce: ${failing.command}`);
    const shrunk = failing.shrunk;
    if (shrunk) {
      lines.push(`    shrunk to ${shrunk.lines} of ${shrunk.fromLines} fault lines in ${shrunk.runs} runs${shrunk.exhausted ? ' (budget spent: may shrink further)' : ''}: ${shrunk.path}`);
      lines.push(`    reproduce shrunk: ${shrunk.command}`);
    }
  }
  lines.push('', 'coverage (over all runs):');
  for (const [key, count] of Object.entries(report.coverage)) lines.push(`  ${key.padEnd(34)} ${count}`);
  lines.push('', report.gaps.length === 0 ? 'no coverage gap' : `GAPS (never reached): ${report.gaps.join(', ')}`, '');
  return lines.join('\n');
}
