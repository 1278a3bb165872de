// What `cf status` and `cf monitor` print (reference: ontap.md). `cf status` uses the real 7-Mode
// phrases; `cf monitor` has no public example, so it lays out the monitor's state plainly.
import type { ActorContext } from '../../engine/actor.ts';
import type { FilerState } from '../../hardware/filer/subsystem.ts';
import { optionValue } from '../options/options.ts';
import { dateText, spanText } from '../console/clock.ts';
import { haOf } from './ha-env.ts';
import { mismatchStatusLines } from './option-match.ts';
import { diagnosisClass, faultClassOf, faultsAsDiagnosed } from './monitor.ts';
import { cfStateName } from './summary.ts';
import type { HaState, TakeoverRecord } from './types.ts';
import { detectionUs } from './watch.ts';

function interconnectLine(filer: FilerState, ctx: ActorContext): string {
  const ports = filer.config.interconnectPorts;
  if (ports.length === 0) return 'Interconnect not present.';
  const down = ports.filter((port) => !ctx.linkUp(port));
  if (down.length === ports.length) return 'Interconnect is down.';
  return down.length === 0 ? 'Interconnect status: up.' : `Interconnect status: up (${down.map((port) => `link ${port} down`).join(', ')}).`;
}

function takeoverReason(record: TakeoverRecord | null): string {
  if (!record) return 'Takeover due to unknown reason.';
  switch (record.kind) {
    case 'operator': return `Takeover due to operator request (${record.trigger.replace('operator@', 'on ')}).`;
    case 'forcetakeover': return 'Takeover forced by operator (cf forcetakeover).';
    case 'hard': return record.trigger === 'panic' ? 'Takeover due to partner panic.' : 'Takeover due to loss of partner heartbeat.';
    case 'negotiated': return `Takeover due to negotiated failover, reason: ${record.trigger.replace('fault:', '')}.`;
    case 'forced-countdown': return `Takeover forced after the countdown, reason: ${record.trigger.replace('fault:', '')}.`;
  }
}

export function cfStatusLines(filer: FilerState, ctx: ActorContext): string[] {
  const partner = filer.config.partner;
  const ha = haOf(filer);
  if (partner === undefined || !ha) return ['Cluster not configured: this filer has no HA partner.'];
  const self = filer.config.name;
  const ic = interconnectLine(filer, ctx);
  switch (ha.state) {
    case 'taking-over': return [`${self} is taking over ${partner}.`, 'takeover is in progress.', ic];
    case 'giving-back': return [`${self} is giving back ${partner}.`, 'giveback in progress.', ic];
    case 'takeover':
      return [
        `${self} has taken over ${partner}.`,
        ha.partner.announced === 'waiting-for-giveback' ? `${partner} is ready for giveback.` : `${partner} is not ready for giveback yet.`,
        takeoverReason(ha.lastTakeover), ic,
      ];
    default: break;
  }
  if (!ha.enabled) return ['Cluster disabled.', ic];
  const lines = [partnerLine(ha, partner)];
  if (optionValue(filer, 'cf.takeover.on_network_interface_failure') === 'on') lines.push('Negotiated failover enabled (network_interface).');
  if (ha.takeoverImpossible !== null) lines.push(`takeover of ${partner} disabled because of reason (${ha.takeoverImpossible})`);
  lines.push(ic, ...mismatchStatusLines(ha, partner));
  return lines;
}

