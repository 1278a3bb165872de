import { describe, expect, it } from 'vitest';
import { createLab } from '../../../emulator/engine/lab.ts';
import type { Lab, LabEmission } from '../../../emulator/engine/lab.ts';
import type { LabInput, LabSpec } from '../../../emulator/engine/lab-spec.ts';
import { labThreadFor } from '../../../emulator/host/engine-lab-loader.ts';
import { startLabThread } from '../../../emulator/host/lab-thread.ts';
import { parkedLabThreads } from '../../../emulator/host/lab-thread-parking.ts';
import { behaviors, FIXTURE_REGISTRY_URL, RING_SCRIPT, ringLab } from './fixtures/ping-actors.ts';
import type { PingerState } from './fixtures/ping-actors.ts';

/** What a host sees of a lab while it runs: each emission with the clock and links as they stood then. */
interface Watched { lab: Lab; seen: string[] }

async function run(lab: Lab, script: readonly [number, LabInput][], untilUs: number): Promise<Watched> {
  const seen: string[] = [];
  lab.onDidEmit((emission: LabEmission) => {
    seen.push(JSON.stringify({ now: lab.nowUs, emission, up: lab.spec.cables.map((cable) => lab.linkUp(cable.id)) }));
  });
  for (const [atUs, input] of script) {
    await lab.runUntil(atUs);
    expect(lab.input(input)).toEqual({ ok: true });
  }
  await lab.runUntil(untilUs);
  return { lab, seen };
}

const single = (spec: LabSpec): Promise<Lab> => createLab({ spec, seed: 42, registry: behaviors });
const threaded = (spec: LabSpec, maxHeapMb?: number): Promise<Lab> => startLabThread({ spec, seed: 42, registryUrl: FIXTURE_REGISTRY_URL, maxHeapMb });

