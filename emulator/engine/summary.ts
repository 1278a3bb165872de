// The run summary (`filerlab run --json`): a skeleton with every field the issue names, into which each
// actor's summarize() fragment is deep-merged in actor-id order. Subsystems that do not exist yet
// simply leave their part empty.

export interface RunSummary {
  filers: Record<string, unknown>;
  vservers: Record<string, unknown>;
  clients: Record<string, unknown>;
  violations: unknown[];
  [field: string]: unknown;
}

export function summarySkeleton(): RunSummary {
  return { filers: {}, vservers: {}, clients: {}, violations: [] };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/**
 * Merges `fragment` into `target`: objects merge key by key, arrays concatenate (violations reported
 * by several actors), anything else replaces. Values are copied so the summary shares nothing with
 * actor state.
 */
export function deepMerge(target: Record<string, unknown>, fragment: Record<string, unknown>, depth = 0): Record<string, unknown> {
  if (depth > 32) throw new Error('summary fragment nested deeper than 32 levels');
  for (const [key, value] of Object.entries(fragment)) {
    const existing = target[key];
    if (isPlainObject(value) && isPlainObject(existing)) deepMerge(existing, value, depth + 1);
    else if (Array.isArray(value) && Array.isArray(existing)) existing.push(...value.map((item) => copyPlain(item)));
    else target[key] = copyPlain(value);
  }
  return target;
}

function copyPlain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyPlain);
  if (isPlainObject(value)) return deepMerge({}, value);
  return value;
}