/** The failover monitor's view: both filers' faults with their class, diagnoses, the negotiation. */
function healthLines(ha: HaState, filer: FilerState, ctx: ActorContext): string[] {
  const own = faultsAsDiagnosed(filer, ha.fm.partnerDiagnosis);
  const listed = (faults: readonly { type: string; class: string }[]): string =>
    faults.length === 0 ? 'none' : faults.map((fault) => `${fault.type} (${fault.class})`).join(', ');
  const lines = [
    `    local health: ${listed(own)}; diagnosis ${diagnosisClass(own)} (by ${ha.fm.partnerDiagnosis === null ? 'self' : 'partner'})`,
    `    partner health: ${listed(ha.partner.faults.map((type) => ({ type, class: faultClassOf(type) })))}`,
  ];
  if (ha.fm.partnerDiagnosis !== null) lines.push(`    partner's diagnosis of ${ha.fm.partnerDiagnosis.faultType}: ${ha.fm.partnerDiagnosis.detail}`);
  const negotiation = ha.negotiation;
  const countdown = negotiation.countdown;
  if (negotiation.partnerFaultType !== null || countdown.starts > 0) {
    const left = countdown.state === 'running' && countdown.endsAtUs !== null ? `, ${Math.max(0, Math.ceil((countdown.endsAtUs - ctx.now) / 1_000_000))} s left` : '';
    lines.push(`    negotiation: partner fault ${negotiation.partnerFaultType ?? 'none'}; countdown ${countdown.state}${left}`);
  }
  if (negotiation.lastRefusal !== null) lines.push(`    last takeover refusal: ${negotiation.lastRefusal}`);
  if (negotiation.lastGivebackRefusal !== null) lines.push(`    last giveback refusal: ${negotiation.lastGivebackRefusal}`);
  return lines;
}

function partnerLine(ha: HaState, partner: string): string {
  if (ha.partner.seen.ic === 'ok') return `Cluster enabled, ${partner} is up.`;
  if (ha.partner.announced === 'down' || ha.partner.haltedNoTakeover) return `Cluster enabled, ${partner} is down.`;
  return `Cluster enabled, ${partner} status unknown.`;
}

export function cfMonitorLines(filer: FilerState, ctx: ActorContext, all: boolean): string[] {
  const ha = haOf(filer);
  const partner = filer.config.partner ?? 'none';
  if (!ha) return ['cf monitor: this filer is not in an HA pair.'];
  const up = ha.state === 'down' ? 'DOWN' : `${cfStateName(ha, filer).toUpperCase()} ${spanText(ctx.now - ha.upSinceUs)}`;
  const links = filer.config.interconnectPorts.map((port) => `${port} ${ctx.linkUp(port) ? 'up' : 'down'}`).join(', ') || 'no links';
  const lines = [
    `    current time: ${dateText(ctx.now)}`,
    `  ${up}, partner '${partner}', cluster monitor ${ha.enabled ? 'enabled' : 'disabled'}`,
    `    VIA Interconnect is ${filer.config.interconnectPorts.some((port) => ctx.linkUp(port)) ? 'up' : 'down'} (${links})`,
    `    partner heartbeat: interconnect ${ha.partner.seen.ic}, mailbox disks ${ha.partner.seen.mailbox}; partner reports ${ha.partner.announced ?? 'nothing yet'}`,
    `    takeover detection: ${detectionUs(filer) / 1_000_000} s; takeover ${ha.takeoverImpossible === null ? 'possible' : `not possible (${ha.takeoverImpossible})`}`,
  ];
  lines.push(...healthLines(ha, filer, ctx));
  if (all || ha.lastTakeover) {
    const last = ha.lastTakeover;
    lines.push(last
      ? `    last takeover: ${last.kind} (${last.trigger}) at ${dateText(last.atUs)}${last.servingAtUs === null ? '' : `, serving after ${((last.servingAtUs - last.atUs) / 1_000_000).toFixed(1)} s`}${last.failed ? `, failed: ${last.failed}` : ''}`
      : '    last takeover: none');
  }
  if (all) {
    const gb = ha.lastGiveback;
    lines.push(gb ? `    last giveback: ${gb.trigger} at ${dateText(gb.atUs)}${gb.doneAtUs === null ? ' (in progress)' : ''}` : '    last giveback: none');
    lines.push(`    messages sent: ${JSON.stringify(ha.counters.sent)}; received: ${JSON.stringify(ha.counters.recv)}`);
  }
  return lines;
}
