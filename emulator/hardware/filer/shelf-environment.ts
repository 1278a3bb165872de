// What the shelves' enclosure services (SES) report about their power supplies and temperatures
// ('shelf.environment-report', scsi.ts). The FC adapters keep the last report of each shelf
// (ChassisState.shelfEnvironment: it outlives an OS reboot, not a power cycle) and a change of a power
// supply is logged as the product's `ses.status.*` event. A report comes once per loop; only a change is
// logged. `environment shelf` reads what is kept.
import type { ActorContext } from '../../engine/actor.ts';
import type { ShelfEnvironmentReportFrame } from '../scsi.ts';
import { PSU_COUNT_PER_SHELF, SHELF_PRODUCT, SHELF_TEMPERATURES_C } from '../shelf/shelf-model.ts';
import type { ShelfEnvironment } from './chassis.ts';
import { hardwareMessage } from './chassis-faults.ts';
import type { FilerState } from './subsystem.ts';

const NORMAL: ShelfEnvironment = { psus: Array.from({ length: PSU_COUNT_PER_SHELF }, () => true), temperaturesC: SHELF_TEMPERATURES_C };

/** The shelf's environment as this filer last heard it: normal until the shelf says otherwise. */
export function knownShelfEnvironment(filer: FilerState, shelf: string): ShelfEnvironment {
  return filer.chassis.shelfEnvironment?.[shelf] ?? NORMAL;
}

/** Keeps the report from an FC port and logs each power supply that changed. */
export function shelfEnvironmentReported(filer: FilerState, port: string, report: ShelfEnvironmentReportFrame, ctx: ActorContext): void {
  const shelfId = filer.config.fcPorts.find((fc) => fc.port === port)?.shelves.find((ref) => ref.actor === report.shelf)?.shelfId;
  if (shelfId === undefined) return;
  const before = knownShelfEnvironment(filer, report.shelf);
  (filer.chassis.shelfEnvironment ??= {})[report.shelf] = { psus: [...report.psus], temperaturesC: [...report.temperaturesC] };
  const where = `${SHELF_PRODUCT} shelf ${shelfId} on channel ${port}`;
  report.psus.forEach((ok, index) => {
    if (ok === (before.psus[index] ?? true)) return;
    if (ok) hardwareMessage(filer, ctx, 'ses.status.psInfo', 'info', `${where} power supply information for Power supply ${index + 1}: normal status`);
    else hardwareMessage(filer, ctx, 'ses.status.psWarning', 'warning', `${where} power warning for Power supply ${index + 1}: critical status; DC undervoltage fault.`);
  });
}
