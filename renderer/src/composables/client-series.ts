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
  /** A CIFS session went on after a pause (seed 003) or was dropped since the previous point. */
  readonly session?: 'resumed' | 'dropped';
  /** Samples this point stands for once older history was thinned (1 when absent). */
  readonly weight?: number;
}

export interface ClientSeries {
  points: ChartPoint[];
  last?: StatsSample;
}

/**
 * Points kept per client: the whole run, at full resolution (250 ms) for the last ~4 minutes; when more
 * come, the older half is thinned two points into one, so an hour's run stays a few thousand points.
 */
export const POINTS_KEPT = 2_000;

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
  const session = sessionEvent(last, sample);
  series.points.push({
    atUs: sample.atUs,
    opsPerSecond: spanUs > 0 ? (ok * 1_000_000) / spanUs : 0,
    latencyMs: ok > 0 ? latencySum / ok : null,
    gap,
    ...(session ? { session } : {}),
  });
  if (series.points.length > POINTS_KEPT) series.points = thinOlderHalf(series.points);
  series.last = sample;
  return true;
}

/** The older half of the history two points into one; the newer half as it was. */
export function thinOlderHalf(points: readonly ChartPoint[]): ChartPoint[] {
  const half = Math.floor(points.length / 2) & ~1;
  const thinned: ChartPoint[] = [];
  for (let index = 0; index < half; index += 2) thinned.push(mergePoints(points[index], points[index + 1]));
  return [...thinned, ...points.slice(half)];
}

/** Two neighbouring points as one at the later time: rates weighted by the samples behind each; an outage or a session event in either is kept. */
function mergePoints(a: ChartPoint, b: ChartPoint): ChartPoint {
  const wa = a.weight ?? 1;
  const wb = b.weight ?? 1;
  const latencies = [[a.latencyMs, wa], [b.latencyMs, wb]].filter((entry): entry is [number, number] => entry[0] !== null);
  const latencyWeight = latencies.reduce((sum, [, weight]) => sum + weight, 0);
  const session = a.session === 'dropped' || b.session === 'dropped' ? 'dropped' : a.session ?? b.session;
  return {
    atUs: b.atUs,
    opsPerSecond: (a.opsPerSecond * wa + b.opsPerSecond * wb) / (wa + wb),
    latencyMs: latencyWeight > 0 ? latencies.reduce((sum, [value, weight]) => sum + value * weight, 0) / latencyWeight : null,
    gap: a.gap || b.gap,
    weight: wa + wb,
    ...(session ? { session } : {}),
  };
}

/** A stretch of virtual time the charts show; undefined for the live view (the last LIVE_WINDOW_US). */
export interface ChartWindow { readonly fromUs: number; readonly toUs: number }

/** The live view: the last minute of virtual time. */
export const LIVE_WINDOW_US = 60_000_000;

/**
 * The points a chart shows: in `window` (the point just before it too, so a line enters from the left
 * edge), else the live minute; `whole` for the run's whole history.
 */
export function pointsIn(points: readonly ChartPoint[], window: ChartWindow | 'whole' | undefined): ChartPoint[] {
  if (window === 'whole' || points.length === 0) return [...points];
  const toUs = window?.toUs ?? points[points.length - 1].atUs;
  const fromUs = window?.fromUs ?? toUs - LIVE_WINDOW_US;
  const first = points.findIndex((point) => point.atUs >= fromUs);
  if (first < 0) return [];
  const shown: ChartPoint[] = [];
  for (let index = Math.max(0, first - 1); index < points.length && points[index].atUs <= toUs; index++) shown.push(points[index]);
  return shown;
}

/** A drag across a chart of `shown` points, as fractions of its width, → the window it selects (undefined when too narrow). */
export function selectedWindow(shown: readonly ChartPoint[], fromFraction: number, toFraction: number): ChartWindow | undefined {
  if (shown.length < 2) return undefined;
  const first = shown[0].atUs;
  const span = shown[shown.length - 1].atUs - first;
  const [low, high] = [Math.max(0, Math.min(fromFraction, toFraction)), Math.min(1, Math.max(fromFraction, toFraction))];
  const window = { fromUs: Math.round(first + low * span), toUs: Math.round(first + high * span) };
  // Under a second (or a click without a drag) is no window to zoom to.
  return window.toUs - window.fromUs >= 1_000_000 ? window : undefined;
}

