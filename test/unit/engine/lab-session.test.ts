import { describe, expect, it } from 'vitest';
import { createLabSession } from '../../../emulator/host/lab-session.ts';
import type { LabSources } from '../../../emulator/host/engine-lab-loader.ts';
import type { HostEvent } from '../../../emulator/protocol/channels.ts';
import { hostEventSchema } from '../../../emulator/protocol/channels.ts';
import { behaviors, FIXTURE_REGISTRY_URL, ringLab } from './fixtures/ping-actors.ts';

const sources: LabSources = {
  listLabs: () => ['ring'],
  resolve: (name) => name === 'ring' ? { ok: true, spec: ringLab(3, { groups: 1 }) } : { ok: false, errors: [`no lab named ${name}`] },
  registry: behaviors,
  registryUrl: FIXTURE_REGISTRY_URL,
};

// No fixed sleeps: wait for the state a check needs by polling for it, within a bound.
const POLL_MS = 5;
const BOUND_MS = 5000;
const tick = () => new Promise((resolve) => setTimeout(resolve, POLL_MS));

/** Polls `condition` every few ms until it holds; fails naming what it waited for (and `seen`) past the bound. */
async function until(what: string, condition: () => boolean, seen: () => unknown = () => undefined, boundMs = BOUND_MS): Promise<void> {
  const deadline = performance.now() + boundMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`waited ${boundMs} ms for ${what}; last seen: ${JSON.stringify(seen())}`);
    await tick();
  }
}

/** Polls `condition` every few ms for `ms` of wall time; fails the moment it breaks. For "nothing happens" checks. */
async function holdsFor(ms: number, what: string, condition: () => boolean, seen: () => unknown = () => undefined): Promise<void> {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    if (!condition()) throw new Error(`${what} stopped holding; seen: ${JSON.stringify(seen())}`);
    await tick();
  }
}

describe('the lab session', () => {
  it('runs a lab at max speed, sends valid throttled deltas, and pauses and steps on request', async () => {
    const session = await createLabSession({ sources, pace: { mode: 'running', speed: 'max' } });
    const events: HostEvent[] = [];
    session.onDidEmit((event) => events.push(event));
    try {
      await expect(session.open('nope')).rejects.toThrow("'nope' is not a built-in lab: lab.open takes a built-in lab (ring)");
      const view = await session.open('ring');
      expect(view.topology.actors.map((actor) => actor.id)).toEqual(['n0', 'n1', 'n2']);
      const deltaCount = () => events.filter((event) => event.type === 'lab.delta').length;
      await until('100 ms of virtual time, 4 deltas, and n1 at tick 10',
        () => session.view().atUs > 100_000 && deltaCount() > 3 && session.scrollback('n1').includes('n1 tick 10')
          && (session.view().state['n0.ticks'] as number) > 10,
        () => ({ atUs: session.view().atUs, deltas: deltaCount(), ticks: session.view().state['n0.ticks'] }));
      expect(session.view().atUs).toBeGreaterThan(100_000);
      expect(events[0].type).toBe('lab.reset');
      const deltas = events.filter((event) => event.type === 'lab.delta');
      expect(deltas.length).toBeGreaterThan(3);
      expect(deltas.length).toBeLessThan(20);
      for (const event of events) expect(hostEventSchema.safeParse(event).success).toBe(true);
      expect(session.scrollback('n1')).toContain('n1 tick 10');
      expect(session.view().state['n0.ticks']).toBeGreaterThan(10);

      expect(session.input({ kind: 'actor', actor: 'zz', input: { kind: 'power', on: true } })).toEqual({ ok: false, error: "no actor named 'zz' in lab ring-3" });
      expect(session.input({ kind: 'cable', end: { actor: 'n0', port: 'r' }, plugged: false })).toEqual({ ok: true });
      session.setPace({ mode: 'paused', speed: 'max' });
      await until('the pulled cable in the paused view',
        () => session.view().unplugged.includes('n0:r') && session.view().state['cables.n0:r-n1:l.up'] === false,
        () => ({ unplugged: session.view().unplugged, up: session.view().state['cables.n0:r-n1:l.up'] }));
      expect(session.view().unplugged).toEqual(['n0:r']);
      expect(session.view().state['cables.n0:r-n1:l.up']).toBe(false);
      const pausedAt = session.view().atUs;
      // Time standing still can only be watched for a while: 100 ms, checked every few.
      await holdsFor(100, `the paused lab staying at ${pausedAt} µs`, () => session.view().atUs === pausedAt, () => session.view().atUs);
      expect(session.view().atUs).toBe(pausedAt);
      session.setPace({ mode: 'step', speed: 'max' });
      await until('one step past the paused time, and paused again',
        () => session.view().atUs > pausedAt && session.view().pace.mode === 'paused',
        () => ({ atUs: session.view().atUs, pace: session.view().pace }));
      expect(session.view().atUs).toBeGreaterThan(pausedAt);
      expect(session.view().pace.mode).toBe('paused');
    } finally {
      await session.dispose();
    }
  });

  it('paces at a given speed on the wall clock', async () => {
    const session = await createLabSession({ sources, lab: 'ring', placement: 'workers', pace: { mode: 'running', speed: 2 } });
    try {
      const start = performance.now();
      // About half a second of wall time at 2x: wait for a virtual second rather than for the clock.
      await until('a virtual second at 2x', () => session.view().atUs >= 1_000_000, () => session.view().atUs, 20_000);
      const wallMs = performance.now() - start;
      const virtualMs = session.view().atUs / 1000;
      // Paced: never ahead of 2x the wall clock. How far behind it falls depends on the machine's load
      // (a busy CI runner), so the lower side is only that it got there within the poll's bound.
      expect(virtualMs).toBeLessThan(wallMs * 2 * 1.2 + 50);
    } finally {
      await session.dispose();
    }
  });
});
