// The clients' charts (issue 19): round axis tops, a virtual time scale, the whole run kept and a window of it shown.
import { describe, expect, it } from 'vitest';
import { axisTop, pointsIn, selectedWindow, thinOlderHalf, timeTicks, type ChartPoint } from '../../../renderer/src/composables/client-series.ts';

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

describe('the whole run’s history and a window of it', () => {
  const point = (atS: number, ops: number, gap = false): ChartPoint => ({ atUs: atS * 1_000_000, opsPerSecond: ops, latencyMs: gap ? null : 2, gap });

  it('keeps the whole run, thinning the older half two points into one without losing an outage', () => {
    const points = Array.from({ length: 8 }, (_, index) => point(index + 1, index % 2 === 0 ? 10 : 30, index === 2));
    const thinned = thinOlderHalf(points);
    expect(thinned.map((p) => p.atUs / 1_000_000)).toEqual([2, 4, 5, 6, 7, 8]);
    expect(thinned[0]).toMatchObject({ opsPerSecond: 20, latencyMs: 2, gap: false, weight: 2 });
    expect(thinned[1]).toMatchObject({ gap: true, latencyMs: 2, weight: 2 });
    // Thinned again, weights carry: a merged point counts for the samples behind it.
    expect(thinOlderHalf([{ ...point(2, 20), weight: 3 }, point(3, 40), point(4, 0), point(5, 0)])[0].opsPerSecond).toBe(25);
  });

  it('shows the live minute, the whole run, or a window (with the point before it), and turns a drag into a window', () => {
    const points = Array.from({ length: 200 }, (_, index) => point(index + 1, 1));
    expect(pointsIn(points, undefined).map((p) => p.atUs / 1_000_000)).toEqual(Array.from({ length: 62 }, (_, index) => index + 139));
    expect(pointsIn(points, 'whole')).toHaveLength(200);
    const shown = pointsIn(points, { fromUs: 10_500_000, toUs: 20_000_000 });
    expect(shown.map((p) => p.atUs / 1_000_000)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    expect(selectedWindow(shown, 0.8, 0.2)).toEqual({ fromUs: 12_000_000, toUs: 18_000_000 });
    expect(selectedWindow(shown, 0.5, 0.52)).toBeUndefined();
  });
});