/** A drop outweighs a resume in the same interval. */
function sessionEvent(last: StatsSample | undefined, sample: StatsSample): ChartPoint['session'] {
  if (!last) return undefined;
  if ((sample.sessionsDropped ?? 0) > (last.sessionsDropped ?? 0)) return 'dropped';
  if ((sample.sessionsResumed ?? 0) > (last.sessionsResumed ?? 0)) return 'resumed';
  return undefined;
}

export type GapTone = 'outage' | 'paused' | 'dropped';

export interface ChartGap {
  readonly x: number;
  readonly width: number;
  /** A CIFS session dropped in it (`dropped`), went on after it (`paused`), or neither (`outage`). */
  readonly tone: GapTone;
}

/**
 * The outages as shaded spans, each run of gap points one span from the point before it to its last;
 * its tone from the session events in it and at the point that ended it.
 */
export function chartGaps(points: readonly ChartPoint[], width: number): ChartGap[] {
  if (points.length < 2) return [];
  const first = points[0].atUs;
  const span = Math.max(1, points[points.length - 1].atUs - first);
  const x = (atUs: number) => ((atUs - first) / span) * width;
  const gaps: ChartGap[] = [];
  let index = 1;
  while (index < points.length) {
    if (!points[index].gap) { index++; continue; }
    const start = index;
    while (index < points.length && points[index].gap) index++;
    const end = Math.min(index, points.length - 1);
    const events = points.slice(start, end + 1).map((point) => point.session);
    const tone: GapTone = events.includes('dropped') ? 'dropped' : events.includes('resumed') ? 'paused' : 'outage';
    const from = x(points[start - 1].atUs);
    gaps.push({ x: from, width: x(points[index - 1].atUs) - from, tone });
  }
  return gaps;
}

/** The session events to mark on the chart, at their x. */
export function sessionMarks(points: readonly ChartPoint[], width: number): Array<{ x: number; session: 'resumed' | 'dropped' }> {
  if (points.length < 2) return [];
  const first = points[0].atUs;
  const span = Math.max(1, points[points.length - 1].atUs - first);
  return points.flatMap((point) => (point.session ? [{ x: ((point.atUs - first) / span) * width, session: point.session }] : []));
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

export interface TimeTick {
  readonly x: number;
  /** Virtual time as m:ss (h:mm:ss past an hour). */
  readonly label: string;
}

/** Tick spacings to choose from, in virtual seconds: about four ticks across whatever span is shown. */
const TICK_STEPS_S = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600];

/** The chart's time scale: ticks on round virtual seconds across the points' span. */
export function timeTicks(points: readonly ChartPoint[], width: number): TimeTick[] {
  if (points.length < 2) return [];
  const first = points[0].atUs;
  const last = points[points.length - 1].atUs;
  const span = Math.max(1, last - first);
  const stepS = TICK_STEPS_S.find((step) => (span / 1_000_000) / step <= 4) ?? TICK_STEPS_S[TICK_STEPS_S.length - 1];
  const stepUs = stepS * 1_000_000;
  const ticks: TimeTick[] = [];
  for (let at = Math.ceil(first / stepUs) * stepUs; at <= last; at += stepUs) ticks.push({ x: ((at - first) / span) * width, label: clockLabel(at) });
  return ticks;
}

/** Virtual time as m:ss (h:mm:ss past an hour), as the time scale labels it. */
export function clockLabel(atUs: number): string {
  const total = Math.round(atUs / 1_000_000);
  const two = (value: number) => String(value).padStart(2, '0');
  const hours = Math.floor(total / 3_600);
  const minutes = Math.floor(total / 60) % 60;
  return hours > 0 ? `${hours}:${two(minutes)}:${two(total % 60)}` : `${minutes}:${two(total % 60)}`;
}

/** A round top for an axis: 1, 2 or 5 times a power of ten at or above `value`. */
export function axisTop(value: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(value, 1e-9)));
  return [1, 2, 5, 10].map((factor) => factor * power).find((top) => top >= value) ?? value;
}
