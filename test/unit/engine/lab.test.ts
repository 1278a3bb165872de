import { describe, expect, it } from 'vitest';
import { createLab } from '../../../emulator/engine/lab.ts';
import { replayInputs } from '../../../emulator/engine/replay.ts';
import type { Lab } from '../../../emulator/engine/lab.ts';
import type { LabInput } from '../../../emulator/engine/lab-spec.ts';
import { behaviors, ringLab } from './fixtures/ping-actors.ts';
import type { PingerState } from './fixtures/ping-actors.ts';

const SECOND = 1_000_000;

async function runScripted(lab: Lab, inputs: [number, LabInput][], untilUs: number): Promise<void> {
  for (const [atUs, input] of inputs) {
    await lab.runUntil(atUs);
    expect(lab.input(input)).toEqual({ ok: true });
  }
  await lab.runUntil(untilUs);
}

const SCRIPT: [number, LabInput][] = [
  [200_000, { kind: 'actor', actor: 'n1', input: { kind: 'console', data: 'hello' } }],
  [300_000, { kind: 'cable', end: { actor: 'n2', port: 'r' }, plugged: false }],
  [450_000, { kind: 'cable', end: { actor: 'n2', port: 'r' }, plugged: true }],
  [500_000, { kind: 'actor', actor: 'n0', input: { kind: 'console', data: 'disable' } }],
  [600_000, { kind: 'actor', actor: 'n0', input: { kind: 'console', data: 'enable' } }],
];

