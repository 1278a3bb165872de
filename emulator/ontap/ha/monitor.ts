// The failover monitor (seeds 000 claims 23/44, 002 claim 4; DESIGN.md §5): it collects the health of
// the filer's modules and classifies each fault — fatal (the partner learns of it through the
// heartbeat), needing takeover (the filer asks its partner to take over: a negotiated takeover), or a
// warning only. This first part watches the chassis' own faults; disk paths and negotiated-failover
// ports join it with the rest of the negotiation (issue 14).
import type { FilerState } from '../../hardware/filer/subsystem.ts';

export type FaultClass = 'fatal' | 'takeover' | 'warning';

export interface MonitoredFault {
  /** The fault type as the partner is told it (`nvram-battery`, `overtemp`, `fan`, `psu`). */
  readonly type: string;
  readonly class: FaultClass;
  /** In a trainee's words, for the console. */
  readonly text: string;
}

const CATALOGUE: Readonly<Record<string, { readonly class: FaultClass; readonly text: string }>> = {
  'nvram-battery': { class: 'takeover', text: 'NVRAM battery low' },
  overtemp: { class: 'takeover', text: 'over-temperature' },
  fan: { class: 'warning', text: 'fan failed' },
  psu: { class: 'warning', text: 'power supply failed' },
};

/** The faults the monitor sees on this filer now, in the chassis' order. */
export function monitoredFaults(filer: FilerState): MonitoredFault[] {
  return filer.chassis.faults.flatMap((fault) => {
    const known = Object.hasOwn(CATALOGUE, fault) ? CATALOGUE[fault] : undefined;
    return known ? [{ type: fault, class: known.class, text: known.text }] : [];
  });
}

/** The worst class among the faults, or 'none'. */
export function diagnosisClass(faults: readonly MonitoredFault[]): FaultClass | 'none' {
  if (faults.some((fault) => fault.class === 'fatal')) return 'fatal';
  if (faults.some((fault) => fault.class === 'takeover')) return 'takeover';
  return faults.length > 0 ? 'warning' : 'none';
}
