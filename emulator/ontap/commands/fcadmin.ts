// `fcadmin config` and `fcadmin device_map`: the FC initiator ports and the loops behind them.
import type { CommandContext, CommandDefinition } from '../console/command.ts';

const BAYS_PER_SHELF = 14;

function fcUp(ctx: CommandContext, port: string): boolean {
  return ctx.filer.chassis.ports[port]?.link ?? false;
}

export const fcadminCommands: readonly CommandDefinition[] = [
  {
    name: 'fcadmin',
    synopsis: 'commands for managing Fibre Channel adapters',
    usage: ['fcadmin config [<adapter>]', 'fcadmin device_map [<adapter>]'],
    privilege: 'admin',
    run(_args, ctx) {
      return ctx.usage();
    },
  },
  {
    name: 'fcadmin config',
    synopsis: 'show the FC adapters, their type and state',
    usage: ['fcadmin config [<adapter>]'],
    privilege: 'admin',
    run(args, ctx) {
      if (args.length > 1) return ctx.usage();
      const ports = ctx.filer.config.fcPorts.filter((fc) => args.length === 0 || fc.port === args[0]);
      if (ports.length === 0) {
        ctx.print(`fcadmin config: ${args[0]}: adapter not found`);
        return 'done';
      }
      ctx.printLines(['', '                  Local', 'Adapter Type       State                  Status', '---------------------------------------------------']);
      for (const fc of ports) ctx.print(`  ${fc.port.padEnd(6)}initiator  CONFIGURED             ${fcUp(ctx, fc.port) ? 'online' : 'offline'}`);
      return 'done';
    },
  },
  deviceMapDefinition('fcadmin device_map'),
];

/** `fcadmin device_map` and `fcstat device_map`: the same loop map under two names. */
export function deviceMapDefinition(name: string): CommandDefinition {
  return {
    name,
    synopsis: 'show the loop map of each FC adapter',
    usage: [`${name} [<adapter>]`],
    privilege: 'admin',
    run: (args, ctx) => deviceMapCommand(name, args, ctx),
  };
}

/** The loop map of each adapter (`fcadmin device_map`, `fcstat device_map`). */
function deviceMapCommand(command: string, args: readonly string[], ctx: CommandContext): 'done' {
  if (args.length > 1) return ctx.usage();
  const ports = ctx.filer.config.fcPorts.filter((fc) => args.length === 0 || fc.port === args[0]);
  if (ports.length === 0) {
    ctx.print(`${command}: ${args[0]}: adapter not found`);
    return 'done';
  }
  for (const fc of ports) {
    ctx.print(`Loop Map for channel ${fc.port}:`);
    if (!fcUp(ctx, fc.port)) {
      ctx.print('    Loop is down: no devices.');
      ctx.print('');
      continue;
    }
    const ids = fc.shelves.flatMap((shelf) => Array.from({ length: BAYS_PER_SHELF }, (_, bay) => shelf.shelfId * 16 + BAYS_PER_SHELF - 1 - bay));
    ctx.print(`Translated Map: Port Count ${ids.length + 1}`);
    ctx.print(`    7 ${ids.join(' ')}`);
    ctx.print('Shelf mapping:');
    for (const shelf of fc.shelves) {
      const shelfIds = Array.from({ length: BAYS_PER_SHELF }, (_, bay) => shelf.shelfId * 16 + BAYS_PER_SHELF - 1 - bay);
      ctx.print(`    Shelf ${shelf.shelfId}: ${shelfIds.join(' ')}`);
    }
    ctx.print('');
  }
  return 'done';
}
