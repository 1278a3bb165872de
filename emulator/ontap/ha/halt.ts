// Halting the filer for HA: through the console's clean shutdown, and the real filer's words when the
// partner has taken it over (`HALT: HA partner has taken over`).
import { shutdownOs } from '../console/boot.ts';
import { logEms } from '../ems.ts';
import { consoleOf, type HaEnv } from './ha-env.ts';
import type { HaState } from './types.ts';

/** Halts the OS through the console's shutdown (the console returns to the loader). */
export function haltOs(ha: HaState, env: HaEnv, why: string): void {
  const console = consoleOf(env.filer);
  if (console) shutdownOs(env.filer, console, env.ctx, 'halt');
  else logEms(env.filer, env.ctx, 'cf.fsm.halt', 'notice', `Halting: ${why}.`);
}

/** The partner has taken this filer over: say so as the real filer does, and halt without serving. */
export function haltTakenOver(ha: HaState, env: HaEnv, via: 'ic' | 'disk'): void {
  env.ctx.console(`\r\nHALT: HA partner has taken over (${via})\r\n`);
  logEms(env.filer, env.ctx, 'cf.fsm.takenOver', 'emergency', `HA partner ${env.filer.config.partner} has taken over this node (${via}): halting.`);
  ha.haltMode = 'notakeover';
  haltOs(ha, env, 'partner has taken over');
}
