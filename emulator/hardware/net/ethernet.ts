// A small but real Ethernet/IPv4 stack for filers and clients: ports with MACs and addresses, an ARP
// cache, ARP request/reply, gratuitous ARP when an address is brought up (so caches and switches follow
// an address that moved to another port or node), and a bounded queue of packets waiting for ARP.
// State is plain data in the owner's slot; the owner routes 'eth.frame' messages and 'net.arp' timers
// here. Delivery upward: handleFrame returns the IP packets addressed to one of our addresses.
import type { ActorContext, Payload, PortName } from '../../engine/actor.ts';
import { BROADCAST_MAC, hostOf, inSubnet } from './address.ts';

export const ARP_TIMEOUT_US = 1_000_000;
export const ARP_QUEUE_MAX = 64;
export const ARP_TIMER_KIND = 'net.arp';

export interface ArpMessage {
  readonly op: 'request' | 'reply';
  readonly senderMac: string;
  readonly senderIp: string;
  readonly targetMac: string;
  readonly targetIp: string;
}

/** An IP packet; `body` is the upper protocol's payload (NFS, CIFS, HA messages…). */
export interface IpPacket {
  readonly src: string;
  readonly dst: string;
  readonly protocol: string;
  readonly body: Payload;
}

/** Payload kind 'eth.frame'. */
export interface EthFrame {
  readonly kind: 'eth.frame';
  readonly src: string;
  readonly dst: string;
  readonly arp?: ArpMessage;
  readonly ip?: IpPacket;
  readonly [field: string]: unknown;
}

export interface NetPort {
  readonly mac: string;
  /** Addresses with prefix, `10.1.1.10/24`. */
  addresses: string[];
  /** Frames received for this port (ours or broadcast) and frames sent, for `netstat -i`. Optional: older saved labs. */
  packetsIn?: number;
  packetsOut?: number;
}

export interface IpStackState {
  ports: Record<PortName, NetPort>;
  /** IP → where it was last seen. */
  arp: Record<string, { mac: string; port: PortName; learnedUs: number }>;
  /** Packets waiting for an ARP reply, oldest first. */
  waiting: { packet: IpPacket; port: PortName; sinceUs: number }[];
  dropped: number;
  /** ICMP echo (`ping`): the next id to send and the ids answered. Optional: older saved labs. */
  echo?: { nextId: number; answered: number[] };
}

export const ICMP_PROTOCOL = 'icmp';
/** How many answered echo ids are remembered (a console waits for one at a time). */
const ECHO_REMEMBERED = 16;

export function createIpStack(ports: readonly { port: PortName; mac: string }[]): IpStackState {
  const table: Record<PortName, NetPort> = {};
  for (const p of ports) table[p.port] = { mac: p.mac, addresses: [] };
  return { ports: table, arp: {}, waiting: [], dropped: 0 };
}

/** Brings an address up on a port and announces it with a gratuitous ARP. */
export function addAddress(state: IpStackState, ctx: ActorContext, port: PortName, cidr: string): boolean {
  const netPort = state.ports[port];
  if (!netPort) return false;
  removeAddress(state, hostOf(cidr));
  netPort.addresses.push(cidr);
  announce(state, ctx, port, hostOf(cidr));
  return true;
}

/** Takes an address down wherever it is. */
export function removeAddress(state: IpStackState, ip: string): void {
  for (const netPort of Object.values(state.ports)) netPort.addresses = netPort.addresses.filter((a) => hostOf(a) !== ip);
}

/** Gratuitous ARP: a broadcast request for our own address, which updates every cache that knows it. */
export function announce(state: IpStackState, ctx: ActorContext, port: PortName, ip: string): void {
  const netPort = state.ports[port];
  if (!netPort) return;
  const arp: ArpMessage = { op: 'request', senderMac: netPort.mac, senderIp: ip, targetMac: BROADCAST_MAC, targetIp: ip };
  sendFrame(state, ctx, port, arpFrame(netPort.mac, BROADCAST_MAC, arp));
}

