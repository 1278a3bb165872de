// The drawn fault of a scenario: one of its fault choices, picked by a fault seed. The same seed gives
// every trainee the same failure; the host draws a new seed per attempt when the scenario fixes none.
import { hashString32, mix32 } from '../../engine/prng.ts';
import type { FaultChoice, Scenario } from './parse.ts';

export function drawFault(scenario: Scenario, faultSeed: number): FaultChoice | undefined {
  const choices = scenario.faults?.choices;
  if (!choices || choices.length === 0) return undefined;
  return choices[mix32(hashString32(scenario.name) ^ (faultSeed >>> 0)) % choices.length];
}
