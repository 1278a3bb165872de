import { describe, expect, it } from 'vitest';
import { createLab } from '../../../emulator/engine/lab.ts';
import type { Lab } from '../../../emulator/engine/lab.ts';
import type { LabInput } from '../../../emulator/engine/lab-spec.ts';
import type { LabSpec } from '../../../emulator/engine/lab-spec.ts';
import { dealGroups, threadsForCores, workersPlacement } from '../../../emulator/host/placement-workers.ts';
import { behaviors, FIXTURE_REGISTRY_URL, RING_SCRIPT, ringLab } from './fixtures/ping-actors.ts';
import type { PingerState } from './fixtures/ping-actors.ts';


async function run(
  spec: LabSpec, placement: 'single' | 'workers', script: readonly [number, LabInput][], untilUs: number, maxHeapMb?: number, maxThreads?: number,
): Promise<{ lab: Lab; hash: string }> {
  const lab = await createLab({
    spec, seed: 42, registry: behaviors,
    placement: placement === 'workers' ? workersPlacement({ registryUrl: FIXTURE_REGISTRY_URL, maxHeapMb, maxThreads }) : undefined,
  });
  for (const [atUs, input] of script) {
    await lab.runUntil(atUs);
    lab.input(input);
  }
  await lab.runUntil(untilUs);
  return { lab, hash: await lab.traceHash() };
}