export function ownerPortOf(state: IpStackState, ip: string): PortName | undefined {
  return Object.entries(state.ports).find(([, p]) => p.addresses.some((a) => hostOf(a) === ip))?.[0];
}

/** Sends an IP packet from one of our addresses; queues it while the neighbour's MAC is unknown. */
export function sendIp(state: IpStackState, ctx: ActorContext, packet: IpPacket): 'sent' | 'queued' | 'no-route' {
  const port = routeFor(state, packet);
  if (port === undefined) return 'no-route';
  const neighbour = state.arp[packet.dst];
  if (neighbour && neighbour.port === port) {
    sendFrame(state, ctx, port, ipFrame(state.ports[port].mac, neighbour.mac, packet));
    return 'sent';
  }
  if (state.waiting.length >= ARP_QUEUE_MAX) {
    state.waiting.shift();
    state.dropped += 1;
  }
  const alreadyAsking = state.waiting.some((w) => w.packet.dst === packet.dst);
  state.waiting.push({ packet, port, sinceUs: ctx.now });
  if (!alreadyAsking) {
    const netPort = state.ports[port];
    const arp: ArpMessage = { op: 'request', senderMac: netPort.mac, senderIp: packet.src, targetMac: BROADCAST_MAC, targetIp: packet.dst };
    sendFrame(state, ctx, port, arpFrame(netPort.mac, BROADCAST_MAC, arp));
    ctx.setTimer(ARP_TIMEOUT_US, { kind: ARP_TIMER_KIND, ip: packet.dst });
  }
  return 'queued';
}

/**
 * The port that holds the source address and reaches the destination's subnet, else the first that
 * reaches the subnet. Plain loops in port order: this runs for every packet sent, and the entries
 * array and two closures per port it built showed in the lab's profile.
 */
function routeFor(state: IpStackState, packet: IpPacket): PortName | undefined {
  const ports = state.ports;
  for (const port in ports) {
    for (const address of ports[port].addresses) if (hostOf(address) === packet.src && inSubnet(packet.dst, address)) return port;
  }
  for (const port in ports) {
    for (const address of ports[port].addresses) if (inSubnet(packet.dst, address)) return port;
  }
  return undefined;
}

/** Whether one of the port's addresses is `ip`. */
function holds(netPort: NetPort, ip: string | undefined): boolean {
  for (const address of netPort.addresses) if (hostOf(address) === ip) return true;
  return false;
}

/** An 'eth.frame' that arrived on a port; returns the IP packets for us. */
export function handleEthFrame(state: IpStackState, ctx: ActorContext, port: PortName, payload: Payload): IpPacket[] {
  if (payload.kind !== 'eth.frame') return [];
  const netPort = state.ports[port];
  const eth = payload as unknown as EthFrame;
  if (!netPort || (eth.dst !== netPort.mac && eth.dst !== BROADCAST_MAC)) return [];
  netPort.packetsIn = (netPort.packetsIn ?? 0) + 1;
  if (eth.arp) {
    handleArp(state, ctx, port, eth.arp);
    return [];
  }
  if (eth.ip && holds(netPort, eth.ip.dst)) {
    // The stack itself answers ICMP echo, as a kernel does: the owner never sees it.
    if (eth.ip.protocol === ICMP_PROTOCOL) { handleIcmp(state, ctx, eth.ip); return []; }
    return [eth.ip];
  }
  return [];
}

/** Sends an ICMP echo request from `src` to `dst`; returns its id, or null when no port reaches `dst`. */
export function sendEcho(state: IpStackState, ctx: ActorContext, src: string, dst: string): number | null {
  const echo = (state.echo ??= { nextId: 1, answered: [] });
  const id = echo.nextId++;
  return sendIp(state, ctx, { src, dst, protocol: ICMP_PROTOCOL, body: { kind: 'icmp.echo', id } }) === 'no-route' ? null : id;
}

