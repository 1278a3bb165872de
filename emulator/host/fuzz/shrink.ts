// Shrinking a failing schedule (Zeller's ddmin): remove chunks of the safety phase's lines, halves
// first, then quarters, … down to single lines, keeping any removal after which the run still fails
// the same way. The quiet phase is never touched (removing a repair would make a new, trivial
// failure). Bounded in runs: the result is the smallest schedule found within the budget.
import type { ScheduleLine } from './schedule.ts';

export interface ShrinkResult<Line> {
  readonly lines: readonly Line[];
  readonly runs: number;
  /** The budget ran out before single lines were tried: smaller may exist. */
  readonly exhausted: boolean;
}

/**
 * ddmin over `lines`: `stillFails(candidate)` runs the candidate and says whether it fails as the
 * original did. Never calls it more than `maxRuns` times.
 */
export async function shrinkLines<Line>(lines: readonly Line[], stillFails: (candidate: readonly Line[]) => Promise<boolean>, maxRuns: number): Promise<ShrinkResult<Line>> {
  let current = [...lines];
  let granularity = 2;
  let runs = 0;
  while (current.length >= 1) {
    const chunks = split(current, Math.min(granularity, current.length));
    let reduced = false;
    for (let index = 0; index < chunks.length; index++) {
      if (runs >= maxRuns) return { lines: current, runs, exhausted: true };
      // The complement: everything but this chunk.
      const candidate = chunks.filter((_chunk, other) => other !== index).flat();
      runs++;
      if (await stillFails(candidate)) {
        current = candidate;
        granularity = Math.max(granularity - 1, 2);
        reduced = true;
        break;
      }
    }
    if (reduced) continue;
    if (granularity >= current.length) break;
    granularity = Math.min(current.length, granularity * 2);
  }
  return { lines: current, runs, exhausted: false };
}

function split<Line>(lines: readonly Line[], parts: number): Line[][] {
  const chunks: Line[][] = [];
  let start = 0;
  for (let part = 0; part < parts; part++) {
    const end = start + Math.ceil((lines.length - start) / (parts - part));
    chunks.push(lines.slice(start, end));
    start = end;
  }
  return chunks.filter((chunk) => chunk.length > 0);
}

/** What kind of failure this is, to shrink toward the same one (not any failure at all). */
export function failureSignature(failure: { readonly kind: string; readonly detail: string }): string {
  // The subject (a vserver, a client, an address) without times or counts.
  const subject = /^(vserver \S+|client \S+|address \S+)/.exec(failure.detail)?.[1] ?? '';
  return `${failure.kind}:${subject}`;
}

export type { ScheduleLine };
