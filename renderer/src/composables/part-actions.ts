// What the right-click menu offers on each kind of part. Faults come from the part's published
// catalogue (`<actor>.faults`, a list of names) when it has one, else from this default list, which
// names the faults of DESIGN.md §3 by kind.
const DEFAULT_FAULTS: Record<string, string[]> = {
  filer: ['panic', 'hang', 'nvram-battery', 'fan', 'psu', 'over-temperature', 'interconnect'],
  shelf: ['shelf-power', 'psu', 'module-a', 'module-b'],
  switch: ['switch-down'],
  client: [],
};

export function faultsOf(kind: string, published: unknown): string[] {
  if (Array.isArray(published) && published.every((name) => typeof name === 'string')) return published;
  return DEFAULT_FAULTS[kind] ?? [];
}

/** Parts with a power switch the trainee may flip. */
export function hasPower(kind: string): boolean {
  return kind === 'filer' || kind === 'shelf' || kind === 'switch';
}
