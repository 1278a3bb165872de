import { describe, expect, it } from 'vitest';
import { LiveTimers } from '../../../emulator/engine/live-timers.ts';

describe('LiveTimers', () => {
  it('keeps ids in ascending order whatever order they come in, once each', () => {
    const timers = new LiveTimers([7, 3, 9, 3]);
    timers.add(12);
    timers.add(5);
    timers.add(9);
    expect(timers.toArray()).toEqual([3, 5, 7, 9, 12]);
    expect(timers.size).toBe(5);
  });

  it('deletes a live id once and reports whether it was live', () => {
    const timers = new LiveTimers();
    for (let id = 1; id <= 6; id++) timers.add(id);
    expect(timers.delete(1)).toBe(true);
    expect(timers.delete(4)).toBe(true);
    expect(timers.delete(6)).toBe(true);
    expect(timers.delete(4)).toBe(false);
    expect(timers.delete(99)).toBe(false);
    expect(timers.has(4)).toBe(false);
    expect(timers.has(5)).toBe(true);
    expect(timers.toArray()).toEqual([2, 3, 5]);
  });

  it('answers like a Set under churn (add one, cancel or fire an older one)', () => {
    const timers = new LiveTimers();
    const reference = new Set<number>();
    let seed = 17;
    const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (let id = 1; id <= 2000; id++) {
      timers.add(id);
      reference.add(id);
      const victim = id - (next() % 8);
      expect(timers.delete(victim)).toBe(reference.delete(victim));
      const probe = id - (next() % 10);
      expect(timers.has(probe)).toBe(reference.has(probe));
    }
    expect(timers.toArray()).toEqual([...reference].sort((a, b) => a - b));
  });
});
