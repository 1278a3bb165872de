// Expectations of lab scripts (DESIGN.md §8): a path into the run summary compared with a JSON value.
// Pure: the caller takes the summary at the expectation's virtual time and hands it in. `matches` runs
// in time linear in the text (linear-regex.ts), never JavaScript's backtracking RegExp.
import { compileLinearRegex } from './linear-regex.ts';
import type { LinearRegex } from './linear-regex.ts';

export const EXPECT_OPERATORS = ['==', '!=', '<', '<=', '>', '>=', 'contains', '!contains', 'matches'] as const;
export type ExpectOperator = (typeof EXPECT_OPERATORS)[number];

export interface ExpectOutcome {
  readonly passed: boolean;
  /** The value found at the path (undefined when the path leads nowhere). */
  readonly actual: unknown;
}

/**
 * Follows `a.b.c` through objects and arrays (a number picks an array item); `.length` of a list or a
 * string is its length. A key that exists wins over `length`.
 */
export function readPath(root: unknown, path: string): unknown {
  let value: unknown = root;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') {
      if (key === 'length' && typeof value === 'string') { value = value.length; continue; }
      return undefined;
    }
    if (Array.isArray(value)) {
      if (key === 'length') value = value.length;
      else value = /^\d+$/.test(key) ? value[Number(key)] : undefined;
      continue;
    }
    value = Object.prototype.hasOwnProperty.call(value, key) ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value;
}

export function evaluateExpectation(summary: unknown, path: string, op: ExpectOperator, expected: unknown): ExpectOutcome {
  const actual = readPath(summary, path);
  return { passed: compare(actual, op, expected), actual };
}

function compare(actual: unknown, op: ExpectOperator, expected: unknown): boolean {
  switch (op) {
    case '==': return deepEqual(actual, expected);
    case '!=': return !deepEqual(actual, expected);
    case '<': return typeof actual === 'number' && typeof expected === 'number' && actual < expected;
    case '<=': return typeof actual === 'number' && typeof expected === 'number' && actual <= expected;
    case '>': return typeof actual === 'number' && typeof expected === 'number' && actual > expected;
    case '>=': return typeof actual === 'number' && typeof expected === 'number' && actual >= expected;
    case 'contains': return contains(actual, expected);
    case '!contains': return (Array.isArray(actual) || typeof actual === 'string') && !contains(actual, expected);
    case 'matches': return typeof actual === 'string' && typeof expected === 'string' && matches(expected, actual);
  }
}

/** Compiled patterns by their text: an expectation checked again does not compile again (bounded). */
const compiled = new Map<string, LinearRegex | null>();

function matches(pattern: string, text: string): boolean {
  let regex = compiled.get(pattern);
  if (regex === undefined) {
    try { regex = compileLinearRegex(pattern); } catch { regex = null; }
    if (compiled.size >= 256) compiled.clear();
    compiled.set(pattern, regex);
  }
  // A pattern the parser would refuse never matches (parseScript refuses it first).
  return regex !== null && regex.test(text);
}

/** A list holds an equal item; a string holds a substring; an object holds a key. */
function contains(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(actual)) return actual.some((item) => deepEqual(item, expected));
  if (typeof actual === 'string') return typeof expected === 'string' && actual.includes(expected);
  if (actual !== null && typeof actual === 'object') return typeof expected === 'string' && Object.prototype.hasOwnProperty.call(actual, expected);
  return false;
}

export function deepEqual(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) return false;
  if (Array.isArray(left) !== Array.isArray(right)) return false;
  if (Array.isArray(left)) {
    const other = right as unknown[];
    return left.length === other.length && left.every((item, index) => deepEqual(item, other[index]));
  }
  const leftKeys = Object.keys(left).filter((key) => (left as Record<string, unknown>)[key] !== undefined);
  const rightKeys = Object.keys(right).filter((key) => (right as Record<string, unknown>)[key] !== undefined);
  return leftKeys.length === rightKeys.length
    && leftKeys.every((key) => deepEqual((left as Record<string, unknown>)[key], (right as Record<string, unknown>)[key]));
}
