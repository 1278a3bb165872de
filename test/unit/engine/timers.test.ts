import { describe, expect, it } from 'vitest';
import type { ActorBehavior, BehaviorRegistry } from '../../../emulator/engine/actor.ts';
import { createLab } from '../../../emulator/engine/lab.ts';
import type { LabSpec } from '../../../emulator/engine/lab-spec.ts';

// A requester, as a client is: every 1 ms it arms a 30 s timeout and cancels the one before, so only
// the newest is live; every 100th timeout is left to fire (200 ms), so live and dead timers interleave.
interface RequesterState { requests: number; pending: number; fired: number[] }

const requester: ActorBehavior<RequesterState> = {
  kind: 'requester',
  ports: () => [],
  create: () => ({ requests: 0, pending: 0, fired: [] }),
  handle(state, event, ctx) {
    if (event.type === 'start' || (event.type === 'timer' && event.payload.kind === 'tick')) {
      state.requests++;
      if (state.requests % 100 === 0) ctx.setTimer(200_000, { kind: 'timeout', request: state.requests });
      else {
        if (state.pending) ctx.cancelTimer(state.pending);
        state.pending = ctx.setTimer(30_000_000, { kind: 'timeout', request: state.requests });
      }
      if (state.requests < 5_000) ctx.setTimer(1_000, { kind: 'tick' });
    } else if (event.type === 'timer') {
      state.fired.push(event.payload.request as number);
    }
  },
  summarize: (state) => ({ requester: { fired: state.fired } }),
};

const registry: BehaviorRegistry = { requester };
const spec: LabSpec = { name: 'requester', actors: [{ id: 'r', kind: 'requester', config: {} }], cables: [] };

describe('cancelled timers', () => {
  it('do not pile up in the queue, never fire, and the live ones fire in order', async () => {
    const lab = await createLab({ spec, seed: 1, registry });
    await lab.runUntil(4_000_000);
    const snapshot = await lab.snapshot();
    // Thousands cancelled by now; without purging, all would still be queued (30 s ahead).
    expect(snapshot.actors[0].queue.length).toBeLessThan(200);
    await lab.runUntil(40_000_000);
    const summary = await lab.summary() as unknown as { requester: { fired: number[] } };
    const expected = [...Array.from({ length: 50 }, (_, index) => (index + 1) * 100), 4999];
    expect(summary.requester.fired).toEqual(expected);
  });

  it('continue the same from a snapshot taken while dead timers are queued', async () => {
    const straight = await createLab({ spec, seed: 1, registry });
    await straight.runUntil(40_000_000);
    const first = await createLab({ spec, seed: 1, registry });
    await first.runUntil(1_234_000);
    const restored = await createLab({ spec, seed: 1, registry, snapshot: await first.snapshot() });
    await restored.runUntil(40_000_000);
    expect(await restored.traceHash()).toBe(await straight.traceHash());
    expect(await restored.summary()).toEqual(await straight.summary());
  });
});
