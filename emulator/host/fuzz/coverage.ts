// Coverage ("sometimes" assertions, verification.md): counters of the interesting things a run reached,
// summed over runs. A counter that stays at zero over a whole fuzz campaign is a gap: a fault or a
// path the schedules never exercised, printed as such.
import { FAULT_KINDS } from './schedule.ts';

export type Coverage = Record<string, number>;

/** Every outcome the campaign should reach at least once (fault kinds are added as `fault.<kind>`). */
export const EXPECTED_OUTCOMES = [
  'takeover.operator', 'takeover.hard', 'takeover.forcetakeover',
  'giveback.command', 'giveback.auto', 'giveback.forced',
  'takeover.refused', 'halt.reservation-conflict', 'mailbox.saved-split-brain',
  'reconstruction', 'disk-access.lost', 'waiting-for-giveback',
] as const;

export function expectedCoverageKeys(): string[] {
  return [...EXPECTED_OUTCOMES, ...FAULT_KINDS.map((kind) => `fault.${kind}`)];
}

export function countCoverage(coverage: Coverage, key: string, by = 1): void {
  coverage[key] = (coverage[key] ?? 0) + by;
}

export function mergeCoverage(into: Coverage, from: Coverage): Coverage {
  for (const [key, count] of Object.entries(from)) countCoverage(into, key, count);
  return into;
}

/** Expected keys never reached, in the order they are listed. */
export function coverageGaps(coverage: Coverage): string[] {
  return expectedCoverageKeys().filter((key) => (coverage[key] ?? 0) === 0);
}

/** Key order: the expected outcomes first, then the rest alphabetically. */
export function sortedCoverage(coverage: Coverage): Coverage {
  const expected = expectedCoverageKeys();
  const keys = [...new Set([...expected, ...Object.keys(coverage)])];
  keys.sort((left, right) => {
    const a = expected.indexOf(left);
    const b = expected.indexOf(right);
    if (a >= 0 || b >= 0) return (a < 0 ? Infinity : a) - (b < 0 ? Infinity : b);
    return left < right ? -1 : left > right ? 1 : 0;
  });
  return Object.fromEntries(keys.map((key) => [key, coverage[key] ?? 0]));
}