describe('the conductor in single placement', () => {
  it('gives the same trace hash for the same lab, seed and inputs, and another for another seed', async () => {
    const hashes: string[] = [];
    for (const seed of [7, 7, 8]) {
      const lab = await createLab({ spec: ringLab(4, { latencyUs: 1500 }), seed, registry: behaviors });
      await runScripted(lab, SCRIPT, SECOND);
      hashes.push(await lab.traceHash());
      expect(lab.eventsHandled).toBeGreaterThan(400);
    }
    expect(hashes[0]).toMatch(/^[0-9a-f]{16}$/);
    expect(hashes[1]).toBe(hashes[0]);
    expect(hashes[2]).not.toBe(hashes[0]);
  });

  it('does not depend on window boundaries: stepping, slicing and one long run agree', async () => {
    const whole = await createLab({ spec: ringLab(3), seed: 3, registry: behaviors });
    await whole.runUntil(100_000);
    const sliced = await createLab({ spec: ringLab(3), seed: 3, registry: behaviors });
    for (let atUs = 0; atUs < 100_000; atUs += 333) await sliced.runUntil(atUs);
    await sliced.runUntil(100_000);
    const stepped = await createLab({ spec: ringLab(3), seed: 3, registry: behaviors });
    while (stepped.nextEventUs() < 100_000) expect(await stepped.step()).toBe(true);
    await stepped.runUntil(100_000);
    const hash = await whole.traceHash();
    expect(await sliced.traceHash()).toBe(hash);
    expect(await stepped.traceHash()).toBe(hash);
    expect(stepped.eventsHandled).toBe(whole.eventsHandled);
  });

  it('replays its input log to the same trace hash', async () => {
    const original = await createLab({ spec: ringLab(4), seed: 11, registry: behaviors });
    // Inputs arrive between arbitrary slices, as they would from a UI.
    for (const [index, [, input]] of SCRIPT.entries()) {
      await original.runFor(37_000 + index * 91_000);
      original.input(input);
    }
    await original.runUntil(SECOND);
    const replay = await createLab({ spec: ringLab(4), seed: 11, registry: behaviors });
    await replayInputs(replay, JSON.parse(JSON.stringify(original.inputLog)), original.nowUs);
    expect(replay.inputLog).toEqual(original.inputLog);
    expect(await replay.traceHash()).toBe(await original.traceHash());
  });

  it('restores a snapshot that continues with the same trace as the original', async () => {
    const original = await createLab({ spec: ringLab(4, { latencyUs: 2000 }), seed: 5, registry: behaviors });
    await runScripted(original, SCRIPT.slice(0, 2), 320_000);
    const saved = JSON.parse(JSON.stringify(await original.snapshot()));
    await runScripted(original, SCRIPT.slice(2), SECOND);
    const restored = await createLab({ spec: saved.spec, seed: 5, registry: behaviors, snapshot: saved });
    expect(restored.nowUs).toBe(320_000);
    await runScripted(restored, SCRIPT.slice(2), SECOND);
    expect(await restored.traceHash()).toBe(await original.traceHash());
    expect(await restored.summary()).toEqual(await original.summary());
  });

  it('refuses to snapshot state that is not plain data, naming where it sits', async () => {
    const keeper = { kind: 'keeper', ports: () => [], create: () => ({ blocks: new Map([[1, 'x']]) }), handle: () => undefined };
    const lab = await createLab({ spec: { name: 'keeper', actors: [{ id: 'k', kind: 'keeper', config: {} }], cables: [] }, seed: 1, registry: { keeper } });
    await lab.runUntil(1_000);
    await expect(lab.snapshot()).rejects.toThrow('a lab snapshot holds plain data only: a Map at .actors[0].state.blocks');
  });

  it('drops messages on a pulled cable and tells both ends of the loss of carrier', async () => {
    const lab = await createLab({ spec: ringLab(2, { latencyUs: 40_000, periodUs: 1_000 }), seed: 1, registry: behaviors });
    await lab.runUntil(100_000);
    const before = await lab.summary() as unknown as { pingers: Record<string, PingerState> };
    expect(lab.input({ kind: 'cable', end: { actor: 'n0', port: 'r' }, plugged: false })).toEqual({ ok: true });
    await lab.runUntil(300_000);
    const after = await lab.summary() as unknown as { pingers: Record<string, PingerState> };
    expect(lab.linkUp('n0:r-n1:l')).toBe(false);
    expect(lab.unpluggedEnds()).toEqual(['n0:r']);
    expect(after.pingers.n0.links).toEqual(['100000:r:down']);
    expect(after.pingers.n1.links).toEqual(['100000:l:down']);
    // n1 hears pings on l only from n0:r; the ~40 ms of pings in flight at the pull never arrive.
    expect(before.pingers.n1.pingsSeen.l).toBeGreaterThan(30);
    expect(after.pingers.n1.pingsSeen.l).toBe(before.pingers.n1.pingsSeen.l);
    expect(after.pingers.n0.pingsSeen.l).toBeGreaterThan(before.pingers.n0.pingsSeen.l + 100);
  });

  it('brings a link down when a far end turns its port off, and up again', async () => {
    const lab = await createLab({ spec: ringLab(2), seed: 1, registry: behaviors });
    await runScripted(lab, [[10_000, { kind: 'actor', actor: 'n1', input: { kind: 'console', data: 'disable' } }],
      [20_000, { kind: 'actor', actor: 'n1', input: { kind: 'console', data: 'enable' } }]], 30_000);
    const summary = await lab.summary() as unknown as { pingers: Record<string, PingerState> };
    expect(summary.pingers.n0.links).toEqual(['11000:r:down', '21000:r:up']);
    expect(summary.pingers.n1.links).toEqual(['11000:l:down', '21000:l:up']);
  });

  it('refuses inputs for actors or cables that do not exist', async () => {
    const lab = await createLab({ spec: ringLab(2), seed: 1, registry: behaviors });
    expect(lab.input({ kind: 'actor', actor: 'nope', input: { kind: 'power', on: false } })).toEqual({ ok: false, error: "no actor named 'nope' in lab ring-2" });
    expect(lab.input({ kind: 'cable', end: { actor: 'n0', port: 'x' }, plugged: false })).toEqual({ ok: false, error: 'no cable in n0:x' });
  });

  it('turns an actor that throws into a panic and keeps the rest running', async () => {
    const lab = await createLab({ spec: ringLab(3), seed: 1, registry: behaviors });
    const panics: string[] = [];
    lab.onDidEmit((emission) => panics.push(...emission.panics.map((panic) => `${panic.actor}@${panic.atUs}: ${panic.reason}`)));
    await runScripted(lab, [[50_000, { kind: 'actor', actor: 'n1', input: { kind: 'console', data: 'crash' } }]], 200_000);
    expect(panics).toEqual(['n1@50000: Error: deliberate crash']);
    const summary = await lab.summary() as unknown as { pingers: Record<string, PingerState>; panics: unknown[] };
    expect(summary.pingers.n0.ticks).toBeGreaterThan(30);
    expect(summary.pingers.n1.ticks).toBeLessThan(12);
    expect(summary.panics).toHaveLength(1);
  });
});
