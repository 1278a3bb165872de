// The clients' charts (issue 19): round axis tops and a virtual time scale.
import { describe, expect, it } from 'vitest';
import { axisTop, timeTicks } from '../../../renderer/src/composables/client-series.ts';

describe('client chart axes', () => {
  const point = (atS: number) => ({ atUs: atS * 1_000_000, opsPerSecond: 1, latencyMs: 1, gap: false });

  it('rounds an axis top up to 1, 2 or 5 times a power of ten', () => {
    expect([axisTop(7), axisTop(12), axisTop(38), axisTop(100), axisTop(0.3)]).toEqual([10, 20, 50, 100, 0.5]);
  });

  it('puts about four time ticks on round virtual seconds, labelled m:ss', () => {
    const ticks = timeTicks([point(61.5), point(90), point(121.5)], 300);
    expect(ticks.map((tick) => tick.label)).toEqual(['1:15', '1:30', '1:45', '2:00']);
    expect(ticks[0]!.x).toBeCloseTo(((75 - 61.5) / 60) * 300);
    expect(timeTicks([point(1)], 300)).toEqual([]);
  });
});