export function echoAnswered(state: IpStackState, id: number): boolean {
  return state.echo?.answered.includes(id) ?? false;
}

function handleIcmp(state: IpStackState, ctx: ActorContext, packet: IpPacket): void {
  const id = Number(packet.body['id']);
  if (!Number.isInteger(id)) return;
  if (packet.body.kind === 'icmp.echo') {
    sendIp(state, ctx, { src: packet.dst, dst: packet.src, protocol: ICMP_PROTOCOL, body: { kind: 'icmp.echo-reply', id } });
  } else if (packet.body.kind === 'icmp.echo-reply') {
    const echo = (state.echo ??= { nextId: 1, answered: [] });
    echo.answered = [...echo.answered, id].slice(-ECHO_REMEMBERED);
  }
}

function handleArp(state: IpStackState, ctx: ActorContext, port: PortName, arp: ArpMessage): void {
  const netPort = state.ports[port];
  const ours = holds(netPort, arp.targetIp);
  const gratuitous = arp.senderIp === arp.targetIp;
  // RFC 826: refresh an entry we already hold; learn a new one only when the message is for us.
  if (!ours && arp.senderIp !== '' && (state.arp[arp.senderIp] || arp.op === 'reply') && ownerPortOf(state, arp.senderIp) === undefined) {
    state.arp[arp.senderIp] = { mac: arp.senderMac, port, learnedUs: ctx.now };
  }
  if (ours && !gratuitous) {
    state.arp[arp.senderIp] = { mac: arp.senderMac, port, learnedUs: ctx.now };
    if (arp.op === 'request') {
      const reply: ArpMessage = { op: 'reply', senderMac: netPort.mac, senderIp: arp.targetIp, targetMac: arp.senderMac, targetIp: arp.senderIp };
      sendFrame(state, ctx, port, arpFrame(netPort.mac, arp.senderMac, reply));
    }
  }
  flushWaiting(state, ctx);
}

function flushWaiting(state: IpStackState, ctx: ActorContext): void {
  const still: IpStackState['waiting'] = [];
  for (const entry of state.waiting) {
    const neighbour = state.arp[entry.packet.dst];
    if (neighbour && neighbour.port === entry.port) sendFrame(state, ctx, entry.port, ipFrame(state.ports[entry.port].mac, neighbour.mac, entry.packet));
    else still.push(entry);
  }
  state.waiting = still;
}

/** An ARP timer: packets still waiting for that address are dropped. Undefined when not ours. */
export function handleArpTimer(state: IpStackState, ctx: ActorContext, payload: Payload): number | undefined {
  if (payload.kind !== ARP_TIMER_KIND) return undefined;
  const ip = payload['ip'];
  const before = state.waiting.length;
  state.waiting = state.waiting.filter((w) => w.packet.dst !== ip || ctx.now - w.sinceUs < ARP_TIMEOUT_US);
  state.dropped += before - state.waiting.length;
  return before - state.waiting.length;
}

/** Forgets what was learned through a port that lost carrier. */
export function handleNetLink(state: IpStackState, port: PortName, up: boolean): void {
  if (up) return;
  for (const [ip, entry] of Object.entries(state.arp)) if (entry.port === port) delete state.arp[ip];
}

/** Sends a frame out of a port and counts it. */
function sendFrame(state: IpStackState, ctx: ActorContext, port: PortName, frame: EthFrame): void {
  const netPort = state.ports[port];
  if (netPort) netPort.packetsOut = (netPort.packetsOut ?? 0) + 1;
  ctx.send(port, frame);
}

// Frames are literals with their fields in one order (kind, src, dst, then arp or ip), not a spread:
// every frame of a kind gets the same shape, and the trace folds fields in this order.
function ipFrame(src: string, dst: string, ip: IpPacket): EthFrame {
  return { kind: 'eth.frame', src, dst, ip };
}

function arpFrame(src: string, dst: string, arp: ArpMessage): EthFrame {
  return { kind: 'eth.frame', src, dst, arp };
}
