// `filerlab bench [name…]`: a table of named benchmarks. Add one with one line; each measures once and
// gives its figures both as a JSON value (`--json`) and as text. None asserts a timing.
export interface Bench {
  readonly summary: string;
  /** Measures: the figures as a JSON value, and the same figures as lines of text. */
  run(): Promise<BenchOutcome>;
}

export interface BenchOutcome {
  readonly figures: unknown;
  readonly text: string;
}

/** A bench from its module's measure and format functions (the module is loaded when it runs). */
function bench<T>(summary: string, load: () => Promise<{ measure(): T | Promise<T>; format(figures: T): string }>): Bench {
  return {
    summary,
    async run() {
      const { measure, format } = await load();
      const figures = await measure();
      return { figures, text: format(figures) };
    },
  };
}

export const BENCHES: Readonly<Record<string, Bench>> = {
  engine: bench('window loop events/s (single vs workers) and µs per barrier', async () => {
    const module = await import('./engine.ts');
    return { measure: () => module.runEngineBench(), format: module.formatEngineBench };
  }),
  ui: bench('lab window: fault to diagram (ms) and fps during a fault storm on cluster-4 (Chromium)', async () => {
    const module = await import('./ui.ts');
    return { measure: () => module.runUiBench(), format: module.formatUiBench };
  }),
  lab: bench('ha-pair for 60 virtual s from boot, single vs workers: x real time, events/s', async () => {
    const module = await import('./lab.ts');
    return { measure: () => module.runLabBench('ha-pair', 60, 3), format: module.formatLabBench };
  }),
  'lab-10m': bench('ha-pair for 10 virtual min from boot, single vs workers (once each)', async () => {
    const module = await import('./lab.ts');
    return { measure: () => module.runLabBench('ha-pair', 600, 1, false), format: module.formatLabBench };
  }),
  scale: bench('how the cost grows: events/s and x real time for 2, 4, 6 and 8 filers (generated HA pairs), single vs workers', async () => {
    const module = await import('./scale.ts');
    return { measure: () => module.runScaleBench(), format: module.formatScaleBench };
  }),
  takeover: bench('HA: virtual s from trigger to serving (cf takeover, panic, power loss, giveback) and client outages', async () => {
    const module = await import('./takeover.ts');
    return { measure: () => module.runTakeoverBench(), format: module.formatTakeoverBench };
  }),
  footprint: bench('whole processes, built and from source: start to serving (headless, serve), CPU of an idle lab at 1x, resident memory after 10 virtual min (ha-pair, cluster-4)', async () => {
    const module = await import('./footprint.ts');
    return { measure: () => module.runFootprintBench(), format: module.formatFootprintBench };
  }),
  invariants: bench('the always-on invariant checks and client history checkers: share of a ha-pair run\'s CPU (sampled)', async () => {
    const module = await import('./invariants.ts');
    return { measure: () => module.runInvariantCostBench(), format: module.formatInvariantCost };
  }),
  seek: bench('playback: wall time of seeks back and forth in a 30-minute ha-pair recording, and of building its index', async () => {
    const module = await import('./seek.ts');
    return { measure: () => module.runSeekBench(), format: module.formatSeekBench };
  }),
  xor: bench('RAID-4 parity against a memory copy', async () => {
    const module = await import('./xor.ts');
    return { measure: () => module.runXorBench(), format: module.formatXorBench };
  }),
};
