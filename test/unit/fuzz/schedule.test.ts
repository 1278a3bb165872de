// Swarm schedules: the same seed gives the same lab script, which parses and resolves against the lab
// as `filerlab run --script` reads it; seeds differ; no RAID group loses two disks; every schedule ends
// with the quiet phase's repairs.
import { describe, expect, it } from 'vitest';
import { loadLabSources } from '../../../emulator/host/engine-lab-loader.ts';
import { generateSchedule, scheduleText, FAULT_KINDS } from '../../../emulator/host/fuzz/schedule.ts';
import { fuzzTopology } from '../../../emulator/host/fuzz/topology.ts';
import type { FuzzTopology } from '../../../emulator/host/fuzz/topology.ts';
import { parseScript, resolveScript } from '../../../emulator/lab/script.ts';
import type { LabSpec } from '../../../emulator/engine/lab-spec.ts';

async function haPair(): Promise<{ spec: LabSpec; topology: FuzzTopology }> {
  const loaded = await loadLabSources();
  if (!loaded.ok) throw new Error(loaded.error);
  const resolved = loaded.sources.resolve('ha-pair');
  if (!resolved.ok) throw new Error(resolved.errors.join('; '));
  return { spec: resolved.spec, topology: fuzzTopology(resolved.spec) };
}

describe('swarm schedules', () => {
  it('are the same text for the same seed, and differ between seeds', async () => {
    const { topology } = await haPair();
    const text = (seed: number) => scheduleText(generateSchedule(topology, { seed, durationUs: 120_000_000 }));
    expect(text(7)).toBe(text(7));
    const texts = new Set([1, 2, 3, 4, 5, 6, 7, 8].map(text));
    expect(texts.size).toBe(8);
  });

  it('parse and resolve as lab scripts for 200 seeds, with faults only in the safety phase', async () => {
    const { spec, topology } = await haPair();
    for (let seed = 0; seed < 200; seed++) {
      const schedule = generateSchedule(topology, { seed, durationUs: 120_000_000 });
      const parsed = parseScript(scheduleText(schedule));
      expect(parsed.ok, `seed ${seed}`).toBe(true);
      if (!parsed.ok) continue;
      const resolved = resolveScript(parsed.lines, spec);
      expect(resolved.ok ? [] : resolved.errors, `seed ${seed}`).toEqual([]);
      for (const line of schedule.faults) expect(line.atUs).toBeLessThan(schedule.quietAtUs);
      expect(schedule.repairs.every((line) => line.atUs >= schedule.quietAtUs)).toBe(true);
      // Two failed disks in one RAID group lose the aggregate by design: never drawn.
      const failed = schedule.faults.filter((line) => line.kind === 'disk-fail' || line.kind === 'op-disk-fail').map((line) => {
        const disk = topology.disks.find((candidate) => line.action.includes(`${candidate.component} `) || line.action.includes(`${candidate.ontapName}"`));
        return disk?.raidGroup;
      });
      expect(new Set(failed).size, `seed ${seed}`).toBe(failed.length);
    }
  });

  it('switch every fault kind on in some seed of a small range', async () => {
    const { topology } = await haPair();
    const seen = new Set<string>();
    for (let seed = 1; seed <= 40; seed++) for (const line of generateSchedule(topology, { seed, durationUs: 120_000_000 }).faults) if (line.kind) seen.add(line.kind);
    expect(FAULT_KINDS.filter((kind) => !seen.has(kind))).toEqual([]);
  });

  it('end with every cable plugged, every fault cleared, filers booted and a giveback tried', async () => {
    const { topology } = await haPair();
    const text = scheduleText(generateSchedule(topology, { seed: 3, durationUs: 120_000_000 }));
    for (const wanted of ['at 60s plug filerA:ic0', 'at 60s power shelf1 on', 'at 60s power filerA on', 'at 60s clear filerB hang', 'at 60s client c1 start', 'at 65s console filerA "boot_ontap"', 'at 75s console filerB "boot_ontap"', 'at 84s console filerB "cf giveback"']) {
      expect(text).toContain(wanted);
    }
  });
});
