// `storage show adapter` and `storage show shelf`: the FC initiator ports and the shelves behind them, as
// the filer sees them now (port enabled, link up, the path each shelf is reached by). `storage show disk`
// lives with the other disk listings (storage-commands.ts).
import { BAYS_PER_SHELF } from '../../hardware/disk-names.ts';
import type { FcPortConfig, FcShelfRef } from '../../hardware/filer/chassis.ts';
import type { CommandContext, CommandDefinition } from '../console/command.ts';

/** The adapter's world-wide node name, derived from the system id as the product derives it from the serial. */
export function fcNodeName(systemId: string, port: string): string {
  const serial = (Number(systemId.replace(/\D/g, '').slice(-6)) || 0).toString(16).padStart(6, '0');
  const index = port.charCodeAt(port.length - 1) - 'a'.charCodeAt(0);
  return `5:00a:09800${Math.max(0, index)}:${serial}`;
}

export function adapterLines(ctx: CommandContext, fc: FcPortConfig): string[] {
  const port = ctx.filer.chassis.ports[fc.port];
  const enabled = port?.enabled ?? false;
  const up = port?.link ?? false;
  return [
    `Slot:            ${fc.port}`,
    `Description:     Fibre Channel Host Adapter ${fc.port} (loop ${fc.loop})`,
    'Firmware Rev:    4.0.27',
    `FC Node Name:    ${fcNodeName(ctx.filer.config.systemId, fc.port)}`,
    'FC Packet Size:  2048',
    `Link Data Rate:  ${up ? '2 Gbit' : 'N/A'}`,
    'SRAM Parity:     Yes',
    'External GBIC:   No',
    `State:           ${enabled ? 'Enabled' : 'Disabled'}`,
    `In Use:          ${up ? 'Yes' : 'No'}`,
    `Redundant:       ${redundant(ctx, fc) ? 'Yes' : 'No'}`,
    '',
  ];
}

/** Whether every shelf this adapter reaches is reached by another adapter with its link up. */
function redundant(ctx: CommandContext, fc: FcPortConfig): boolean {
  return fc.shelves.length > 0 && fc.shelves.every((shelf) => ctx.filer.config.fcPorts.some((other) =>
    other.port !== fc.port && (ctx.filer.chassis.ports[other.port]?.link ?? false) && other.shelves.some((ref) => ref.actor === shelf.actor)));
}

/** The shelf's serial number (the same scheme as its disks': shelf id). */
export function shelfSerial(shelf: FcShelfRef): string {
  return `FLSH${String(shelf.shelfId).padStart(4, '0')}`;
}

export function shelfLines(ctx: CommandContext, fc: FcPortConfig, shelf: FcShelfRef): string[] {
  const up = ctx.filer.chassis.ports[fc.port]?.link ?? false;
  return [
    `Shelf name:    ${fc.port}.shelf${shelf.shelfId}`,
    `Channel:       ${fc.port}`,
    `Module:        ${fc.loop}`,
    `Shelf id:      ${shelf.shelfId}`,
    `Shelf UID:     50:0a:09:80:00:00:${String(shelf.shelfId).padStart(2, '0')}:0${fc.loop === 'A' ? '0' : '1'}`,
    `Shelf S/N:     ${shelfSerial(shelf)}`,
    'Term switch:   N/A',
    `Shelf state:   ${up ? 'ONLINE' : 'OFFLINE'}`,
    `Module state:  ${up ? 'OK' : 'UNKNOWN'}`,
    '',
    `Disks:         ${up ? `${BAYS_PER_SHELF} bays on loop ${fc.loop}` : 'none (loop down)'}`,
    '',
  ];
}

const USAGE_ADAPTER = 'storage show adapter [ -a ] [ <adapter> ]';
const USAGE_SHELF = 'storage show shelf [ -a ] [ <shelf_name> ]';

export const storageShowCommands: readonly CommandDefinition[] = [
  {
    name: 'storage show adapter',
    synopsis: 'display the FC adapters and their state',
    usage: [USAGE_ADAPTER],
    privilege: 'admin',
    completions: ['-a'],
    run(args, ctx) {
      const names = args.filter((arg) => arg !== '-a');
      if (names.length > 1 || names.some((name) => name.startsWith('-'))) return ctx.usage();
      const ports = ctx.filer.config.fcPorts.filter((fc) => names.length === 0 || fc.port === names[0]);
      if (ports.length === 0) { ctx.print(`storage show: Adapter ${names[0]} not found`); return 'done'; }
      for (const fc of ports) ctx.printLines(adapterLines(ctx, fc));
      return 'done';
    },
  },
  {
    name: 'storage show shelf',
    synopsis: 'display the disk shelves on each loop',
    usage: [USAGE_SHELF],
    privilege: 'admin',
    completions: ['-a'],
    run(args, ctx) {
      const names = args.filter((arg) => arg !== '-a');
      if (names.length > 1 || names.some((name) => name.startsWith('-'))) return ctx.usage();
      const shelves = ctx.filer.config.fcPorts.flatMap((fc) => fc.shelves.map((shelf) => ({ fc, shelf })))
        .filter(({ fc, shelf }) => names.length === 0 || names[0] === `${fc.port}.shelf${shelf.shelfId}`);
      if (shelves.length === 0) { ctx.print(`storage show: Shelf ${names[0]} not found`); return 'done'; }
      for (const { fc, shelf } of shelves) ctx.printLines(shelfLines(ctx, fc, shelf));
      return 'done';
    },
  },
];
