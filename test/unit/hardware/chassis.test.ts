import { describe, expect, it } from 'vitest';
import type { ActorContext, ActorEvent } from '../../../emulator/engine/actor.ts';
import { MICROS_PER_MS } from '../../../emulator/engine/actor.ts';
import { createLab, type LabEmission } from '../../../emulator/engine/lab.ts';
import { createFilerBehavior, raiseLifecycle, setBootState } from '../../../emulator/hardware/filer/filer-actor.ts';
import type { FilerLifecycle, FilerSubsystem } from '../../../emulator/hardware/filer/subsystem.ts';
import { builtinSpec, hardwareRegistry as behaviors } from './probe.ts';

type Filers = Record<string, { power: string; state: string; faults: string[]; nvramBattery: string; ports: Record<string, { link: boolean }> }>;

async function haPair(registry = behaviors) {
  const lab = await createLab({ spec: builtinSpec('ha-pair'), seed: 1, registry });
  const published = new Map<string, unknown>();
  lab.onDidEmit((emission: LabEmission) => {
    for (const output of emission.outputs) if (output.type === 'publish') published.set(output.path, output.value);
  });
  return { lab, published };
}

describe('filer chassis on the real engine', () => {
  it('starts a warm lab powered on and running with no console subsystem', async () => {
    const { lab, published } = await haPair();
    await lab.runFor(10 * MICROS_PER_MS);
    const filers = (await lab.summary()).filers as Filers;
    expect(filers.filerA).toMatchObject({ power: 'on', state: 'running', faults: [] });
    expect(published.get('filerB.state')).toBe('running');
    expect(published.get('shelf1.bays.3.state')).toBe('ok');
    expect(published.get('shelf1.bays.3.owner')).toBe('filerA');
    expect(published.get('sw1.state')).toBe('up');
    await lab.dispose();
  });

  it('sees a pulled interconnect cable as carrier loss at both ends, and carrier back when plugged', async () => {
    const { lab, published } = await haPair();
    await lab.runFor(10 * MICROS_PER_MS);
    expect(published.get('filerA.ports.ic0.link')).toBe(true);
    lab.input({ kind: 'cable', end: { actor: 'filerA', port: 'ic0' }, plugged: false });
    await lab.runFor(10 * MICROS_PER_MS);
    let filers = (await lab.summary()).filers as Filers;
    expect(filers.filerA.ports.ic0.link).toBe(false);
    expect(filers.filerB.ports.ic0.link).toBe(false);
    expect(filers.filerA.ports.ic1.link).toBe(true);
    expect(published.get('filerB.ports.ic0.link')).toBe(false);
    lab.input({ kind: 'cable', end: { actor: 'filerA', port: 'ic0' }, plugged: true });
    await lab.runFor(10 * MICROS_PER_MS);
    filers = (await lab.summary()).filers as Filers;
    expect(filers.filerB.ports.ic0.link).toBe(true);
    await lab.dispose();
  });

  it('takes the far end of a port down when the filer is powered off', async () => {
    const { lab } = await haPair();
    await lab.runFor(10 * MICROS_PER_MS);
    lab.input({ kind: 'actor', actor: 'filerA', input: { kind: 'power', on: false } });
    await lab.runFor(10 * MICROS_PER_MS);
    const filers = (await lab.summary()).filers as Filers;
    expect(filers.filerA).toMatchObject({ power: 'off', state: 'off' });
    expect(filers.filerB.ports.ic0.link).toBe(false);
    expect(filers.filerB.ports.e0a.link).toBe(true);
    await lab.dispose();
  });

  it('applies hardware faults and clears them', async () => {
    const { lab, published } = await haPair();
    await lab.runFor(10 * MICROS_PER_MS);
    for (const fault of ['fan', 'psu', 'nvram-battery', 'overtemp']) {
      lab.input({ kind: 'actor', actor: 'filerA', input: { kind: 'fault', fault, args: [] } });
    }
    lab.input({ kind: 'actor', actor: 'filerA', input: { kind: 'fault', fault: 'down', args: ['e0a'] } });
    await lab.runFor(10 * MICROS_PER_MS);
    const filers = (await lab.summary()).filers as Filers;
    expect(filers.filerA.faults).toEqual(['fan', 'psu', 'nvram-battery', 'overtemp']);
    expect(filers.filerA.nvramBattery).toBe('low');
    expect(filers.filerA.ports.e0a.link).toBe(false);
    expect(published.get('filerA.led.fault')).toBe(true);
    expect(published.get('filerA.sensors.temperatureC')).toBeGreaterThan(50);
    expect(published.get('sw1.ports.p1.link')).toBe(false);
    for (const fault of ['fan', 'psu', 'nvram-battery', 'overtemp']) {
      lab.input({ kind: 'actor', actor: 'filerA', input: { kind: 'clear', fault, args: [] } });
    }
    lab.input({ kind: 'actor', actor: 'filerA', input: { kind: 'clear', fault: 'down', args: ['e0a'] } });
    await lab.runFor(10 * MICROS_PER_MS);
    expect(((await lab.summary()).filers as Filers).filerA).toMatchObject({ faults: [], nvramBattery: 'ok', ports: { e0a: { link: true } } });
    expect(published.get('filerA.sensors.temperatureC')).toBe(27);
    await lab.dispose();
  });
});

