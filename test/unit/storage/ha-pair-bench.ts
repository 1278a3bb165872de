// The built-in ha-pair lab on the real engine with its filer behaviour wrapped so that a test can run
// storage calls inside a filer's own event (as the file service and HA do), and read filer states.
import { expect } from 'vitest';
import type { ActorBehavior, ActorContext, ActorEvent } from '../../../emulator/engine/actor.ts';
import type { Lab } from '../../../emulator/engine/lab.ts';
import type { FilerState } from '../../../emulator/hardware/filer/subsystem.ts';
import { loadLabSources, openLab } from '../../../emulator/host/engine-lab-loader.ts';
import { fcDiskIo } from '../../../emulator/ontap/storage/fc-disk-io.ts';
import type { StorageEnv } from '../../../emulator/ontap/storage/io.ts';
import type { StorageState } from '../../../emulator/ontap/storage/types.ts';

export type Hook = (storage: StorageState, env: StorageEnv) => void;

/**
 * The ha-pair lab with its filer behaviour wrapped: a console input on a filer with a queued hook runs
 * the hook inside that filer's event (with its live context) instead of reaching the console, so the
 * test calls the storage API as the file service and HA subsystems will. Filer states are kept for reads.
 */
export interface Bench {
  readonly lab: Lab;
  readonly filers: Record<string, FilerState>;
  readonly consoles: Record<string, string>;
  /** Runs `hook` on `filer` at the next event, then lets `seconds` pass. */
  call(filer: string, hook: Hook, seconds?: number): Promise<void>;
  storage(filer: string): StorageState;
  /** Lets virtual time pass a millisecond at a time until `done` holds (or `seconds` run out). */
  until(done: () => boolean, seconds: number): Promise<boolean>;
}

export async function haPair(seed = 5): Promise<Bench> {
  const loaded = await loadLabSources();
  if (!loaded.ok) throw new Error(loaded.error);
  const filers: Record<string, FilerState> = {};
  const hooks: Record<string, Hook[]> = {};
  const inner = loaded.sources.registry.filer as ActorBehavior<FilerState, unknown>;
  const filer: ActorBehavior<FilerState, unknown> = {
    ...inner,
    handle(state: FilerState, event: ActorEvent, ctx: ActorContext) {
      filers[state.config.name] = state;
      const hook = event.type === 'input' && event.input.kind === 'console' && event.input.data === '' ? hooks[state.config.name]?.shift() : undefined;
      if (hook) { hook(state.subsystems.storage as StorageState, { filer: state, ctx, io: fcDiskIo }); return; }
      inner.handle(state, event, ctx);
    },
  };
  const sources = { ...loaded.sources, registry: { ...loaded.sources.registry, filer } };
  const opened = await openLab(sources, 'ha-pair', { seed, placement: 'single' });
  if (!opened.ok) throw new Error(opened.errors.join('\n'));
  const lab = opened.lab;
  const consoles: Record<string, string> = { filerA: '', filerB: '' };
  lab.onDidEmit((emission) => {
    for (const output of emission.outputs) if (output.type === 'console' && output.actor in consoles) consoles[output.actor] += output.text;
  });
  const bench: Bench = {
    lab, filers, consoles,
    async call(name, hook, seconds = 0.001) {
      (hooks[name] ??= []).push(hook);
      expect(lab.input({ kind: 'actor', actor: name, input: { kind: 'console', data: '' } })).toEqual({ ok: true });
      await lab.runFor(Math.round(seconds * 1_000_000));
      expect(hooks[name]).toHaveLength(0);
    },
    storage: (name) => filers[name].subsystems.storage as StorageState,
    async until(done, seconds) {
      for (let step = 0; step < seconds * 1000 && !done(); step++) await lab.runFor(1000);
      return done();
    },
  };
  await lab.runFor(5_000_000);
  return bench;
}

