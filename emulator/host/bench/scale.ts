// How the cost grows with the lab (issue 20): events/s and x real time for 2, 4, 6 and 8 filers, in
// each placement. The labs are generated: N/2 copies of the ha-pair lab's shape (an HA pair, a shelf
// each on dual loops, two switches, two subnets, two NFS and two CIFS clients), each pair on subnets and
// loops of its own (its shelves are ids 1 and 2 of its own stack), so a lab of 2N filers does twice the
// work of one of N. Figures only: nothing here asserts a timing.
import type { LabSpec } from '../../engine/lab-spec.ts';
import type { PlacementName } from '../engine-lab-loader.ts';
import { loadLabSources } from '../engine-lab-loader.ts';
import { placementLabel, runOnce } from './lab.ts';
import type { TimedRun } from './lab.ts';

export const SCALE_FILERS = [2, 4, 6, 8] as const;

export interface ScaleRow {
  readonly filers: number;
  readonly actors: number;
  readonly placement: PlacementName;
  /** Worker threads the lab ran (0 in single). */
  readonly threads: number;
  /** The whole lab ran in one thread of its own (lab-thread.ts). */
  readonly labThread: boolean;
  readonly virtualSeconds: number;
  readonly runs: number;
  readonly realTimeFactor: number;
  readonly eventsPerSecond: number;
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  readonly barriers: number;
  readonly traceHash: string;
}

/** The YAML of one HA pair, numbered `pair` (1-based), in the ha-pair lab's shape. */
function pairYaml(pair: number): { filers: string; shelves: string; switches: string; subnets: string; vservers: string; clients: string; cables: string } {
  const p = `p${pair}`;
  const [a, b] = [`${p}a`, `${p}b`];
  const id = (filer: number): string => `01011${String(pair).padStart(2, '0')}00${filer}`;
  const filer = (self: string, partner: string, shelf: string, systemId: string, volume: string): string => `
  ${self}:
    systemId: "${systemId}"
    partner: ${partner}
    nvramMb: 512
    fcPorts: [0a, 0b]
    ethernet:
      e0a: { subnet: ${p}n1 }
      e0b: { subnet: ${p}n2 }
    interconnect: [ic0, ic1]
    aggregates:
      - name: aggr0
        raidGroupSize: 6
        disks: [${Array.from({ length: 12 }, (_, disk) => `${shelf}.${disk}`).join(', ')}]
    volumes:
      - { name: vol0, aggregate: aggr0, sizeMb: 1024 }
      - { name: ${volume}, aggregate: aggr0, sizeMb: 4096 }
    spares: [${shelf}.12, ${shelf}.13]
    options:
      cf.takeover.detection.seconds: 15`;
  const net = (subnet: number, host: number): string => `10.${pair}.${subnet}.${host}/24`;
  return {
    filers: filer(a, b, `${p}s1`, id(1), 'vol1') + filer(b, a, `${p}s2`, id(2), 'vol2'),
    shelves: `
  ${p}s1: { shelfId: 1, owner: ${a}, diskSizeMb: 2048 }
  ${p}s2: { shelfId: 2, owner: ${b}, diskSizeMb: 2048 }`,
    switches: `
  ${p}w1: { ports: 8 }
  ${p}w2: { ports: 8 }`,
    subnets: `
  ${p}n1: { cidr: 10.${pair}.1.0/24, switch: ${p}w1 }
  ${p}n2: { cidr: 10.${pair}.2.0/24, switch: ${p}w2 }`,
    vservers: `
  ${a}: { home: ${a}, addresses: [{ address: ${net(1, 10)}, port: e0a }, { address: ${net(2, 10)}, port: e0b }], volumes: [vol0, vol1] }
  ${b}: { home: ${b}, addresses: [{ address: ${net(1, 11)}, port: e0a }, { address: ${net(2, 11)}, port: e0b }], volumes: [vol0, vol2] }`,
    clients: `
  ${p}c1: { protocol: nfs, vserver: ${a}, volume: vol1, address: ${net(1, 101)} }
  ${p}c2: { protocol: cifs, vserver: ${a}, volume: vol1, address: ${net(2, 102)} }
  ${p}c3: { protocol: nfs, vserver: ${b}, volume: vol2, address: ${net(1, 103)} }
  ${p}c4: { protocol: cifs, vserver: ${b}, volume: vol2, address: ${net(2, 104)} }`,
    cables: `
  - [${a}:0a, ${p}s1:A]
  - [${p}s1:A.out, ${p}s2:A]
  - [${p}s2:A.out, ${b}:0a]
  - [${b}:0b, ${p}s2:B]
  - [${p}s2:B.out, ${p}s1:B]
  - [${p}s1:B.out, ${a}:0b]
  - [${a}:ic0, ${b}:ic0]
  - [${a}:ic1, ${b}:ic1]
  - [${a}:e0a, ${p}w1:p1]
  - [${b}:e0a, ${p}w1:p2]
  - [${a}:e0b, ${p}w2:p1]
  - [${b}:e0b, ${p}w2:p2]
  - [${p}c1:e0, ${p}w1:p3]
  - [${p}c3:e0, ${p}w1:p4]
  - [${p}c2:e0, ${p}w2:p3]
  - [${p}c4:e0, ${p}w2:p4]`,
  };
}

