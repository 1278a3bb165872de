// The failover monitor (seeds 000 claims 23-25/44-46, 002 claim 4; DESIGN.md §5): it collects the health
// of the filer's modules and classifies each fault — fatal (the partner learns of it through the
// heartbeat), needing takeover (the filer asks its partner to take over: a negotiated takeover), or a
// warning only. It watches the chassis (NVRAM battery, temperature, fans, power supplies), the Ethernet
// ports marked for negotiated failover, and the paths to its own disks. Lost disk paths are the fault it cannot localise alone: its own FC ports, or the
// shelf? The partner diagnoses it (diagnosis.ts) before any takeover is asked for.
import type { FilerState } from '../../hardware/filer/subsystem.ts';
import { optionValue } from '../options/options.ts';
import { storageFailoverCovers } from '../cluster/storage-failover.ts';
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
/** The fault type of failed negotiated-failover (`nfo`) Ethernet ports. */
export const NETWORK_PORTS = 'network-ports';

/**
 * The `nfo` ports that are down, when `options cf.takeover.on_network_interface_failure` is on and the
 * policy's condition holds (all_nics: every nfo port down; any_nic: one is enough); else none.
 */
function failedNfoPorts(filer: FilerState): string[] {
  if (optionValue(filer, 'cf.takeover.on_network_interface_failure') !== 'on') return [];
  const nfo = filer.config.ethernetPorts.map((eth) => eth.port).filter((port) => filer.chassis.ports[port]?.nfo === true);
  const down = nfo.filter((port) => { const state = filer.chassis.ports[port]; return !state || !state.link || state.adminDown; });
  const policy = optionValue(filer, 'cf.takeover.on_network_interface_failure.policy');
  return down.length > 0 && (policy === 'any_nic' || down.length === nfo.length) ? down : [];
}

/** The faults the monitor sees on this filer now: the chassis' in its order, then the disk paths. */
export function monitoredFaults(filer: FilerState): MonitoredFault[] {
  const faults = filer.chassis.faults.flatMap((fault): MonitoredFault[] => {
    const known = Object.hasOwn(CHASSIS_FAULTS, fault) ? CHASSIS_FAULTS[fault] : undefined;
    return known ? [{ type: fault, class: known.class, text: known.text, needsDiagnosis: false }] : [];
  });
  const ports = failedNfoPorts(filer);
  if (ports.length > 0) faults.push({ type: NETWORK_PORTS, class: 'takeover', text: `negotiated failover ports down (${ports.join(', ')})`, needsDiagnosis: false });
  const storage = storageOf(filer);
  // Seed 004 (N25): a lost shared shelf whose vservers the cluster hands to other nodes is no whole-node fault.
  if (storage?.status === 'online' && storage.diskAccess.state === 'lost' && !storageFailoverCovers(filer)) {
    faults.push({ type: DISK_PATHS, class: 'takeover', text: 'lost all paths to this node\'s disks', needsDiagnosis: true });
  }
  return faults;
}

/** The class of a fault type as a partner reports it (its heartbeat carries types only). */
export function faultClassOf(type: string): FaultClass {
  if (type === DISK_PATHS || type === NETWORK_PORTS) return 'takeover';
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
