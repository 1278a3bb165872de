// Helpers of the hostile corpora (issue 21): a seeded generator, mutations of a valid text, and the
// verdict every input must get — refused with a reason, or survived — within a time bound.
import { expect } from 'vitest';

/** A small deterministic PRNG (mulberry32): the same corpus on every run. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** `count` mutations of `text`, line-wise and character-wise: deleted, doubled, swapped, cut, spliced. */
export function mutations(text: string, count: number, seed: number, splices: readonly string[]): { label: string; text: string }[] {
  const random = seeded(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const lines = text.split('\n');
  const out: { label: string; text: string }[] = [];
  for (let index = 0; index < count; index++) {
    const line = Math.floor(random() * lines.length);
    const at = Math.floor(random() * text.length);
    switch (index % 6) {
      case 0: out.push({ label: `line ${line + 1} deleted`, text: lines.filter((_, i) => i !== line).join('\n') }); break;
      case 1: out.push({ label: `line ${line + 1} doubled`, text: [...lines.slice(0, line + 1), ...lines.slice(line)].join('\n') }); break;
      case 2: out.push({ label: `cut at ${at}`, text: text.slice(0, at) }); break;
      case 3: out.push({ label: `byte ${at} flipped`, text: `${text.slice(0, at)}${String.fromCharCode(text.charCodeAt(at) ^ (1 << Math.floor(random() * 7)))}${text.slice(at + 1)}` }); break;
      case 4: {
        const splice = pick(splices);
        out.push({ label: `'${splice.slice(0, 30)}' spliced at ${at}`, text: `${text.slice(0, at)}${splice}${text.slice(at)}` });
        break;
      }
      default: {
        const other = Math.floor(random() * lines.length);
        const swapped = [...lines];
        [swapped[line], swapped[other]] = [swapped[other]!, swapped[line]!];
        out.push({ label: `lines ${line + 1} and ${other + 1} swapped`, text: swapped.join('\n') });
      }
    }
  }
  return out;
}

/** Names every JavaScript object answers to, and a few that have bitten hosts. */
export const PROTO_NAMES = [...new Set([...Object.getOwnPropertyNames(Object.prototype), '__proto__', 'prototype', 'then', 'toJSON'])];

export interface Tally { tried: number; refused: number; survived: number; slowestMs: number }

/**
 * Runs `check` on one input: it must return normally (no throw), in under `boundMs`; `refusal` tells
 * a refusal (and its reason, which must be a non-empty sentence without a stack) from a survival.
 */
export function judge(tally: Tally, label: string, boundMs: number, check: () => string | undefined): void {
  const started = performance.now();
  let reason: string | undefined;
  try {
    reason = check();
  } catch (error) {
    throw new Error(`${label}: threw instead of refusing: ${(error as Error).stack ?? String(error)}`, { cause: error });
  }
  const elapsedMs = performance.now() - started;
  tally.tried++;
  tally.slowestMs = Math.max(tally.slowestMs, elapsedMs);
  expect(elapsedMs, `${label} took ${elapsedMs.toFixed(0)} ms`).toBeLessThan(boundMs);
  if (reason === undefined) { tally.survived++; return; }
  tally.refused++;
  expect(reason.length, `${label}: an empty reason`).toBeGreaterThan(0);
  expect(reason, `${label}: a stack trace in the reason`).not.toMatch(/\n\s+at /);
}

export function newTally(): Tally {
  return { tried: 0, refused: 0, survived: 0, slowestMs: 0 };
}

export function report(kind: string, tally: Tally): void {
  console.log(`hostile ${kind}: ${tally.tried} inputs tried, ${tally.refused} refused with a reason, ${tally.survived} survived, none threw; slowest ${tally.slowestMs.toFixed(0)} ms`);
  expect(tally.refused + tally.survived).toBe(tally.tried);
}
