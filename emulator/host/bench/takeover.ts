// `filerlab bench takeover`: how long the HA pair takes, in virtual time, from the trigger to the
// partner's identity being served again — planned (`cf takeover`), unplanned (a panic, a power loss),
// negotiated (a fault of filerA's, seeds 000/002) and giveback — and each client's longest outage, beside the real product's figures (ontap.md).
// The lab runs the real product's defaults (15 s detection); where it is faster, the reason is printed.
import { MICROS_PER_SECOND } from '../../engine/actor.ts';
import type { Lab } from '../../engine/lab.ts';
import { parseScript, resolveScript } from '../../lab/script.ts';
import { loadLabSources, openLab } from '../engine-lab-loader.ts';

export interface TakeoverScenario {
  readonly name: string;
  /** Lab script lines run before measuring; the trigger is the line at `triggerS`. */
  readonly script: string;
  readonly triggerS: number;
  /** Who must serve vserver filerA for the scenario to be done. */
  readonly servedBy: string;
  readonly real: string;
  readonly note: string;
}

export interface TakeoverFigure {
  readonly scenario: string;
  /** Virtual seconds from the trigger to vserver filerA served by `servedBy`; null if it never was. */
  readonly toServingS: number | null;
  readonly clientsMaxOutageMs: Record<string, number>;
  readonly lostWrites: number;
  readonly real: string;
  readonly note: string;
}

const SCENARIOS: readonly TakeoverScenario[] = [
  {
    name: 'planned takeover (cf takeover on filerB)', script: 'at 10s console filerB "cf takeover"', triggerS: 10, servedBy: 'filerB',
    real: 'takeover 4-12 s', note: 'filerA halts at once (no long-running jobs to stop) and the mount replays a small log',
  },
  {
    name: 'unplanned takeover (filerA panics)', script: 'at 10s fault filerA panic', triggerS: 10, servedBy: 'filerB',
    real: 'takeover 4-12 s after the panic', note: 'cf.takeover.on_panic: the panic routine tells filerB, no detection wait',
  },
  {
    name: 'unplanned takeover (filerA loses power)', script: 'at 10s power filerA off', triggerS: 10, servedBy: 'filerB',
    real: 'detection 15 s + takeover 4-12 s', note: 'cf.takeover.detection.seconds 15 as the real default',
  },
  {
    name: 'negotiated takeover (filerA\'s NVRAM battery fails)', script: 'at 10s fault filerA nvram-battery', triggerS: 10, servedBy: 'filerB',
    real: 'no product does this (seeds 000/002)', note: 'request at the next 0.5 s monitor tick, probe, please-shutdown, drain and final CP, then the planned takeover',
  },
  {
    name: 'forced at the countdown (filerA loses both FC loops; countdown 10 s)',
    script: 'at 1s console filerB "options cf.takeover.countdown.seconds 10"\nat 10s pull filerA:0a\nat 10s pull filerA:0b', triggerS: 10, servedBy: 'filerB',
    real: 'no product does this (seeds 000/002)', note: 'diagnosis, then filerA cannot write its final CP: filerB forces it when the countdown ends',
  },
  {
    name: 'giveback (cf giveback on filerB)',
    script: 'at 10s console filerB "cf takeover"\nat 20s console filerA "boot_ontap"\nat 60s console filerB "cf giveback"', triggerS: 60, servedBy: 'filerA',
    real: 'giveback 1-16 s', note: 'one CP of filerA\'s volumes, then filerA mounts and replays its own (short) log',
  },
];

const STEP_US = 100_000;
const MEASURE_FOR_US = 60 * MICROS_PER_SECOND;

async function servedBy(lab: Lab): Promise<string | null> {
  const summary = await lab.summary();
  const vserver = summary.vservers['filerA'] as { node?: string | null } | undefined;
  return vserver?.node ?? null;
}

async function measure(scenario: TakeoverScenario): Promise<TakeoverFigure> {
  const loaded = await loadLabSources();
  if (!loaded.ok) throw new Error(loaded.error);
  const opened = await openLab(loaded.sources, 'ha-pair', { seed: 1, placement: 'single' });
  if (!opened.ok) throw new Error(opened.errors.join('; '));
  const lab = opened.lab;
  try {
    const parsed = parseScript(scenario.script);
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    const resolved = resolveScript(parsed.lines, lab.spec);
    if (!resolved.ok) throw new Error(resolved.errors.join('; '));
    for (const step of resolved.steps) {
      await lab.runUntil(step.line.atUs);
      if (step.kind === 'input') lab.input(step.input);
    }
    const triggerUs = scenario.triggerS * MICROS_PER_SECOND;
    let toServingS: number | null = null;
    // The partner's serving state is read every 100 virtual ms after the trigger.
    while (lab.nowUs < triggerUs + MEASURE_FOR_US) {
      await lab.runUntil(lab.nowUs + STEP_US);
      if (toServingS === null && lab.nowUs > triggerUs + STEP_US && (await servedBy(lab)) === scenario.servedBy) {
        toServingS = (lab.nowUs - triggerUs) / MICROS_PER_SECOND;
      }
    }
    const clients = (await lab.summary()).clients as Record<string, { maxOutageMs: number; lostWrites: number }>;
    return {
      scenario: scenario.name, toServingS,
      clientsMaxOutageMs: Object.fromEntries(Object.entries(clients).map(([name, figures]) => [name, figures.maxOutageMs])),
      lostWrites: Object.values(clients).reduce((sum, figures) => sum + figures.lostWrites, 0),
      real: scenario.real, note: scenario.note,
    };
  } finally {
    await lab.dispose();
  }
}

export async function runTakeoverBench(): Promise<TakeoverFigure[]> {
  const figures: TakeoverFigure[] = [];
  for (const scenario of SCENARIOS) figures.push(await measure(scenario));
  return figures;
}

export function formatTakeoverBench(figures: readonly TakeoverFigure[]): string {
  const lines = ['takeover and giveback on ha-pair (virtual time, seed 1; serving measured to 0.1 s)'];
  for (const figure of figures) {
    const serving = figure.toServingS === null ? 'never within 60 s' : `${figure.toServingS.toFixed(1)} s`;
    const outages = Object.entries(figure.clientsMaxOutageMs).map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`).join(', ');
    lines.push(`  ${figure.scenario}`);
    lines.push(`    trigger to serving: ${serving}   (real product: ${figure.real}; here: ${figure.note})`);
    lines.push(`    longest client outage: ${outages}; lost writes: ${figure.lostWrites}`);
  }
  return lines.join('\n');
}