describe('workers placement', () => {
  it('gives the same trace hash and summary as single placement', async () => {
    const spec = ringLab(5, { groups: 3, latencyUs: 1200 });
    const single = await run(spec, 'single', RING_SCRIPT, 200_000);
    const workers = await run(spec, 'workers', RING_SCRIPT, 200_000);
    try {
      expect(workers.lab.placement).toBe('workers');
      expect(workers.hash).toBe(single.hash);
      expect(workers.lab.eventsHandled).toBe(single.lab.eventsHandled);
      expect(await workers.lab.summary()).toEqual(await single.lab.summary());
      const snapshot = await workers.lab.snapshot();
      expect(snapshot.actors.map((actor) => actor.id)).toEqual(['n0', 'n1', 'n2', 'n3', 'n4']);
      expect(JSON.stringify(snapshot)).toBe(JSON.stringify(await single.lab.snapshot()));
    } finally {
      await workers.lab.dispose();
    }
  });

  it('continues a snapshot taken in one placement in the other with the same trace', async () => {
    const spec = ringLab(3, { groups: 2 });
    const single = await run(spec, 'single', RING_SCRIPT.slice(0, 2), 70_000);
    const saved = await single.lab.snapshot();
    for (const [, input] of RING_SCRIPT.slice(2)) single.lab.input(input);
    await single.lab.runUntil(150_000);
    const restored = await createLab({ spec, seed: 42, registry: behaviors, snapshot: saved, placement: workersPlacement({ registryUrl: FIXTURE_REGISTRY_URL }) });
    try {
      for (const [, input] of RING_SCRIPT.slice(2)) restored.input(input);
      await restored.runUntil(150_000);
      expect(await restored.traceHash()).toBe(await single.lab.traceHash());
    } finally {
      await restored.dispose();
    }
  });

  it('turns an actor that throws inside a worker into a panic, with the same trace as single', async () => {
    const spec = ringLab(3, { groups: 3 });
    const crash: [number, LabInput][] = [[30_000, { kind: 'actor', actor: 'n1', input: { kind: 'console', data: 'crash' } }]];
    const single = await run(spec, 'single', crash, 100_000);
    const workers = await run(spec, 'workers', crash, 100_000);
    try {
      expect(workers.lab.panicked).toEqual([{ actor: 'n1', atUs: 30_000, reason: 'Error: deliberate crash' }]);
      expect(workers.hash).toBe(single.hash);
    } finally {
      await workers.lab.dispose();
    }
  });

  it('turns a message that is not plain data into a panic that names it, at either end of the thread edge', async () => {
    // n0, n1 and n2 have a worker each; n3 stays in the conductor. n1 -> n2 crosses out of a worker
    // (n1's thread cannot answer its window); n3 -> n0 crosses into one (n0's window cannot be asked).
    const spec = ringLab(4, { groups: 3 });
    const script: [number, LabInput][] = [
      [30_000, { kind: 'actor', actor: 'n1', input: { kind: 'console', data: 'map' } }],
      [60_000, { kind: 'actor', actor: 'n3', input: { kind: 'console', data: 'map' } }],
    ];
    const { lab } = await run(spec, 'workers', script, 100_000);
    try {
      const panics = lab.panicked;
      expect(panics.map((panic) => panic.actor)).toEqual(['n1', 'n0']);
      expect(panics[0].reason).toMatch(/a Map cannot cross a thread .*outbound\[0\]\.payload\.table/);
      expect(panics[1].reason).toMatch(/a message for this thread could not cross: a Map cannot cross a thread .*payload\.table/);
      expect(lab.nowUs).toBe(100_000);
      const summary = await lab.summary() as unknown as { pingers: Record<string, PingerState> };
      expect(summary.pingers.n2.ticks).toBeGreaterThan(10);
      expect(summary.pingers.n3.ticks).toBeGreaterThan(10);
    } finally {
      await lab.dispose();
    }
  });

  it('turns a worker that runs out of memory into a panic of its actor; the conductor goes on', async () => {
    const spec = ringLab(3, { groups: 3 });
    const oom: [number, LabInput][] = [[30_000, { kind: 'actor', actor: 'n2', input: { kind: 'console', data: 'oom' } }]];
    const { lab } = await run(spec, 'workers', oom, 200_000, 48);
    try {
      expect(lab.panicked.map((panic) => panic.actor)).toEqual(['n2']);
      expect(lab.panicked[0].reason).toMatch(/out of memory|exited/);
      const summary = await lab.summary() as unknown as { pingers: Record<string, PingerState> };
      expect(Object.keys(summary.pingers)).toEqual(['n0', 'n1']);
      expect(summary.pingers.n0.ticks).toBeGreaterThan(30);
      expect(lab.nowUs).toBe(200_000);
      expect(await lab.traceHash()).toMatch(/^[0-9a-f]{16}$/);
    } finally {
      await lab.dispose();
    }
  });

  it('deals placement groups over fewer threads than groups, neighbours in name order apart', () => {
    expect(dealGroups(['filerA', 'filerB'], 1)).toEqual([['filerA', 'filerB']]);
    expect(dealGroups(['filerA', 'filerB'], 3)).toEqual([['filerA'], ['filerB']]);
    expect(dealGroups(['node1', 'node2', 'node3', 'node4'], 3)).toEqual([['node1', 'node4'], ['node2'], ['node3']]);
    expect(threadsForCores(2)).toBe(1);
    expect(threadsForCores(1)).toBe(1);
    expect(threadsForCores(8)).toBe(7);
  });

  it('gives the same trace with groups sharing a thread; a shared thread that dies takes down its own groups only', async () => {
    const spec = ringLab(5, { groups: 3, latencyUs: 1200 });
    const single = await run(spec, 'single', RING_SCRIPT, 200_000);
    const shared = await run(spec, 'workers', RING_SCRIPT, 200_000, undefined, 2);
    try {
      expect(shared.hash).toBe(single.hash);
      expect(await shared.lab.summary()).toEqual(await single.lab.summary());
    } finally {
      await shared.lab.dispose();
    }
    // g0 and g2 share a thread, g1 has its own: n2 running out of memory takes n0 with it, not n1.
    const oom: [number, LabInput][] = [[30_000, { kind: 'actor', actor: 'n2', input: { kind: 'console', data: 'oom' } }]];
    const { lab } = await run(spec, 'workers', oom, 200_000, 48, 2);
    try {
      expect(lab.panicked.map((panic) => panic.actor).sort()).toEqual(['n0', 'n2']);
      const summary = await lab.summary() as unknown as { pingers: Record<string, PingerState> };
      expect(summary.pingers.n1.ticks).toBeGreaterThan(30);
      expect(lab.nowUs).toBe(200_000);
    } finally {
      await lab.dispose();
    }
  });

  it('keeps a filer whose worker died in the summary, panicked, with the reason', async () => {
    const ring = ringLab(3, { groups: 3 });
    const spec: LabSpec = { ...ring, actors: ring.actors.map((actor) => (actor.id === 'n2' ? { ...actor, kind: 'filer' } : actor)) };
    const oom: [number, LabInput][] = [[30_000, { kind: 'actor', actor: 'n2', input: { kind: 'console', data: 'oom' } }]];
    const { lab } = await run(spec, 'workers', oom, 200_000, 48);
    try {
      const summary = await lab.summary() as unknown as { filers: Record<string, { state: string; panic: string }> };
      expect(summary.filers['n2']?.state).toBe('panicked');
      expect(summary.filers['n2']?.panic).toMatch(/out of memory|exited/);
    } finally {
      await lab.dispose();
    }
  });
});
