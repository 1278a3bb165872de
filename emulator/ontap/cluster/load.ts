// Load measurement (seed 004 claims 13, 15, 16, 31, 36, 39): every LOAD_SAMPLE_US the node turns the
// requests counted per served address into rates. A lif's load is its address's rate; a port's, the sum
// over the addresses it carries; a vserver's, over its addresses; the node's, over everything it serves.
import type { Micros } from '../../engine/actor.ts';
import type { FileServiceState } from '../fileservice/state.ts';
import type { ClusterState } from './types.ts';

export const LOAD_SAMPLE_US = 5_000_000;
export const SAMPLE_TIMER = 'cluster.sample';

export function sampleLoad(cluster: ClusterState, fs: FileServiceState, now: Micros): void {
  const seconds = (now - cluster.lastSampleUs) / 1_000_000;
  const counts = fs.counters.byAddress;
  const rates: Record<string, number> = {};
  if (seconds > 0) {
    for (const served of fs.served) {
      const delta = (counts[served.address] ?? 0) - (cluster.lastCounts[served.address] ?? 0);
      rates[served.address] = Math.max(0, Math.round((delta / seconds) * 10) / 10);
    }
  }
  cluster.addressLoad = rates;
  cluster.lastCounts = { ...counts };
  cluster.lastSampleUs = now;
}

export function vserverLoad(cluster: ClusterState, fs: FileServiceState, vserver: string): number {
  return round(fs.served.filter((served) => served.vserver === vserver).reduce((sum, served) => sum + (cluster.addressLoad[served.address] ?? 0), 0));
}

export function nodeLoad(cluster: ClusterState, fs: FileServiceState): number {
  return round(fs.served.reduce((sum, served) => sum + (cluster.addressLoad[served.address] ?? 0), 0));
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
