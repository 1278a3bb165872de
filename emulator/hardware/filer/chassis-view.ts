// What the wiring diagram shows of a filer chassis (paths documented in ../view-paths.ts).
import type { ActorContext } from '../../engine/actor.ts';
import { viewPaths } from '../view-paths.ts';
import type { ChassisState } from './chassis.ts';
import type { FilerState } from './subsystem.ts';

/** The amber LED on the front: any injected fault, a panic, a hang or a low NVRAM battery. */
export function faultLed(chassis: ChassisState): boolean {
  return chassis.faults.length > 0 || chassis.boot === 'panicked' || chassis.boot === 'hung' || !chassis.nvram.batteryOk;
}

export function publishChassisView(state: FilerState, ctx: ActorContext): void {
  const chassis = state.chassis;
  const self = state.self;
  ctx.publish(viewPaths.power(self), chassis.power);
  ctx.publish(viewPaths.filerState(self), chassis.boot);
  ctx.publish(viewPaths.faultLed(self), faultLed(chassis));
  ctx.publish(viewPaths.filerFaults(self), [...chassis.faults]);
  ctx.publish(viewPaths.nvramBattery(self), chassis.nvram.batteryOk ? 'ok' : 'low');
  ctx.publish(viewPaths.temperature(self), chassis.sensors.temperatureC);
  ctx.publish(viewPaths.fans(self), [...chassis.sensors.fans]);
  ctx.publish(viewPaths.psus(self), [...chassis.sensors.psus]);
  for (const [port, p] of Object.entries(chassis.ports)) {
    ctx.publish(viewPaths.portLink(self, port), p.link);
    ctx.publish(viewPaths.portEnabled(self, port), p.enabled);
  }
}
