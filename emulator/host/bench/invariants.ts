// What the always-on checks cost (issue 15: "cheap enough to stay on: report their cost"): ha-pair runs
// in `single` under V8's sampling CPU profiler, and the samples whose running function lives in a
// checking module (the HA and cluster invariants, the clients' register checker and linearizability
// recorder) are counted against all samples of the run. Sampling, not switching the checks off, so the
// lab measured is the lab that ships. Figures only.
import { spawnSync } from 'node:child_process';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { MICROS_PER_SECOND } from '../../engine/actor.ts';
import { loadLabSources, openLab } from '../engine-lab-loader.ts';
import { REPO_ROOT } from '../server/renderer-build.ts';

/** The modules whose running time is the checks' (matched on the end of the script's URL). */
export const CHECK_MODULES = [
  'ontap/ha/invariants.ts', 'ontap/cluster/invariants.ts',
  'clients/checker.ts', 'clients/lin-record.ts', 'clients/linearizability.ts', 'clients/linearizability-history.ts',
] as const;

const SAMPLE_INTERVAL_US = 100;

export interface InvariantCost {
  readonly lab: string;
  readonly virtualSeconds: number;
  readonly samples: number;
  /** Samples in each checking module. */
  readonly byModule: Readonly<Record<string, number>>;
  /** The checks' share of the run's sampled CPU time (0..1), idle and GC samples left out. */
  readonly share: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly url: string; readonly functionName: string };
  readonly children?: readonly number[];
}

export async function runInvariantCostBench(lab = 'ha-pair', virtualSeconds = 60): Promise<InvariantCost> {
  const loaded = await loadLabSources();
  if (!loaded.ok) throw new Error(loaded.error);
  // Samples are told apart by their module's URL, and the JavaScript build (dist/node) has none of the
  // sources' names: from the build, the bench runs again from the sources in a child process.
  if (!loaded.sources.registryUrl.endsWith('.ts')) return fromSources(lab, virtualSeconds);
  // A warm-up run first, so that compilation is not counted against anyone.
  await runLab(loaded.sources, lab, 10);
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: SAMPLE_INTERVAL_US });
    await session.post('Profiler.start');
    await runLab(loaded.sources, lab, virtualSeconds);
    const { profile } = await session.post('Profiler.stop') as { profile: { nodes: ProfileNode[]; samples: number[] } };
    return costOf(lab, virtualSeconds, profile.nodes, profile.samples);
  } finally {
    session.disconnect();
  }
}

function fromSources(lab: string, virtualSeconds: number): InvariantCost {
  const child = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'filerlab.mjs'), 'bench', 'invariants', '--json'], {
    encoding: 'utf8', env: { ...process.env, FILERLAB_FROM_SOURCE: '1' }, timeout: 900_000,
  });
  if (child.status !== 0) throw new Error(`bench invariants from the sources failed (exit ${child.status}): ${(child.stderr ?? '').slice(-300)}`);
  const cost = (JSON.parse(child.stdout) as { invariants: InvariantCost }).invariants;
  if (cost.lab !== lab || cost.virtualSeconds !== virtualSeconds) throw new Error(`bench invariants from the sources measured ${cost.lab} for ${cost.virtualSeconds} s, not ${lab} for ${virtualSeconds} s`);
  return cost;
}

async function runLab(sources: Parameters<typeof openLab>[0], lab: string, virtualSeconds: number): Promise<void> {
  const opened = await openLab(sources, lab, { seed: 1, placement: 'single' });
  if (!opened.ok) throw new Error(opened.errors.join('; '));
  try {
    await opened.lab.runFor(virtualSeconds * MICROS_PER_SECOND);
  } finally {
    await opened.lab.dispose();
  }
}

/** Counts the samples per checking module; exported for its test. */
export function costOf(lab: string, virtualSeconds: number, nodes: readonly ProfileNode[], samples: readonly number[]): InvariantCost {
  const ownModule = new Map<number, string | null>();
  const parentOf = new Map<number, number>();
  const ignored = new Set<number>();
  for (const node of nodes) {
    const name = node.callFrame.functionName;
    if (name === '(idle)' || name === '(program)' || name === '(garbage collector)') ignored.add(node.id);
    ownModule.set(node.id, CHECK_MODULES.find((module) => node.callFrame.url.endsWith(module)) ?? null);
    for (const child of node.children ?? []) parentOf.set(child, node.id);
  }
  // A sample is the checks' when its function or the nearest checking caller above it is in a check module.
  const moduleOf = new Map<number, string | null>();
  const resolve = (id: number): string | null => {
    const known = moduleOf.get(id);
    if (known !== undefined) return known;
    const parent = parentOf.get(id);
    const module = ownModule.get(id) ?? (parent === undefined ? null : resolve(parent));
    moduleOf.set(id, module);
    return module;
  };
  const byModule: Record<string, number> = Object.fromEntries(CHECK_MODULES.map((module) => [module, 0]));
  let counted = 0;
  for (const id of samples) {
    if (ignored.has(id)) continue;
    counted += 1;
    const module = resolve(id);
    if (module) byModule[module] += 1;
  }
  const checks = Object.values(byModule).reduce((sum, count) => sum + count, 0);
  return { lab, virtualSeconds, samples: counted, byModule, share: counted > 0 ? checks / counted : 0 };
}

export function formatInvariantCost(cost: InvariantCost): string {
  const lines = [`invariants: ${cost.lab} for ${cost.virtualSeconds} virtual s in single, sampled every ${SAMPLE_INTERVAL_US} µs (${cost.samples} samples)`];
  lines.push(`  always-on checks: ${(cost.share * 100).toFixed(1)}% of the run's CPU time`);
  for (const [module, count] of Object.entries(cost.byModule)) {
    lines.push(`  ${module.padEnd(36)} ${(cost.samples > 0 ? (count / cost.samples) * 100 : 0).toFixed(2).padStart(6)}%`);
  }
  return lines.join('\n');
}
