// A client's chart series from its `<client>.stats` samples: operations per second and mean latency
// per interval, and gaps where an outage was open with no success. Samples may be missed (the host
// keeps only a path's latest value per delta), so rates come from the running totals of two samples.
import { isClientStatsSample, type ClientStatsSample } from '../../../emulator/protocol/client-stats.ts';

/** A `<client>.stats` sample: the shared view type the client actor publishes. */
export type StatsSample = ClientStatsSample;

export interface ChartPoint {
  readonly atUs: number;
  readonly opsPerSecond: number;
  /** null in a gap (no successful op to measure). */
  readonly latencyMs: number | null;
  /** An outage: the client wanted an op and none succeeded. */
  readonly gap: boolean;
}

export interface ClientSeries {
  points: ChartPoint[];
  last?: StatsSample;
}

/** Points kept per client: a minute of virtual time at 250 ms. */
export const POINTS_KEPT = 240;

export const isStatsSample = isClientStatsSample;

export function addSample(series: ClientSeries, sample: StatsSample): boolean {
  const last = series.last;
  if (last && sample.atUs <= last.atUs) {
    if (sample.atUs < last.atUs) series.points = [];
    else return false;
  }
  const spanUs = last && sample.atUs > last.atUs ? sample.atUs - last.atUs : sample.intervalUs;
  const ok = last ? sample.totalOk - last.totalOk : sample.opsOk;
  const latencySum = last ? sample.totalLatencyMs - last.totalLatencyMs : (sample.latencyMsAvg ?? 0) * sample.opsOk;
  const gap = ok <= 0 && sample.outageMs > 0;
  series.points.push({
    atUs: sample.atUs,
    opsPerSecond: spanUs > 0 ? (ok * 1_000_000) / spanUs : 0,
    latencyMs: ok > 0 ? latencySum / ok : null,
    gap,
  });
  if (series.points.length > POINTS_KEPT) series.points.splice(0, series.points.length - POINTS_KEPT);
  series.last = sample;
  return true;
}

/** An SVG path of a series' values, broken at gaps (null values): `M x y L x y … M …`. */
export function chartPath(points: readonly ChartPoint[], value: (point: ChartPoint) => number | null, width: number, height: number, max: number): string {
  if (points.length === 0 || max <= 0) return '';
  const first = points[0].atUs;
  const spanUs = Math.max(1, points[points.length - 1].atUs - first);
  let path = '';
  let drawing = false;
  for (const point of points) {
    const v = point.gap ? null : value(point);
    if (v === null) { drawing = false; continue; }
    const x = ((point.atUs - first) / spanUs) * width;
    const y = height - Math.min(1, v / max) * height;
    path += `${drawing ? 'L' : 'M'}${x.toFixed(1)} ${y.toFixed(1)} `;
    drawing = true;
  }
  return path.trim();
}
