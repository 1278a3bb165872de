// `<client>.stats`, the view value a client workstation publishes every 250 virtual ms and the lab
// window's charts read: one interval, and the running totals since the lab started (the host keeps only
// a path's latest value per delta, so a chart computes rates from the totals of two samples).
export interface ClientStatsSample {
  readonly atUs: number;
  readonly intervalUs: number;
  readonly opsOk: number;
  readonly opsFailed: number;
  /** Mean latency of the interval's successful ops, or null with none. */
  readonly latencyMsAvg: number | null;
  /** How long the client has wanted an op with none succeeding, at atUs (0: no outage open). */
  readonly outageMs: number;
  readonly totalOk: number;
  readonly totalFailed: number;
  readonly totalLatencyMs: number;
  /** A CIFS client's running totals of sessions dropped and resumed (a chart marks where they moved). */
  readonly sessionsDropped?: number;
  readonly sessionsResumed?: number;
}

export function isClientStatsSample(value: unknown): value is ClientStatsSample {
  return typeof value === 'object' && value !== null
    && typeof (value as ClientStatsSample).atUs === 'number' && typeof (value as ClientStatsSample).totalOk === 'number';
}
