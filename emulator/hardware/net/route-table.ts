// A filer's routing table as `route -s` and `netstat -r` print it and the run summary reports it
// (`filers.<f>.routing.table`): one route per connected subnet, a static gateway route to a subnet a peer
// routes for it (seed 004 claim 8), a host route per ARP entry, the peer addresses it publishes (proxy
// ARP, claim 9), and the loopback. The lab's Ethernet has no router of its own: no default route. Pure.
import { hostOf, parseCidr } from './address.ts';
import type { IpStackState } from './ethernet.ts';

export interface RouteRow {
  readonly destination: string;
  readonly gateway: string;
  /** BSD's flags: U up, C cloning (connected), G gateway, S static, H host, L link-layer. */
  readonly flags: string;
  readonly interface: string;
}

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

// One collator for every comparison: localeCompare with a locale and options builds one per call, and
// compares exactly as this one does. Each summary of a cluster lab sorts every filer's table.
const addressOrder = new Intl.Collator('en', { numeric: true });
const byAddress = ([a]: [string, unknown], [b]: [string, unknown]) => addressOrder.compare(a, b);

/** The table, in the order `route -s` prints it; `ports` are the filer's Ethernet ports in config order. */
export function routeTable(ports: readonly string[], ip: IpStackState): RouteRow[] {
  const rows: RouteRow[] = [];
  ports.forEach((port, index) => {
    const networks = [...new Set((ip.ports[port]?.addresses ?? []).map(networkName))];
    for (const network of networks) rows.push({ destination: network, gateway: `link#${index + 1}`, flags: 'UC', interface: port });
  });
  for (const route of ip.routes ?? []) rows.push({ destination: networkName(route.network), gateway: route.gateway, flags: 'UGS', interface: route.port });
  for (const [address, entry] of Object.entries(ip.arp).sort(byAddress)) rows.push({ destination: address, gateway: entry.mac, flags: 'UHL', interface: entry.port });
  // Addresses this filer answers for a peer (proxy ARP): published on one port, forwarded out of the other.
  for (const [address, proxy] of Object.entries(ip.proxied ?? {}).sort(byAddress)) {
    rows.push({ destination: address, gateway: `${proxy.owner} via ${proxy.toward}`, flags: 'UHLS', interface: proxy.port });
  }
  rows.push({ destination: '127.0.0.1', gateway: '127.0.0.1', flags: 'UH', interface: 'lo' });
  return rows;
}
