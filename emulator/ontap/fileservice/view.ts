// What the file service shows the lab window: the addresses each Ethernet port carries (tags on the
// diagram that move with a takeover) and whether it serves. Published when they change: at os-boot,
// when storage comes online, at halt, panic and power-off (and by HA when addresses move).
//
//   <filer>.ports.<port>.addresses   string[]  vserver addresses this port answers on
//   <filer>.fileservice              FileServiceStatus: 'stopped' | 'waiting-for-storage' | 'serving'
import type { ActorContext } from '../../engine/actor.ts';
import type { FilerState } from '../../hardware/filer/subsystem.ts';
import type { FileServiceState } from './state.ts';

export function publishFileServiceView(state: FileServiceState, filer: FilerState, ctx: ActorContext): void {
  for (const { port } of filer.config.ethernetPorts) {
    ctx.publish(`${state.self}.ports.${port}.addresses`, state.served.filter((served) => served.port === port).map((served) => served.address));
  }
  ctx.publish(`${state.self}.fileservice`, state.status);
}
