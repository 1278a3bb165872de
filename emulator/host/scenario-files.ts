// The scenarios a trainee can run by name: the project's scenarios/<name>.scenario.yaml, or any path to
// such a file. Reading is the host's; the format and its checks are emulator/lab/scenario's.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parseScenarioText } from '../lab/scenario/parse.ts';
import type { Scenario, ScenarioParse } from '../lab/scenario/parse.ts';
import { readInputText } from './files.ts';

const SCENARIO_SUFFIX = '.scenario.yaml';

/** The folder of the built-in scenarios. */
export function scenarioFolder(): string {
  return fileURLToPath(new URL('../../scenarios/', import.meta.url));
}

/** The built-in scenarios' names, sorted. */
export function listScenarioNames(): string[] {
  try {
    return readdirSync(scenarioFolder()).filter((file) => file.endsWith(SCENARIO_SUFFIX)).map((file) => file.slice(0, -SCENARIO_SUFFIX.length)).sort();
  } catch {
    return [];
  }
}

/** A built-in scenario's name or a path to a scenario file (a name with a slash or the suffix is a path). */
export function loadScenario(nameOrPath: string): ScenarioParse {
  const isPath = /[\\/]/.test(nameOrPath) || /\.ya?ml$/i.test(nameOrPath);
  if (!isPath && !listScenarioNames().includes(nameOrPath)) {
    const known = listScenarioNames();
    return { ok: false, errors: [`no scenario named '${nameOrPath}'; built-in: ${known.length > 0 ? known.join(', ') : 'none'} (or give a path to a *${SCENARIO_SUFFIX} file)`] };
  }
  const file = isPath ? nameOrPath : join(scenarioFolder(), `${nameOrPath}${SCENARIO_SUFFIX}`);
  const read = readInputText(file, 'scenario');
  return read.ok ? parseScenarioText(file, read.text) : { ok: false, errors: [`${file}: ${read.error}`] };
}

export type { Scenario };
