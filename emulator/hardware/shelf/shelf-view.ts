// What the wiring diagram shows of a shelf (paths documented in ../view-paths.ts).
import type { ActorContext } from '../../engine/actor.ts';
import { viewPaths, type DiskViewState } from '../view-paths.ts';
import type { DiskState } from './disk.ts';
import { shelfHasPower, type ShelfState } from './shelf-actor.ts';

export function diskViewState(shelf: ShelfState, disk: DiskState | null): DiskViewState {
  if (!disk) return 'empty';
  if (disk.health === 'failed') return 'failed';
  if (!shelfHasPower(shelf)) return 'not-ready';
  if (disk.mediaErrors.length > 0) return 'media-error';
  return disk.slow ? 'slow' : 'ok';
}

/** After a command: the activity counter, and the reservation when the command could change it. */
export function publishBay(shelf: ShelfState, disk: DiskState, ctx: ActorContext, reservationChanged: boolean): void {
  ctx.publish(viewPaths.bayActivity(shelf.self, disk.bay), disk.commands);
  if (reservationChanged) ctx.publish(viewPaths.bayReservation(shelf.self, disk.bay), disk.reservation.holder);
}

/** After an ownership write: the bay's owner. */
export function publishBayOwner(shelf: ShelfState, disk: DiskState, ctx: ActorContext): void {
  ctx.publish(viewPaths.bayOwner(shelf.self, disk.bay), disk.owner);
}

export function publishShelfView(shelf: ShelfState, ctx: ActorContext): void {
  const self = shelf.self;
  ctx.publish(viewPaths.power(self), shelfHasPower(shelf) ? 'on' : 'off');
  ctx.publish(viewPaths.faultLed(self), shelf.faults.length > 0 || shelf.portFaults.length > 0 || shelf.bays.some((d) => d !== null && diskViewState(shelf, d) !== 'ok'));
  ctx.publish(viewPaths.shelfPsus(self), [...shelf.psus]);
  shelf.bays.forEach((disk, bay) => {
    ctx.publish(viewPaths.bayState(self, bay), diskViewState(shelf, disk));
    ctx.publish(viewPaths.bayOwner(self, bay), disk ? disk.owner : null);
    ctx.publish(viewPaths.bayReservation(self, bay), disk ? disk.reservation.holder : null);
  });
}
