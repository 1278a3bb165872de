// The HA invariants (verification.md 1, 8, 11), checked after every event on this filer: what one
// filer can see of them. The lab-wide checks (two filers serving one vserver at the same virtual time)
// belong to the simulation checkers; here each filer checks its own side of the contract.
import { fileServiceOf, storageOf, type HaEnv } from './ha-env.ts';
import type { HaState } from './types.ts';

const VIOLATIONS_MAX = 32;

function violation(ha: HaState, env: HaEnv, detail: string): void {
  if (ha.violations.length >= VIOLATIONS_MAX) return;
  if (ha.violations.some((seen) => seen.detail === detail)) return;
  ha.violations.push({ atUs: env.ctx.now, detail });
}

export function checkHaInvariants(ha: HaState, env: HaEnv): void {
  const fs = fileServiceOf(env.filer);
  const storage = storageOf(env.filer);
  const partner = env.filer.config.partner;
  if (!fs) return;
  const servesPartner = partner !== undefined && fs.served.some((served) => env.filer.config.labVservers.some((v) => v.name === served.vserver && v.home === partner));
  // Only a filer in takeover serves its partner's identity (never two filers serving one identity).
  if (servesPartner && ha.state !== 'takeover') violation(ha, env, `${env.filer.self} serves ${partner}'s identity in state ${ha.state}`);
  // A filer waiting for giveback serves nothing; nor does one whose partner announced a takeover.
  if (ha.state === 'waiting-for-giveback' && fs.served.length > 0) violation(ha, env, `${env.filer.self} serves while waiting for giveback`);
  // The home filer serves only once its storage is online (its log replayed).
  if (fs.served.length > 0 && fs.status === 'serving' && storage?.status !== 'online') violation(ha, env, `${env.filer.self} serves with storage ${storage?.status}`);
}
