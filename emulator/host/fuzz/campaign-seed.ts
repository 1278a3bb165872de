// One seed of a campaign, as a worker process or the campaign itself runs it: the run, and with
// --check-determinism a second run that must end on the same trace hash.
import type { Micros } from '../../engine/actor.ts';
import type { SabotageName } from './sabotage.ts';
import { runSeed } from './simulate.ts';
import type { SeedResult } from './simulate.ts';

export interface SeedRequest {
  readonly lab: string;
  readonly seed: number;
  readonly durationUs: Micros;
  readonly sabotage?: SabotageName;
  readonly density?: number;
  readonly checkDeterminism: boolean;
}

export interface SeedOutcome {
  readonly result: SeedResult;
  /** The second run's trace hash, when determinism was checked. */
  readonly rerunTraceHash: string | null;
}

export async function runSeedChecked(request: SeedRequest): Promise<SeedOutcome> {
  const options = { lab: request.lab, seed: request.seed, durationUs: request.durationUs, sabotage: request.sabotage, density: request.density };
  const result = await runSeed(options);
  if (!request.checkDeterminism) return { result, rerunTraceHash: null };
  const rerun = await runSeed(options);
  if (rerun.traceHash === result.traceHash) return { result, rerunTraceHash: rerun.traceHash };
  const failure = { kind: 'determinism' as const, atMs: result.virtualMs, detail: `trace ${result.traceHash} then ${rerun.traceHash} on a rerun of the same seed and schedule` };
  return { result: { ...result, failures: [...result.failures, failure] }, rerunTraceHash: rerun.traceHash };
}
