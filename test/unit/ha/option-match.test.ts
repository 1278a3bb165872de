// Issue 18: the pair options' mismatch check (ha/option-match.ts) on its own: what a heartbeat carries,
// what is logged when the partner's values differ, the hourly reminder while they still do, and the
// all-clear. The whole path over the interconnect is test/scripts/fidelity/options-mismatch.script.
import { describe, expect, it } from 'vitest';
import type { ActorContext } from '../../../emulator/engine/actor.ts';
import type { FilerState } from '../../../emulator/hardware/filer/subsystem.ts';
import type { HaEnv } from '../../../emulator/ontap/ha/ha-env.ts';
import { checkPairOptions, MISMATCH_REMINDER_US, MISMATCH_SETTLE_US, mismatchStatusLines, pairOptionsForHeartbeat } from '../../../emulator/ontap/ha/option-match.ts';
import { createHaState } from '../../../emulator/ontap/ha/types.ts';
import { setOption } from '../../../emulator/ontap/options/options.ts';

function bench(): { env: HaEnv; logged: string[]; at(us: number): void } {
  const logged: string[] = [];
  let now = 0;
  const filer = { config: { name: 'filerA', partner: 'filerB', options: { 'cf.takeover.detection.seconds': '15' } }, subsystems: {} } as unknown as FilerState;
  const ctx = { get now() { return now; }, ems: (source: string, _severity: string, text: string) => { logged.push(`${source}: ${text}`); } } as unknown as ActorContext;
  return { env: { filer, ctx, io: {} as HaEnv['io'] }, logged, at: (us) => { now = us; } };
}

describe('the pair options must match on both filers', () => {
  it('a heartbeat carries only the pair options held at other than the defaults (none in the built-in labs)', () => {
    const { env } = bench();
    expect(pairOptionsForHeartbeat(env.filer)).toBeUndefined();
    setOption(env.filer, 'cf.giveback.auto.enable', 'on');
    setOption(env.filer, 'raid.timeout', '48');
    setOption(env.filer, 'cf.hw_assist.enable', 'off');
    expect(pairOptionsForHeartbeat(env.filer)).toEqual({ 'cf.giveback.auto.enable': 'on' });
  });

  it('a difference that lasts is logged once, again after an hour while it lasts, and its end is logged', () => {
    const { env, logged, at } = bench();
    const ha = createHaState();
    const beat = (us: number, partner: Record<string, string>): void => { at(us); checkPairOptions(ha, env, partner); };
    beat(0, {});
    const thirty = { 'cf.takeover.detection.seconds': '30' };
    // A difference gone by the next heartbeat (the option was on its way to the partner) is not logged.
    beat(1_000_000, thirty);
    beat(1_500_000, {});
    beat(5_000_000, {});
    expect(logged).toEqual([]);
    beat(10_000_000, thirty);
    beat(10_000_000 + MISMATCH_SETTLE_US - 1, thirty);
    expect(logged).toEqual([]);
    beat(10_000_000 + MISMATCH_SETTLE_US, thirty);
    expect(logged).toEqual(['cf.options.mismatch: Option cf.takeover.detection.seconds is 15 on filerA but 30 on filerB; it must be the same on both nodes, or the next takeover or giveback may not work correctly.']);
    expect(mismatchStatusLines(ha, 'filerB')).toEqual(['Option mismatch: cf.takeover.detection.seconds is 15 here and 30 on filerB.']);
    const confirmedUs = 10_000_000 + MISMATCH_SETTLE_US;
    beat(confirmedUs + MISMATCH_REMINDER_US - 1, thirty);
    expect(logged).toHaveLength(1);
    beat(confirmedUs + MISMATCH_REMINDER_US, thirty);
    expect(logged).toHaveLength(2);
    const clearedUs = confirmedUs + MISMATCH_REMINDER_US + 1_000_000;
    beat(clearedUs, {});
    beat(clearedUs + MISMATCH_SETTLE_US, {});
    expect(logged[2]).toBe('cf.options.match: The cluster options of filerA and filerB match again.');
    expect(mismatchStatusLines(ha, 'filerB')).toEqual([]);
    beat(clearedUs + 3 * MISMATCH_REMINDER_US, {});
    expect(logged).toHaveLength(3);
  });
});
