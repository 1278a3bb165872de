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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the lab session', () => {
  it('runs a lab at max speed, sends valid throttled deltas, and pauses and steps on request', async () => {
    const session = await createLabSession({ sources, pace: { mode: 'running', speed: 'max' } });
    const events: HostEvent[] = [];
    session.onDidEmit((event) => events.push(event));
    try {
      await expect(session.open('nope')).rejects.toThrow('no lab named nope');
      const view = await session.open('ring');
      expect(view.topology.actors.map((actor) => actor.id)).toEqual(['n0', 'n1', 'n2']);
      await sleep(400);
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
      await sleep(100);
      expect(session.view().unplugged).toEqual(['n0:r']);
      expect(session.view().state['cables.n0:r-n1:l.up']).toBe(false);
      const pausedAt = session.view().atUs;
      await sleep(100);
      expect(session.view().atUs).toBe(pausedAt);
      session.setPace({ mode: 'step', speed: 'max' });
      await sleep(100);
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
      await sleep(500);
      const wallMs = performance.now() - start;
      const virtualMs = session.view().atUs / 1000;
      expect(virtualMs).toBeGreaterThan(wallMs * 2 * 0.6);
      expect(virtualMs).toBeLessThan(wallMs * 2 * 1.2 + 50);
    } finally {
      await session.dispose();
    }
  });
});
