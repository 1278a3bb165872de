// The scenarios a window offers and the start of an attempt there: a built-in scenario only (a UI
// never names a path on the host), its fault drawn from the seed the instructor fixed, else the one
// the scenario fixes, else a new one each attempt, as `filerlab scenario run [--fault-seed N]` draws
// it, and its recording under the attempts folder.
import { randomInt } from 'node:crypto';
import path from 'node:path';
import type { ScenarioEntry, ScenarioProgress } from '../protocol/scenario-view.ts';
import type { LabSources, PlacementName } from './engine-lab-loader.ts';
import { ensureFolder } from './files.ts';
import { openAttemptLab } from './scenario-attempt.ts';
import type { AttemptLab } from './scenario-attempt.ts';
import { listScenarioNames, loadScenario } from './scenario-files.ts';
import { LiveAttempt } from './scenario-live.ts';

export function windowScenarios(): ScenarioEntry[] {
  return listScenarioNames().flatMap((name) => {
    const loaded = loadScenario(name);
    if (!loaded.ok) return [];
    const { title, lab, timeLimitUs, faults } = loaded.scenario;
    return [{ name, title, lab, timeLimitUs, drawsFault: faults !== undefined, faultSeed: faults?.seed ?? null }];
  });
}

export interface LiveAttemptOptions {
  readonly placement: PlacementName;
  readonly attemptsDir: string;
  readonly onChange: (progress: ScenarioProgress) => void;
  /** The instructor's fixed fault seed; none: the scenario's own, or a new one each attempt. */
  readonly faultSeed?: number;
}

export async function startLiveAttempt(name: string, sources: LabSources, options: LiveAttemptOptions): Promise<{ attempt: AttemptLab; live: LiveAttempt }> {
  if (!listScenarioNames().includes(name)) throw new Error(`no scenario named '${name.slice(0, 80)}'; built-in: ${listScenarioNames().join(', ')}`);
  const loaded = loadScenario(name);
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const scenario = loaded.scenario;
  const drawn = scenario.faults !== undefined && options.faultSeed === undefined && scenario.faults.seed === undefined;
  const faultSeed = drawn ? randomInt(0, 0x1_0000_0000) : options.faultSeed;
  const opened = await openAttemptLab(scenario, sources, faultSeed, options.placement);
  if (!opened.ok) throw new Error(opened.errors.join('\n'));
  try {
    ensureFolder(options.attemptsDir);
    // Wall time names the file only; the lab never sees it.
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const recordTo = path.join(options.attemptsDir, `${name}-${stamp}.filerlab.jsonl`);
    return { attempt: opened.attempt, live: new LiveAttempt(scenario, opened.attempt, recordTo, options.onChange, !drawn) };
  } catch (error) {
    await opened.attempt.lab.dispose();
    throw new Error(`the attempt's recording cannot be written: ${(error as Error).message}`);
  }
}
