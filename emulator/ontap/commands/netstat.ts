// `netstat -i` and `route -s`: the interfaces of the filer's IP stack with their frame counters, and
// the routing table it uses (hardware/net/route-table.ts).
import { hostOf } from '../../hardware/net/address.ts';
import type { IpStackState } from '../../hardware/net/ethernet.ts';
import { networkName, routeTable } from '../../hardware/net/route-table.ts';
import type { CommandContext, CommandDefinition } from '../console/command.ts';
import { fileServiceOf } from './fileservice-cifs.ts';

function ipStackOf(ctx: CommandContext): IpStackState | null {
  return fileServiceOf(ctx)?.ip ?? null;
}

function interfaceLines(ctx: CommandContext, ip: IpStackState): string[] {
  const lines = ['Name  Mtu  Network     Address              Ipkts Ierrs    Opkts Oerrs  Collis Queue'];
  for (const eth of ctx.filer.config.ethernetPorts) {
    const port = ip.ports[eth.port];
    const chassisPort = ctx.filer.chassis.ports[eth.port];
    const name = `${eth.port}${chassisPort && (chassisPort.adminDown || !chassisPort.enabled) ? '*' : ''}`;
    const counts = `${String(port?.packetsIn ?? 0).padStart(8)}${'0'.padStart(6)}${String(port?.packetsOut ?? 0).padStart(9)}${'0'.padStart(6)}${'0'.padStart(8)}${'0'.padStart(6)}`;
    const addresses = port?.addresses ?? [];
    if (addresses.length === 0) lines.push(`${name.padEnd(6)}1500 ${'none'.padEnd(12)}${'none'.padEnd(17)}${counts}`);
    for (const address of addresses) lines.push(`${name.padEnd(6)}1500 ${networkName(address).padEnd(12)}${hostOf(address).padEnd(17)}${counts}`);
  }
  lines.push(`${'lo'.padEnd(6)}8160 ${'127'.padEnd(12)}${'127.0.0.1'.padEnd(17)}${'0'.padStart(8)}${'0'.padStart(6)}${'0'.padStart(9)}${'0'.padStart(6)}${'0'.padStart(8)}${'0'.padStart(6)}`);
  return lines;
}

function routeLines(ctx: CommandContext, ip: IpStackState): string[] {
  const rows = routeTable(ctx.filer.config.ethernetPorts.map((eth) => eth.port), ip);
  return ['Routing tables', '', 'Internet:', 'Destination      Gateway            Flags     Refs     Use  Interface',
    ...rows.map((route) => `${route.destination.padEnd(17)}${route.gateway.padEnd(19)}${route.flags.padEnd(10)}${'0'.padStart(4)}${'0'.padStart(8)}  ${route.interface}`)];
}

function withIpStack(ctx: CommandContext, command: string, body: (ip: IpStackState) => string[]): 'done' {
  const ip = ipStackOf(ctx);
  if (!ip) { ctx.print(`${command}: the network is not configured on this filer.`); return 'done'; }
  ctx.printLines(body(ip));
  return 'done';
}

export const netstatCommands: readonly CommandDefinition[] = [
  {
    name: 'netstat',
    synopsis: 'show network status',
    usage: ['netstat [ -i | -r | -rn ]'],
    privilege: 'admin',
    completions: ['-i', '-r', '-rn'],
    run(args, ctx) {
      if (args.length !== 1) return ctx.usage();
      if (args[0] === '-i') return withIpStack(ctx, 'netstat', (ip) => interfaceLines(ctx, ip));
      if (args[0] === '-r' || args[0] === '-rn') return withIpStack(ctx, 'netstat', (ip) => routeLines(ctx, ip));
      return ctx.usage();
    },
  },
  {
    name: 'route',
    synopsis: 'show the routing table',
    usage: ['route -s'],
    privilege: 'admin',
    completions: ['-s'],
    run(args, ctx) {
      if (args.length !== 1 || args[0] !== '-s') return ctx.usage();
      return withIpStack(ctx, 'route', (ip) => routeLines(ctx, ip));
    },
  },
];