/** A subsystem that records the lifecycle it sees and keeps an NVRAM entry to lose. */
function recorder(): FilerSubsystem<{ phases: FilerLifecycle[] }> {
  return {
    name: 'recorder',
    create: () => ({ phases: [] }),
    handle: (_state, filer, event: ActorEvent, ctx: ActorContext) => {
      if (event.type === 'input' && event.input.kind === 'console') {
        if (event.input.data === 'log') filer.chassis.nvram.local.entries.push({ op: 'write' });
        if (event.input.data === 'halt') {
          raiseLifecycle(filer, 'os-halt', ctx);
          setBootState(filer, 'halted', ctx);
        }
        return true;
      }
      return false;
    },
    lifecycle: (state, _filer, phase) => ({ phases: [...state.phases, phase] }),
    summarize: (state, filer) => ({ filers: { [filer.self]: { phases: state.phases, nvramEntries: filer.chassis.nvram.local.entries.length } } }),
  };
}

describe('filer lifecycle and NVRAM', () => {
  it('raises power, panic, hang and OS phases to subsystems in order', async () => {
    const { lab } = await haPair({ ...behaviors, filer: createFilerBehavior([recorder()]) });
    await lab.runFor(10 * MICROS_PER_MS);
    const fault = (kind: 'fault' | 'clear', f: string) => lab.input({ kind: 'actor', actor: 'filerA', input: { kind, fault: f, args: [] } });
    fault('fault', 'hang');
    await lab.runFor(MICROS_PER_MS);
    fault('clear', 'hang');
    await lab.runFor(MICROS_PER_MS);
    lab.input({ kind: 'actor', actor: 'filerA', input: { kind: 'console', data: 'halt' } });
    await lab.runFor(MICROS_PER_MS);
    fault('fault', 'panic');
    await lab.runFor(MICROS_PER_MS);
    const filerA = ((await lab.summary()).filers as Record<string, { phases: string[]; state: string }>).filerA;
    expect(filerA.phases).toEqual(['power-on', 'os-boot', 'hang', 'resume', 'os-halt', 'panic']);
    expect(filerA.state).toBe('panicked');
    // Clearing a panic resets the machine: after the firmware delay a warm lab with no console autoboots.
    fault('clear', 'panic');
    await lab.runFor(MICROS_PER_MS);
    expect(((await lab.summary()).filers as Filers).filerA.state).toBe('firmware');
    await lab.runFor(3_000 * MICROS_PER_MS);
    const after = ((await lab.summary()).filers as Record<string, { phases: string[]; state: string }>).filerA;
    expect(after.state).toBe('running');
    expect(after.phases.at(-1)).toBe('os-boot');
    await lab.dispose();
  });

  it('keeps NVRAM across a power cycle on a good battery and loses it on a bad one', async () => {
    const { lab } = await haPair({ ...behaviors, filer: createFilerBehavior([recorder()]) });
    const cycle = async () => {
      lab.input({ kind: 'actor', actor: 'filerA', input: { kind: 'console', data: 'log' } });
      await lab.runFor(MICROS_PER_MS);
      lab.input({ kind: 'actor', actor: 'filerA', input: { kind: 'power', on: false } });
      await lab.runFor(MICROS_PER_MS);
      lab.input({ kind: 'actor', actor: 'filerA', input: { kind: 'power', on: true } });
      await lab.runFor(MICROS_PER_MS);
      return ((await lab.summary()).filers as Record<string, { nvramEntries: number }>).filerA.nvramEntries;
    };
    await lab.runFor(MICROS_PER_MS);
    expect(await cycle()).toBe(1);
    lab.input({ kind: 'actor', actor: 'filerA', input: { kind: 'fault', fault: 'nvram-battery', args: [] } });
    expect(await cycle()).toBe(0);
    await lab.dispose();
  });
});