/** A lab of `filers` filers (an even number) in HA pairs, as lab YAML. */
export function scaleLabYaml(filers: number): string {
  if (!Number.isInteger(filers) || filers < 2 || filers % 2 !== 0) throw new Error(`a scale lab has an even number of filers, not ${filers}`);
  const pairs = Array.from({ length: filers / 2 }, (_, index) => pairYaml(index + 1));
  const section = (key: keyof ReturnType<typeof pairYaml>): string => pairs.map((pair) => pair[key]).join('');
  return `name: scale-${filers}
description: ${filers / 2} HA pairs in the ha-pair lab's shape, generated for the scale bench.
seed: 1
start: warm
filers:${section('filers')}
shelves:${section('shelves')}
switches:${section('switches')}
subnets:${section('subnets')}
vservers:${section('vservers')}
clients:${section('clients')}
cables:${section('cables')}
`;
}

export async function scaleLabSpec(filers: number): Promise<LabSpec> {
  const loaded = await loadLabSources();
  if (!loaded.ok) throw new Error(loaded.error);
  const resolved = loaded.sources.resolveText?.(`scale-${filers}`, scaleLabYaml(filers));
  if (!resolved) throw new Error('the lab catalog cannot resolve lab text');
  if (!resolved.ok) throw new Error(resolved.errors.join('; '));
  return resolved.spec;
}

export async function runScaleBench(virtualSeconds = 10, runs = 3): Promise<ScaleRow[]> {
  const rows: ScaleRow[] = [];
  for (const filers of SCALE_FILERS) {
    const spec = await scaleLabSpec(filers);
    for (const placement of ['single', 'workers'] as const) {
      await runOnce(spec, placement, virtualSeconds); // warm-up
      const samples: TimedRun[] = [];
      for (let run = 0; run < runs; run++) samples.push(await runOnce(spec, placement, virtualSeconds));
      samples.sort((left, right) => left.wall - right.wall);
      const middle = samples[Math.floor(samples.length / 2)];
      rows.push({
        filers, actors: spec.actors.length, placement, threads: middle.threads, labThread: middle.labThread, virtualSeconds, runs,
        realTimeFactor: virtualSeconds / middle.wall, eventsPerSecond: Math.round(middle.events / middle.wall),
        wallSeconds: middle.wall, cpuSeconds: middle.cpu, barriers: middle.barriers, traceHash: middle.hash,
      });
    }
  }
  return rows;
}

export function formatScaleBench(rows: readonly ScaleRow[]): string {
  const first = rows[0];
  const lines = [`scale: generated labs of ${SCALE_FILERS.join(', ')} filers (HA pairs in the ha-pair shape) from boot for ${first?.virtualSeconds ?? 0} virtual s, median of ${first?.runs ?? 0} after a warm-up`];
  for (const row of rows) {
    lines.push(`  ${String(row.filers).padStart(2)} filers (${String(row.actors).padStart(3)} actors) ${placementLabel(row).padEnd(25)} ${row.realTimeFactor.toFixed(1).padStart(7)}x real time  ${String(row.eventsPerSecond).padStart(8)} events/s  ${row.cpuSeconds.toFixed(2)} s CPU  ${String(row.barriers).padStart(6)} barriers  trace ${row.traceHash}`);
  }
  for (const filers of SCALE_FILERS) {
    if (new Set(rows.filter((row) => row.filers === filers).map((row) => row.traceHash)).size > 1) lines.push(`  TRACE HASHES DIFFER BETWEEN PLACEMENTS (${filers} filers)`);
  }
  return lines.join('\n');
}
