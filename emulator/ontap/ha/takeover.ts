// Taking over the partner (seeds 000/001, DESIGN.md §5): preempt its disk reservations, replay its
// NVRAM half, mount its aggregates (storage/partner.ts does the storage half), then bring its vserver's
// addresses up on this filer's ports with a gratuitous ARP each and serve both identities. The identity
// that moves is the partner's vserver: the same serveVserver seed 004 uses to move any vserver.
import type { VserverConfig } from '../../hardware/filer/chassis.ts';
import { logEms } from '../ems.ts';
import { releaseVserver, serveVserver } from '../fileservice/vserver-service.ts';
import { partnerMovedInDisks } from '../cluster/takeover-moved-in.ts';
import { mountPartnerStorage } from '../storage/partner.ts';
import { serveCompilation } from './compilation.ts';
import { fileServiceOf, storageEnv, storageOf, type HaEnv } from './ha-env.ts';
import { moveTo, step } from './transitions.ts';
import type { HaState, TakeoverKind } from './types.ts';

/** Why this filer cannot start a takeover now, or null. */
export function takeoverRefusal(ha: HaState, env: HaEnv): string | null {
  const partner = env.filer.config.partner;
  if (partner === undefined || !env.filer.config.partnerSystemId) return 'this filer has no HA partner';
  if (ha.state === 'takeover' || ha.state === 'taking-over') return `${partner} has already been taken over`;
  if (ha.state === 'giving-back') return 'a giveback is in progress';
  if (ha.state !== 'up') return 'this filer is not up';
  const announced = ha.partner.announced;
  if (announced === 'takeover' || announced === 'taking-over' || announced === 'giving-back') return `${partner} is in takeover mode`;
  if (storageOf(env.filer)?.status !== 'online') return 'this filer\'s storage is not online';
  return null;
}

/** The partner's vservers: those whose home is the partner (its own identity first). */
export function partnerVservers(env: HaEnv): readonly VserverConfig[] {
  const partner = env.filer.config.partner;
  return env.filer.config.labVservers.filter((vserver) => vserver.home === partner);
}

/**
 * What a finished takeover serves: the partner's identity, and each of its data vservers whose volumes
 * all came over with its disks. Seed 004: one whose aggregate moved to another node runs there, not here.
 */
function servableAfterTakeover(env: HaEnv, prefix: string): VserverConfig[] {
  const volumes = storageOf(env.filer)?.volumes ?? {};
  return partnerVservers(env).filter((vserver) => vserver.name === vserver.home || vserver.volumes.every((volume) => volumes[prefix + volume] !== undefined));
}

/** up → taking-over: fence the partner and start mounting its storage. */
export function transitionToTakingOverFromUp(ha: HaState, env: HaEnv, kind: TakeoverKind, trigger: string, steps: string[]): boolean {
  const refusal = takeoverRefusal(ha, env);
  const storage = storageOf(env.filer);
  if (refusal !== null || !storage) {
    logEms(env.filer, env.ctx, 'cf.takeover.refused', 'error', `Takeover of ${env.filer.config.partner ?? 'the partner'} not possible: ${refusal}.`);
    return false;
  }
  const partner = env.filer.config.partner as string;
  ha.lastTakeover = { kind, trigger, atUs: env.ctx.now, servingAtUs: null, steps: [...steps], failed: null };
  if (kind !== 'negotiated' && kind !== 'forced-countdown') ha.compilation = null;
  ha.pendingTakeover = null;
  moveTo(ha, env, 'taking-over');
  logEms(env.filer, env.ctx, 'cf.fm.takeoverStarted', 'warning', 'Cluster monitor: takeover started');
  const request = mountPartnerStorage(storage, storageEnv(env), {
    name: partner, systemId: env.filer.config.partnerSystemId as string, resume: trigger === 'resume', leaveOut: partnerMovedInDisks(env.filer),
  });
  if (typeof request !== 'number') {
    failTakeover(ha, env, `partner storage could not be mounted (${request})`);
    return false;
  }
  step(ha.lastTakeover.steps, 'reserve');
  return true;
}

/** After every event while taking over: once the partner's storage is mounted and replayed, serve it. */
export function progressTakeover(ha: HaState, env: HaEnv): void {
  const record = ha.lastTakeover;
  const mount = storageOf(env.filer)?.partner;
  if (ha.state !== 'taking-over' || !record || !mount) return;
  if (mount.status === 'failed') { failTakeover(ha, env, mount.error ?? 'partner storage failed'); return; }
  if (mount.status !== 'online') return;
  step(record.steps, 'replay');
  step(record.steps, 'mount');
  const fs = fileServiceOf(env.filer);
  // Seed 004 claims 6, 26: the partner's vservers come up in priority order (1 first).
  const serving = servableAfterTakeover(env, mount.prefix).sort((a, b) => a.priority - b.priority);
  if (fs) for (const vserver of serving) serveVserver(fs, env.filer, env.ctx, vserver, mount.prefix);
  step(record.steps, 'ifup');
  step(record.steps, 'serve');
  record.servingAtUs = env.ctx.now;
  moveTo(ha, env, 'takeover');
  serveCompilation(ha, env);
  const seconds = Math.max(1, Math.round((env.ctx.now - record.atUs) / 1_000_000));
  logEms(env.filer, env.ctx, 'cf.fm.takeoverComplete', 'notice', `Cluster monitor: takeover completed in ${seconds} seconds; serving ${serving.map((v) => v.name).join(', ')}`);
}

function failTakeover(ha: HaState, env: HaEnv, why: string): void {
  if (ha.lastTakeover) ha.lastTakeover.failed = why;
  const fs = fileServiceOf(env.filer);
  if (fs) for (const vserver of partnerVservers(env)) releaseVserver(fs, env.filer, env.ctx, vserver.name);
  logEms(env.filer, env.ctx, 'cf.fm.takeoverFailed', 'error', `Cluster monitor: takeover of ${env.filer.config.partner} failed: ${why}`);
  moveTo(ha, env, 'up');
}

