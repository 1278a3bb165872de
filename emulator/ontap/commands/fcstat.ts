// `fcstat link_status` and `fcstat device_map`: per-loop link counters of each device, and the loop map.
// The lab's loops lose frames only as whole links (a pulled cable, a faulted port): the error counters of
// a device read 0 while its loop is up, and a loop that is down has no devices to list.
import { BAYS_PER_SHELF, ontapDiskName } from '../../hardware/disk-names.ts';
import type { CommandDefinition } from '../console/command.ts';
import { deviceMapDefinition } from './fcadmin.ts';

const LINK_STATUS_HEADER = [
  'Loop   Link     Transmit  Receive  Loss of  Loss of  Invalid',
  'ID     Failure  error     error    sync     signal   CRC',
  '       count    count     count    count    count    count',
];

/** Widths of the count columns under the header (the last, Invalid CRC, ends the line). */
const COUNT_WIDTHS = [9, 10, 9, 9, 9];

export const fcstatCommands: readonly CommandDefinition[] = [
  {
    name: 'fcstat link_status',
    synopsis: 'link error counters of the devices on each loop',
    usage: ['fcstat link_status [<adapter>]'],
    privilege: 'admin',
    run(args, ctx) {
      if (args.length > 1) return ctx.usage();
      const ports = ctx.filer.config.fcPorts.filter((fc) => args.length === 0 || fc.port === args[0]);
      if (ports.length === 0) { ctx.print(`fcstat: ${args[0]}: adapter not found`); return 'done'; }
      for (const fc of ports) {
        ctx.print(`Targets on channel ${fc.port}:`);
        if (!(ctx.filer.chassis.ports[fc.port]?.link ?? false)) { ctx.printLines(['    Loop is down: no targets.', '']); continue; }
        ctx.printLines(LINK_STATUS_HEADER);
        for (const shelf of fc.shelves) {
          for (let bay = 0; bay < BAYS_PER_SHELF; bay++) {
            ctx.print(`${ontapDiskName(fc.port, shelf.shelfId, bay).padEnd(7)}${COUNT_WIDTHS.map((width) => '0'.padEnd(width)).join('')}0`);
          }
        }
        ctx.print('');
      }
      return 'done';
    },
  },
  deviceMapDefinition('fcstat device_map'),
];
