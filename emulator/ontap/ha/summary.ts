// HA's part of the run summary: it alone reports `filers.<f>.cf` (the state machine's state, derived
// from the chassis while the OS is down) and `filers.<f>.ha` (heartbeats, the last takeover and
// giveback with their step tokens, message counters).
import type { FilerState, SummaryFragment } from '../../hardware/filer/subsystem.ts';
import { diagnosisClass, faultsAsDiagnosed } from './monitor.ts';
import type { HaState, TakeoverRecord, GivebackRecord } from './types.ts';

/** `filers.<f>.cf.state`: the HA state while the OS runs, else what the machine is doing. */
export function cfStateName(ha: HaState, filer: FilerState): string {
  if (ha.state !== 'down') return ha.state;
  switch (filer.chassis.boot) {
    case 'off': return 'off';
    case 'firmware':
    case 'booting': return 'booting';
    case 'loader':
    case 'halted': return 'halted';
    case 'panicked': return 'panicked';
    case 'hung': return 'hung';
    case 'running': return 'booting';
  }
}

/** Every HA message a script may count, at 0 until sent or received (`ha.sent.refusal == 0`). */
const ZERO_COUNTERS: Readonly<Record<string, number>> = {
  heartbeat: 0, stayDown: 0, pleaseShutdown: 0, halting: 0, panic: 0, giveback: 0, cfEnable: 0,
  takeoverRequest: 0, refusal: 0, takeoverCommand: 0, diagnoseRequest: 0, diagnosis: 0, takeoverCancel: 0, givebackRequest: 0,
  compilation: 0, option: 0,
};

const ms = (us: number | null): number | null => (us === null ? null : us / 1000);

function shutdownRecord(record: { readonly cause: string; readonly atUs: number; readonly requests: number } | undefined): Record<string, unknown> | null {
  return record === undefined ? null : { cause: record.cause, atMs: record.atUs / 1000, requests: record.requests };
}

function takeoverSummary(record: TakeoverRecord | null): Record<string, unknown> | null {
  if (record === null) return null;
  return {
    kind: record.kind, trigger: record.trigger, atMs: ms(record.atUs), servingAtMs: ms(record.servingAtUs),
    steps: record.steps.join('>'), failed: record.failed,
  };
}

function givebackSummary(record: GivebackRecord | null): Record<string, unknown> | null {
  if (record === null) return null;
  return { trigger: record.trigger, atMs: ms(record.atUs), doneAtMs: ms(record.doneAtUs), steps: record.steps.join('>') };
}

export function summarizeHa(ha: HaState, filer: FilerState): SummaryFragment {
  const ports = filer.config.interconnectPorts;
  const anyUp = ports.some((port) => filer.chassis.ports[port]?.link === true);
  const faults = faultsAsDiagnosed(filer, ha.fm.partnerDiagnosis);
  return {
    filers: {
      [filer.self]: {
        cf: {
          state: cfStateName(ha, filer), enabled: ha.enabled, partner: filer.config.partner ?? null,
          interconnect: ports.length === 0 ? 'not-present' : anyUp ? 'up' : 'down',
        },
        nvram: {
          shutdownRecord: shutdownRecord(filer.chassis.nvram.local.shutdown),
          partnerShutdownRecord: shutdownRecord(filer.chassis.nvram.partner.shutdown),
        },
        fm: {
          faults: faults.map((fault) => fault.type),
          classes: Object.fromEntries(faults.map((fault) => [fault.type, fault.class])),
          diagnosis: { class: diagnosisClass(faults), by: ha.fm.partnerDiagnosis === null ? 'self' : 'partner' },
          partnerDiagnosis: ha.fm.partnerDiagnosis === null ? null : { ...ha.fm.partnerDiagnosis },
          partnerFaults: [...ha.partner.faults],
        },
        ha: {
          partnerHeartbeat: { ...ha.partner.seen },
          partnerFaultType: ha.negotiation.partnerFaultType,
          lastRefusal: ha.negotiation.lastRefusal,
          lastGivebackRefusal: ha.negotiation.lastGivebackRefusal,
          compilation: ha.compilation === null ? null : { entries: ha.compilation.entries, served: ha.compilation.served },
          countdown: { state: ha.negotiation.countdown.state, starts: ha.negotiation.countdown.starts },
          lastShutdown: ha.lastShutdown === null ? null : { steps: ha.lastShutdown.steps.join('>') },
          takeoverImpossible: ha.takeoverImpossible,
          lastTakeover: takeoverSummary(ha.lastTakeover),
          lastGiveback: givebackSummary(ha.lastGiveback),
          sent: { ...ZERO_COUNTERS, ...ha.counters.sent },
          recv: { ...ZERO_COUNTERS, ...ha.counters.recv },
          epoch: ha.epoch,
        },
      },
    },
    violations: ha.violations.map((violation) => ({ atMs: violation.atUs / 1000, actor: filer.self, kind: 'ha', detail: violation.detail })),
  };
}
