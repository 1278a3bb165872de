// `filerlab bench [name…]`: a table of named benchmarks. Add one with one line; each prints figures,
// none asserts a timing.
export interface Bench {
  readonly summary: string;
  run(): Promise<string>;
  /** The same figures as a JSON value (`filerlab bench NAME --json`), where the bench has them. */
  json?(): Promise<unknown>;
}

export const BENCHES: Readonly<Record<string, Bench>> = {
  engine: { summary: 'window loop events/s (single vs workers) and µs per barrier', run: async () => { const bench = await import('./engine.ts'); return bench.formatEngineBench(await bench.runEngineBench()); } },
  ui: { summary: 'lab window: fault to diagram (ms) and fps during a fault storm on cluster-4 (Chromium)', run: async () => { const bench = await import('./ui.ts'); return bench.formatUiBench(await bench.runUiBench()); } },
  lab: { summary: 'ha-pair for 60 virtual s from boot, single vs workers: x real time, events/s', run: async () => { const bench = await import('./lab.ts'); return bench.formatLabBench(await bench.runLabBench('ha-pair', 60, 3)); } },
  'lab-10m': { summary: 'ha-pair for 10 virtual min from boot, single vs workers (once each)', run: async () => { const bench = await import('./lab.ts'); return bench.formatLabBench(await bench.runLabBench('ha-pair', 600, 1)); } },
  scale: {
    summary: 'how the cost grows: events/s and x real time for 2, 4 and 6 filers (generated HA pairs; 8 would need 8 shelf ids, the schema allows 7), single vs workers',
    run: async () => { const bench = await import('./scale.ts'); return bench.formatScaleBench(await bench.runScaleBench()); },
    json: async () => { const bench = await import('./scale.ts'); return bench.runScaleBench(); },
  },
  takeover: {
    summary: 'HA: virtual s from trigger to serving (cf takeover, panic, power loss, giveback) and client outages',
    run: async () => { const bench = await import('./takeover.ts'); return bench.formatTakeoverBench(await bench.runTakeoverBench()); },
    json: async () => { const bench = await import('./takeover.ts'); return bench.runTakeoverBench(); },
  },
  footprint: {
    summary: 'whole processes, built and from source: start to serving (headless, serve), CPU of an idle lab at 1x, resident memory after 10 virtual min (ha-pair, cluster-4)',
    run: async () => { const bench = await import('./footprint.ts'); return bench.formatFootprintBench(await bench.runFootprintBench()); },
    json: async () => { const bench = await import('./footprint.ts'); return bench.runFootprintBench(); },
  },
  invariants: {
    summary: 'the always-on invariant checks and client history checkers: share of a ha-pair run\'s CPU (sampled)',
    run: async () => { const bench = await import('./invariants.ts'); return bench.formatInvariantCost(await bench.runInvariantCostBench()); },
    json: async () => { const bench = await import('./invariants.ts'); return bench.runInvariantCostBench(); },
  },
  seek: {
    summary: 'playback: wall time of seeks back and forth in a 30-minute ha-pair recording, and of building its index',
    run: async () => { const bench = await import('./seek.ts'); return bench.formatSeekBench(await bench.runSeekBench()); },
    json: async () => { const bench = await import('./seek.ts'); return bench.runSeekBench(); },
  },
  xor: { summary: 'RAID-4 parity against a memory copy', run: async () => { const bench = await import('./xor.ts'); return bench.formatXorBench(bench.runXorBench()); } },
};
