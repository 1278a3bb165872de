// The EMS log as every ONTAP subsystem writes to it (DESIGN.md §7): each event goes to the host's
// timeline (ctx.ems) and is offered to the subsystem that keeps the system log — the console, which puts
// it in /etc/messages and on the screen above the line being typed. Storage, HA and the file service log
// through here, over the filer's subsystem channel, so none of them imports the console.
import type { ActorContext, EmsSeverity } from '../engine/actor.ts';
import { offerSystemLog } from '../hardware/filer/active-subsystems.ts';
import type { FilerState } from '../hardware/filer/subsystem.ts';

const EMS_SOURCE_PATTERN = /^[A-Za-z0-9_.]{1,64}$/;

/** Logs one EMS event for this filer. Never throws; an odd source name is kept but marked. */
export function logEms(filer: FilerState, ctx: ActorContext, source: string, severity: EmsSeverity, text: string): void {
  const safeSource = EMS_SOURCE_PATTERN.test(source) ? source : 'ems.badSource';
  const safeText = text.replace(/[\r\n]+/g, ' ').slice(0, 512);
  ctx.ems(safeSource, severity, safeText);
  offerSystemLog(filer, { source: safeSource, severity, text: safeText }, ctx);
}
