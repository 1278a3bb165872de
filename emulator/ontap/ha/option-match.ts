// The pair's options (`cf.*` but cf.hw_assist.enable) must be the same on both filers: the product warns
// when one is changed ("This value must be the same in both cluster members prior to any takeover or
// giveback"), and the lab sets it on the partner too. When they still differ — one was set while the
// interconnect was down, or the lab file gives the two filers different values — each filer finds out
// from its partner's heartbeat, which carries the pair options the partner holds at other than the
// product's defaults (none in the built-in labs, so their heartbeats are unchanged), logs the mismatch
// once it has lasted a couple of seconds, says so again every hour while it lasts, and `cf status`
// shows it.
import type { Micros } from '../../engine/actor.ts';
import type { FilerState } from '../../hardware/filer/subsystem.ts';
import { logEms } from '../ems.ts';
import { appliesToBothNodes, OPTION_DEFAULTS, optionValue } from '../options/options.ts';
import type { HaEnv } from './ha-env.ts';
import type { HaState } from './types.ts';

/** The mismatch is logged again this often while it lasts. */
export const MISMATCH_REMINDER_US: Micros = 3_600_000_000;
/** A new difference (or its end) counts once it has lasted this long. */
export const MISMATCH_SETTLE_US: Micros = 2_000_000;

const PAIR_OPTIONS = Object.keys(OPTION_DEFAULTS).filter(appliesToBothNodes).sort();

/** The pair options this filer holds at other than the defaults, for its heartbeat; undefined when none. */
export function pairOptionsForHeartbeat(filer: FilerState): Record<string, string> | undefined {
  let differing: Record<string, string> | undefined;
  for (const name of PAIR_OPTIONS) {
    const value = optionValue(filer, name);
    if (value !== undefined && value !== OPTION_DEFAULTS[name]) (differing ??= {})[name] = value;
  }
  return differing;
}

/** One mismatch as `cf status` and the EMS show it. */
export interface OptionMismatch {
  readonly name: string;
  readonly local: string;
  readonly partner: string;
}

/** Compares the partner's pair options (from its heartbeat) with this filer's; logs what changed. */
export function checkPairOptions(ha: HaState, env: HaEnv, partnerDiffering: Readonly<Record<string, string>>): void {
  const mismatches: OptionMismatch[] = [];
  for (const name of PAIR_OPTIONS) {
    const local = optionValue(env.filer, name) ?? OPTION_DEFAULTS[name];
    const partner = Object.hasOwn(partnerDiffering, name) ? partnerDiffering[name] : OPTION_DEFAULTS[name];
    if (local !== partner) mismatches.push({ name, local, partner });
  }
  const watch = ha.partner;
  const known = watch.optionMismatches ?? [];
  const now = env.ctx.now;
  if (sameList(known, mismatches)) {
    watch.optionMismatchSeen = undefined;
    const due = watch.optionMismatchLoggedUs !== undefined && now - watch.optionMismatchLoggedUs >= MISMATCH_REMINDER_US;
    if (due && mismatches.length > 0) logMismatches(env, mismatches);
    if (due && mismatches.length > 0) watch.optionMismatchLoggedUs = now;
    return;
  }
  // An option set on one filer reaches the other a moment after a heartbeat may have left it: a new
  // difference counts once it has lasted MISMATCH_SETTLE_US.
  const seen = watch.optionMismatchSeen;
  if (!seen || !sameList(seen.mismatches, mismatches)) { watch.optionMismatchSeen = { mismatches, sinceUs: now }; return; }
  if (now - seen.sinceUs < MISMATCH_SETTLE_US) return;
  watch.optionMismatches = mismatches;
  watch.optionMismatchLoggedUs = now;
  watch.optionMismatchSeen = undefined;
  logMismatches(env, mismatches);
  if (mismatches.length === 0) logEms(env.filer, env.ctx, 'cf.options.match', 'info', `The cluster options of ${env.filer.config.name} and ${env.filer.config.partner ?? 'partner'} match again.`);
}

function logMismatches(env: HaEnv, mismatches: readonly OptionMismatch[]): void {
  const partnerName = env.filer.config.partner ?? 'partner';
  for (const entry of mismatches) {
    logEms(env.filer, env.ctx, 'cf.options.mismatch', 'warning',
      `Option ${entry.name} is ${entry.local} on ${env.filer.config.name} but ${entry.partner} on ${partnerName}; it must be the same on both nodes, or the next takeover or giveback may not work correctly.`);
  }
}

function sameList(left: readonly OptionMismatch[], right: readonly OptionMismatch[]): boolean {
  return left.length === right.length && left.every((entry, index) => sameMismatch(entry, right[index]));
}

function sameMismatch(left: OptionMismatch, right: OptionMismatch | undefined): boolean {
  return right !== undefined && left.name === right.name && left.local === right.local && left.partner === right.partner;
}

/** `cf status`'s lines for the mismatches known from the partner's last heartbeat. */
export function mismatchStatusLines(ha: HaState, partner: string): string[] {
  return (ha.partner.optionMismatches ?? []).map((entry) => `Option mismatch: ${entry.name} is ${entry.local} here and ${entry.partner} on ${partner}.`);
}
