import { describe, it, expect } from 'vitest';
import { createOutage, maxOutageMs, outageInvoked, outageStopped, outageSucceeded } from '../../../emulator/clients/outage.ts';

describe('maxOutageMs', () => {
  it('is the longest stretch from a wanted op to the next success, think time excluded', () => {
    const state = createOutage();
    outageInvoked(state, 0);
    outageSucceeded(state, 2_000); // 2 ms
    outageInvoked(state, 1_000_000); // a second of think time: not an outage
    outageInvoked(state, 1_500_000); // a retry while still wanting: the stretch goes on
    outageSucceeded(state, 13_000_000);
    outageInvoked(state, 14_000_000);
    outageSucceeded(state, 14_005_000);
    expect(maxOutageMs(state, 20_000_000)).toBe(12_000);
  });

  it('counts a stretch still open at the end of the run, and ends one at client stop', () => {
    const state = createOutage();
    outageInvoked(state, 1_000_000);
    expect(maxOutageMs(state, 31_000_000)).toBe(30_000);
    outageStopped(state, 5_000_000);
    expect(maxOutageMs(state, 60_000_000)).toBe(4_000);
  });
});
