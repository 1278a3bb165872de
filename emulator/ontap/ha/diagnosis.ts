// The partner's eyes on a faulty filer's disks (seed 000 claims 24-25/45-46, 27/48): before it diagnoses
// a fault the requester cannot localise, and before it accepts a takeover request, this filer reads the
// requester's mailbox disks over its own loops. Disks that answer here mean the requester lost its own
// paths (a takeover helps); none answering means the shelf or the loops are gone for both (a takeover
// would not help, and is refused).
import { logEms } from '../ems.ts';
import { readMailbox } from '../storage/mailbox.ts';
import { storageEnv, storageOf, type HaEnv } from './ha-env.ts';
import { sendHa } from './messages.ts';
import type { HaState } from './types.ts';

/** Starts a probe of the partner's disks; false when this filer's storage cannot issue one. */
export function probePartnerDisks(ha: HaState, env: HaEnv, purpose: 'diagnose' | 'check', faultType: string): boolean {
  const storage = storageOf(env.filer);
  const disks = env.filer.config.partnerMailboxDisks ?? [];
  if (!storage || storage.status !== 'online' || disks.length === 0) return false;
  if (ha.negotiation.probe !== null) delete storage.mailbox.reads[ha.negotiation.probe.readId];
  ha.negotiation.probe = { purpose, faultType, readId: readMailbox(storage, storageEnv(env), disks) };
  return true;
}

/** The probe's answer once it is in: how many of the partner's disks answered here; null while in flight. */
export function probeAnswered(ha: HaState, env: HaEnv): { readonly purpose: 'diagnose' | 'check'; readonly faultType: string; readonly answered: number } | null {
  const probe = ha.negotiation.probe;
  const storage = storageOf(env.filer);
  if (probe === null || !storage) return null;
  const result = storage.mailbox.reads[probe.readId];
  if (result === null) return null;
  delete storage.mailbox.reads[probe.readId];
  ha.negotiation.probe = null;
  return { purpose: probe.purpose, faultType: probe.faultType, answered: result?.answered.length ?? 0 };
}

/** B: the requester asked for a diagnosis; probe its disks (the verdict follows in diagnoseFromProbe). */
export function diagnoseRequested(ha: HaState, env: HaEnv, faultType: string): void {
  const partner = env.filer.config.partner ?? 'partner';
  logEms(env.filer, env.ctx, 'cf.fm.diagnoseRequest', 'warning', `Partner ${partner} asks for a diagnosis (${faultType}): probing its disks from this node.`);
  if (!probePartnerDisks(ha, env, 'diagnose', faultType)) {
    sendDiagnosis(ha, env, faultType, 'shared', `${env.filer.config.name} cannot probe ${partner}'s disks (its own storage is not online)`);
  }
}

/** B: the diagnosis probe is in. */
export function diagnoseFromProbe(ha: HaState, env: HaEnv, faultType: string, answered: number): void {
  const partner = env.filer.config.partner ?? 'partner';
  const self = env.filer.config.name;
  if (answered > 0) sendDiagnosis(ha, env, faultType, 'local', `${partner}'s disks answer on ${self}'s paths: the fault is in ${partner}'s own FC ports or cables`);
  else sendDiagnosis(ha, env, faultType, 'shared', `${self} cannot reach ${partner}'s disks either: the shelf or its loops have failed`);
}

function sendDiagnosis(ha: HaState, env: HaEnv, faultType: string, verdict: 'local' | 'shared', detail: string): void {
  logEms(env.filer, env.ctx, 'cf.fm.diagnosis', verdict === 'local' ? 'warning' : 'error', `Diagnosis of ${env.filer.config.partner}'s ${faultType}: ${detail}.`);
  sendHa(ha, env.filer, env.ctx, { kind: 'ha.diagnosis', faultType, verdict, detail });
}

/** A: the partner's verdict on the fault this filer could not localise. */
export function diagnosisReceived(ha: HaState, env: HaEnv, faultType: string, verdict: 'local' | 'shared', detail: string): void {
  if (ha.fm.diagnoseRequested !== faultType) return;
  ha.fm.partnerDiagnosis = { faultType, class: verdict === 'local' ? 'takeover' : 'warning', detail };
  if (ha.lastShutdown) ha.lastShutdown.steps.push(verdict === 'local' ? 'diag-local' : 'diag-shared');
  if (verdict === 'shared') {
    logEms(env.filer, env.ctx, 'cf.fm.diagnosisShared', 'error', `Partner's diagnosis: ${detail}. A takeover would not help; continuing degraded.`);
  } else {
    logEms(env.filer, env.ctx, 'cf.fm.diagnosisLocal', 'warning', `Partner's diagnosis: ${detail}.`);
  }
}
