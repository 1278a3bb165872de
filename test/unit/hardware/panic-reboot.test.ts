// A panicked filer dumps core and resets itself: 'panicked' for PANIC_DUMP_US, then firmware, autoboot
// and running again, the panic fault cleared by the reset. On the bare chassis and on the real lab
// (console, storage and file service: the clients' outage ends when it serves again).
import { describe, expect, it } from 'vitest';
import { MICROS_PER_MS, MICROS_PER_SECOND } from '../../../emulator/engine/actor.ts';
import { createLab, type LabEmission } from '../../../emulator/engine/lab.ts';
import { PANIC_DUMP_US } from '../../../emulator/hardware/filer/chassis-faults.ts';
import { behaviors as labBehaviors } from '../../../emulator/lab/registry.ts';
import { builtinSpec, hardwareRegistry } from './probe.ts';

type Filers = Record<string, { state: string; faults: string[] }>;

async function haPair(registry: typeof hardwareRegistry) {
  const lab = await createLab({ spec: builtinSpec('ha-pair'), seed: 7, registry });
  const states: string[] = [];
  const published = new Map<string, unknown>();
  lab.onDidEmit((emission: LabEmission) => {
    for (const output of emission.outputs) {
      if (output.type !== 'publish') continue;
      published.set(output.path, output.value);
      if (output.path === 'filerA.state' && states.at(-1) !== output.value) states.push(String(output.value));
    }
  });
  const filerA = async () => ((await lab.summary()).filers as Filers).filerA;
  return { lab, states, published, filerA };
}

describe('a panicked filer reboots by itself', () => {
  it('stays panicked while it dumps core, then resets and runs again with the fault cleared (bare chassis)', async () => {
    const { lab, states, filerA } = await haPair(hardwareRegistry);
    await lab.runFor(10 * MICROS_PER_MS);
    lab.input({ kind: 'actor', actor: 'filerA', input: { kind: 'fault', fault: 'panic', args: [] } });
    await lab.runFor(PANIC_DUMP_US - 100 * MICROS_PER_MS);
    expect(await filerA()).toMatchObject({ state: 'panicked', faults: ['panic'] });
    await lab.runFor(200 * MICROS_PER_MS);
    expect((await filerA()).state).toBe('firmware');
    await lab.runFor(3 * MICROS_PER_SECOND);
    expect(await filerA()).toMatchObject({ state: 'running', faults: [] });
    expect(states.slice(states.indexOf('panicked'))).toEqual(['panicked', 'firmware', 'booting', 'running']);
    await lab.dispose();
  });

  it('a reset pressed during the dump is not followed by a second one', async () => {
    const { lab, states } = await haPair(hardwareRegistry);
    await lab.runFor(10 * MICROS_PER_MS);
    lab.input({ kind: 'actor', actor: 'filerA', input: { kind: 'fault', fault: 'panic', args: [] } });
    await lab.runFor(MICROS_PER_SECOND);
    lab.input({ kind: 'actor', actor: 'filerA', input: { kind: 'clear', fault: 'panic', args: [] } });
    await lab.runFor(PANIC_DUMP_US + 3 * MICROS_PER_SECOND);
    expect(states.slice(states.indexOf('panicked')).filter((state) => state === 'firmware')).toHaveLength(1);
    expect(states.at(-1)).toBe('running');
    await lab.dispose();
  });

  it('on the real lab: the console autoboots ONTAP, storage and the file service come back', async () => {
    const { lab, states, published, filerA } = await haPair(labBehaviors);
    await lab.runFor(2 * MICROS_PER_SECOND);
    // Takeover off for the pair: this is about the filer coming back by itself (HA has its own scripts).
    lab.input({ kind: 'actor', actor: 'filerB', input: { kind: 'console', data: 'cf disable\r' } });
    await lab.runFor(10 * MICROS_PER_MS);
    expect(published.get('filerA.fileservice')).toBe('serving');
    expect(published.get('c1.ports.e0.link')).toBe(true);
    expect(published.get('filerA.raid.aggr0.rg0.status')).toBe('normal');
    expect(Object.values(Object.fromEntries([...published].filter(([path]) => /^filerA\.disks\./.test(path))))).toContain('parity');
    lab.input({ kind: 'actor', actor: 'filerA', input: { kind: 'fault', fault: 'panic', args: [] } });
    await lab.runFor(MICROS_PER_SECOND);
    expect(published.get('filerA.fileservice')).toBe('stopped');
    expect(published.get('filerA.ports.e0a.addresses')).toEqual([]);
    // Its clients see the outage in their chart samples: no success for a whole interval, outage open.
    const stalled = ['c1', 'c2', 'c3', 'c4'].map((client) => published.get(`${client}.stats`) as { opsOk: number; outageMs: number } | undefined)
      .filter((sample) => sample && sample.opsOk === 0 && sample.outageMs >= 250);
    expect(stalled.length).toBeGreaterThan(0);
    await lab.runFor(PANIC_DUMP_US + 20 * MICROS_PER_SECOND);
    expect(await filerA()).toMatchObject({ state: 'running', faults: [] });
    expect(states.slice(states.indexOf('panicked'))).toEqual(['panicked', 'firmware', 'booting', 'running']);
    expect(published.get('filerA.fileservice')).toBe('serving');
    expect((published.get('filerA.ports.e0a.addresses') as string[]).length).toBeGreaterThan(0);
    await lab.dispose();
  });
});
