// The failover monitor (seeds 000 claims 23-25/44-46, 002 claim 4; DESIGN.md §5): it collects the health
// of the filer's modules and classifies each fault — fatal (the partner learns of it through the
// heartbeat), needing takeover (the filer asks its partner to take over: a negotiated takeover), or a
// warning only. It watches the chassis (NVRAM battery, temperature, fans, power supplies) and the paths
// to its own disks. Lost disk paths are the fault it cannot localise alone: its own FC ports, or the
// shelf? The partner diagnoses it (diagnosis.ts) before any takeover is asked for.
import type { FilerState } from '../../hardware/filer/subsystem.ts';
import { storageOf } from './ha-env.ts';

export type FaultClass = 'fatal' | 'takeover' | 'warning';

export interface MonitoredFault {
  /** The fault type as the partner is told it (`nvram-battery`, `overtemp`, `disk-paths`, `fan`, `psu`). */
  readonly type: string;
  readonly class: FaultClass;
  /** In a trainee's words, for the console. */
  readonly text: string;
  /** The partner must diagnose it before a takeover is asked for (this filer cannot localise it). */
  readonly needsDiagnosis: boolean;
}

const CHASSIS_FAULTS: Readonly<Record<string, { readonly class: FaultClass; readonly text: string }>> = {
  'nvram-battery': { class: 'takeover', text: 'NVRAM battery low' },
  overtemp: { class: 'takeover', text: 'over-temperature' },
  fan: { class: 'warning', text: 'fan failed' },
  psu: { class: 'warning', text: 'power supply failed' },
};

/** The fault type of lost paths to this filer's own disks. */
export const DISK_PATHS = 'disk-paths';

/** The faults the monitor sees on this filer now: the chassis' in its order, then the disk paths. */
export function monitoredFaults(filer: FilerState): MonitoredFault[] {
  const faults = filer.chassis.faults.flatMap((fault): MonitoredFault[] => {
    const known = Object.hasOwn(CHASSIS_FAULTS, fault) ? CHASSIS_FAULTS[fault] : undefined;
    return known ? [{ type: fault, class: known.class, text: known.text, needsDiagnosis: false }] : [];
  });
  const storage = storageOf(filer);
  if (storage?.status === 'online' && storage.diskAccess.state === 'lost') {
    faults.push({ type: DISK_PATHS, class: 'takeover', text: 'lost all paths to this node\'s disks', needsDiagnosis: true });
  }
  return faults;
}

/** The class of a fault type as a partner reports it (its heartbeat carries types only). */
export function faultClassOf(type: string): FaultClass {
  if (type === DISK_PATHS) return 'takeover';
  return Object.hasOwn(CHASSIS_FAULTS, type) ? (CHASSIS_FAULTS[type]?.class ?? 'warning') : 'warning';
}

/** The worst class among the faults, or 'none'. */
export function diagnosisClass(faults: readonly MonitoredFault[]): FaultClass | 'none' {
  if (faults.some((fault) => fault.class === 'fatal')) return 'fatal';
  if (faults.some((fault) => fault.class === 'takeover')) return 'takeover';
  return faults.length > 0 ? 'warning' : 'none';
}

/**
 * The faults as this filer acts on them: a fault the partner diagnosed as shared (the partner cannot
 * reach the disks either) is a warning here, for a takeover would not cure it.
 */
export function faultsAsDiagnosed(filer: FilerState, diagnosis: { readonly faultType: string; readonly class: FaultClass } | null): MonitoredFault[] {
  return monitoredFaults(filer).map((fault) =>
    diagnosis !== null && fault.type === diagnosis.faultType && diagnosis.class === 'warning' ? { ...fault, class: 'warning' } : fault);
}