describe('a lab in a thread of its own', () => {
  it('runs as single does: trace, summary, snapshot, input log, and every emission with the clock and links of its window', async () => {
    const spec = ringLab(5, { groups: 3, latencyUs: 1200 });
    const here = await run(await single(spec), RING_SCRIPT, 200_000);
    const there = await run(await threaded(spec), RING_SCRIPT, 200_000);
    try {
      expect(there.lab.placement).toBe('workers');
      expect(there.lab.barriers).toBe(0);
      expect(await there.lab.traceHash()).toBe(await here.lab.traceHash());
      expect(there.lab.eventsHandled).toBe(here.lab.eventsHandled);
      expect(there.lab.nowUs).toBe(200_000);
      expect(there.lab.nextEventUs()).toBe(here.lab.nextEventUs());
      expect(there.lab.inputLog).toEqual(here.lab.inputLog);
      expect(there.seen.length).toBeGreaterThan(10);
      expect(there.seen).toEqual(here.seen);
      expect(await there.lab.summary()).toEqual(await here.lab.summary());
      expect(JSON.stringify(await there.lab.snapshot())).toBe(JSON.stringify(await here.lab.snapshot()));
    } finally {
      await there.lab.dispose();
    }
  });

  it('shows a pulled cable at once, before time moves, and refuses what the lab would refuse', async () => {
    const spec = ringLab(3);
    const lab = await threaded(spec);
    const local = await single(spec);
    try {
      await lab.runUntil(10_000);
      expect(lab.input({ kind: 'actor', actor: 'n9', input: { kind: 'console', data: 'x' } })).toEqual(local.input({ kind: 'actor', actor: 'n9', input: { kind: 'console', data: 'x' } }));
      expect(lab.checkInput({ kind: 'cable', end: { actor: 'n0', port: 'nowhere' }, plugged: false })).toBe('no cable in n0:nowhere');
      expect(lab.input({ kind: 'cable', end: { actor: 'n2', port: 'r' }, plugged: false })).toEqual({ ok: true });
      expect(lab.nextEventUs()).toBe(10_000);
      await lab.runUntil(lab.nowUs);
      expect(lab.unpluggedEnds()).toEqual(['n2:r']);
      const cable = spec.cables.find((candidate) => candidate.a.actor === 'n2' && candidate.a.port === 'r' || candidate.b.actor === 'n2' && candidate.b.port === 'r')!;
      expect(lab.linkUp(cable.id)).toBe(false);
      expect(lab.inputLog.at(-1)).toMatchObject({ atUs: 10_000, input: { kind: 'cable', plugged: false } });
      const first = lab.runUntil(20_000);
      await expect(lab.runUntil(30_000)).rejects.toThrow('lab is already running');
      await first;
      // An input that is not plain data cannot cross: the run says so, and the lab goes on without it.
      expect(lab.input({ kind: 'mark', text: (() => 'not plain') as unknown as string })).toEqual({ ok: true });
      await expect(lab.runUntil(40_000)).rejects.toThrow("a request could not cross to the lab's thread");
      await lab.runUntil(40_000);
      expect(lab.nowUs).toBe(40_000);
    } finally {
      await lab.dispose();
    }
    await expect(lab.runUntil(1)).rejects.toThrow('lab is disposed');
  });

  it('continues a snapshot taken in single, and single continues one it took, with the same trace', async () => {
    const spec = ringLab(3, { groups: 2 });
    const reference = await run(await single(spec), RING_SCRIPT, 150_000);
    const first = await run(await single(spec), RING_SCRIPT.slice(0, 2), 70_000);
    const restored = await startLabThread({ spec, seed: 42, registryUrl: FIXTURE_REGISTRY_URL, snapshot: await first.lab.snapshot() });
    try {
      expect(restored.nowUs).toBe(70_000);
      expect(restored.inputLog).toEqual(first.lab.inputLog);
      for (const [atUs, input] of RING_SCRIPT.slice(2, 4)) {
        await restored.runUntil(atUs);
        restored.input(input);
      }
      const back = await createLab({ spec, seed: 42, registry: behaviors, snapshot: await restored.snapshot() });
      for (const [atUs, input] of RING_SCRIPT.slice(4)) {
        await back.runUntil(atUs);
        back.input(input);
      }
      await back.runUntil(150_000);
      expect(await back.traceHash()).toBe(await reference.lab.traceHash());
    } finally {
      await restored.dispose();
    }
  });

  it('turns a thread that runs out of memory into a panic of every actor; the lab goes on and can be saved', async () => {
    const ring = ringLab(3);
    const spec: LabSpec = { ...ring, actors: ring.actors.map((actor) => (actor.id === 'n2' ? { ...actor, kind: 'filer' } : actor)) };
    const panicsSeen: string[] = [];
    const lab = await threaded(spec, 48);
    lab.onDidEmit((emission) => panicsSeen.push(...emission.panics.map((panic) => panic.actor)));
    try {
      await run(lab, [[30_000, { kind: 'actor', actor: 'n2', input: { kind: 'console', data: 'oom' } }]], 200_000);
      expect(lab.panicked.map((panic) => panic.actor)).toEqual(['n0', 'n1', 'n2']);
      expect(lab.panicked[0].reason).toMatch(/out of memory|exited/);
      expect(panicsSeen).toEqual(['n0', 'n1', 'n2']);
      expect(lab.nowUs).toBe(200_000);
      expect(lab.nextEventUs()).toBe(Infinity);
      const summary = await lab.summary() as unknown as { filers: Record<string, { state: string }>; pingers?: Record<string, PingerState> };
      expect(summary.filers['n2']?.state).toBe('panicked');
      expect(await lab.traceHash()).toMatch(/^[0-9a-f]{16}$/);
      lab.input({ kind: 'actor', actor: 'n0', input: { kind: 'console', data: 'after' } });
      await lab.runUntil(210_000);
      expect(lab.inputLog.at(-1)).toMatchObject({ atUs: 200_000, input: { kind: 'actor', actor: 'n0' } });
      const saved = await lab.snapshot();
      const reopened = await createLab({ spec, seed: 42, registry: behaviors, snapshot: saved });
      expect(reopened.panicked.map((panic) => panic.actor)).toEqual(['n0', 'n1', 'n2']);
    } finally {
      await lab.dispose();
    }
  });

  it('takes a thread that stops answering as hung: every actor panics, saying so, and the thread is ended', async () => {
    const lab = await startLabThread({ spec: ringLab(3), seed: 42, registryUrl: FIXTURE_REGISTRY_URL, hangTimeoutMs: 300 });
    try {
      await lab.runUntil(20_000);
      lab.input({ kind: 'actor', actor: 'n1', input: { kind: 'console', data: 'hang' } });
      await lab.runUntil(50_000);
      expect(lab.panicked.map((panic) => [panic.actor, panic.atUs])).toEqual([['n0', 20_000], ['n1', 20_000], ['n2', 20_000]]);
      expect(lab.panicked[0].reason).toBe("the lab's thread did not answer for 0.3 s (hung)");
      expect(lab.nowUs).toBe(50_000);
    } finally {
      await lab.dispose();
    }
  });

  it('keeps a thread whose lab was disposed for the next lab, which runs in it as in a new one; a dead thread is not kept', async () => {
    const spec = ringLab(3);
    const first = await threaded(spec);
    await run(first, RING_SCRIPT, 150_000);
    const hash = await first.traceHash();
    await first.dispose();
    expect(parkedLabThreads()).toBe(1);
    const second = await threaded(spec);
    expect(parkedLabThreads()).toBe(0);
    await run(second, RING_SCRIPT, 150_000);
    expect(await second.traceHash()).toBe(hash);
    expect(second.nowUs).toBe(150_000);
    await second.dispose();
    expect(parkedLabThreads()).toBe(1);
    const other = await threaded(spec, 48); // another heap limit: a thread of its own
    expect(parkedLabThreads()).toBe(1);
    await run(other, [[30_000, { kind: 'actor', actor: 'n2', input: { kind: 'console', data: 'oom' } }]], 100_000);
    expect(other.panicked.length).toBe(3);
    await other.dispose();
    expect(parkedLabThreads()).toBe(1);
  });

  it('is how workers runs where there would be one thread for the filers', () => {
    expect(labThreadFor({ placement: 'workers', maxThreads: 1 })).toBe(true);
    expect(labThreadFor({ placement: 'workers', maxThreads: 2 })).toBe(false);
    expect(labThreadFor({ placement: 'single', maxThreads: 1 })).toBe(false);
  });
});
