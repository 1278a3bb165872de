// `netstat -i` and `route -s`: the interfaces of the filer's IP stack with their frame counters, and
// the routing table it uses: one route per connected subnet, a host route per ARP entry, and (seed 004)
// a gateway route to a subnet a peer routes for it, or the peer addresses it publishes for one. The
// lab's Ethernet has no router of its own, so there is no default route.
import { hostOf, parseCidr } from '../../hardware/net/address.ts';
import type { IpStackState } from '../../hardware/net/ethernet.ts';
import type { CommandContext, CommandDefinition } from '../console/command.ts';
import { fileServiceOf } from './fileservice-cifs.ts';

/** `10.1.1/24`: the network part of an address, as BSD's netstat prints it. */
export function networkName(cidr: string): string {
  const parsed = parseCidr(cidr);
  if (!parsed) return cidr;
  const octets = hostOf(cidr).split('.').map(Number);
  const keep = Math.max(1, Math.ceil(parsed.prefixLength / 8));
  const mask = parsed.prefixLength % 8 === 0 ? 255 : (0xff << (8 - (parsed.prefixLength % 8))) & 0xff;
  const parts = octets.slice(0, keep).map((octet, index) => (index === keep - 1 ? octet & mask : octet));
  return `${parts.join('.')}/${parsed.prefixLength}`;
}

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
  const lines = ['Routing tables', '', 'Internet:', 'Destination      Gateway            Flags     Refs     Use  Interface'];
  const row = (destination: string, gateway: string, flags: string, port: string) =>
    `${destination.padEnd(17)}${gateway.padEnd(19)}${flags.padEnd(10)}${'0'.padStart(4)}${'0'.padStart(8)}  ${port}`;
  const ports = ctx.filer.config.ethernetPorts.map((eth) => eth.port);
  ports.forEach((port, index) => {
    const networks = [...new Set((ip.ports[port]?.addresses ?? []).map(networkName))];
    for (const network of networks) lines.push(row(network, `link#${index + 1}`, 'UC', port));
  });
  // Seed 004 claim 8: a subnet reached through a peer that routes for this filer (a static gateway route).
  for (const route of ip.routes ?? []) lines.push(row(networkName(route.network), route.gateway, 'UGS', route.port));
  for (const [address, entry] of Object.entries(ip.arp).sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))) {
    lines.push(row(address, entry.mac, 'UHL', entry.port));
  }
  // Addresses this filer answers for a peer (proxy ARP): published on one port, forwarded out of the other.
  for (const [address, proxy] of Object.entries(ip.proxied ?? {}).sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))) {
    lines.push(row(address, `${proxy.owner} via ${proxy.toward}`, 'UHLS', proxy.port));
  }
  lines.push(row('127.0.0.1', '127.0.0.1', 'UH', 'lo'));
  return lines;
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
