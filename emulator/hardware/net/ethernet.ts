// A small but real Ethernet/IPv4 stack for filers and clients: ports with MACs and addresses, an ARP
// cache, ARP request/reply, gratuitous ARP when an address is brought up (so caches and switches follow
// an address that moved to another port or node), and a bounded queue of packets waiting for ARP.
// State is plain data in the owner's slot; the owner routes 'eth.frame' messages and 'net.arp' timers
// here. Delivery upward: handleFrame returns the IP packets addressed to one of our addresses.
import type { ActorContext, Payload, PortName } from '../../engine/actor.ts';
import { BROADCAST_MAC, hostOf, inSubnet } from './address.ts';
import { transmitPort, type Ifgrp } from './ifgrp.ts';

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
  /** Record route (RFC 791's option, by node name): set only on packets a node forwarded (seed 004 claim 8). */
  readonly route?: readonly string[];
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
  /** Packets waiting for an ARP reply, oldest first; `nextHop` when it is a gateway, not the destination. */
  waiting: { packet: IpPacket; port: PortName; sinceUs: number; nextHop?: string }[];
  dropped: number;
  /** ICMP echo (`ping`): the next id to send and the ids answered. Optional: older saved labs. */
  echo?: { nextId: number; answered: number[] };
  /** Networks reached through a gateway on a port (seed 004 claim 8: a peer node routes for this one). */
  routes?: StaticRoute[];
  /** Addresses answered for by proxy ARP on a port and forwarded to their owner over another (claims 8, 9). */
  proxied?: Record<string, ProxiedAddress>;
  /** Packets this stack forwarded between its ports. */
  forwarded?: number;
  /** Interface groups over these ports (`ifgrp create`), by name. Optional: none in most labs. */
  ifgrps?: Record<string, Ifgrp>;
}

export interface StaticRoute {
  /** `10.1.1.0/24` */
  readonly network: string;
  readonly gateway: string;
  readonly port: PortName;
}

/** A peer's address this node stands in for (RFC 1027 proxy ARP): clients reach it on `port`, its owner on `toward`. */
export interface ProxiedAddress {
  readonly port: PortName;
  readonly toward: PortName;
  /** The node that serves the address, and this node (for the record route of forwarded packets). */
  readonly owner: string;
  readonly router: string;
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

/** The first port (in port order) that holds `ip`. A plain loop: the cluster checks every served address after every event. */
export function ownerPortOf(state: IpStackState, ip: string): PortName | undefined {
  for (const port in state.ports) if (holds(state.ports[port], ip)) return port;
  return undefined;
}

/** Sends an IP packet from one of our addresses; queues it while the neighbour's MAC is unknown. */
export function sendIp(state: IpStackState, ctx: ActorContext, packet: IpPacket): 'sent' | 'queued' | 'no-route' {
  const port = routeFor(state, packet);
  if (port !== undefined) return transmit(state, ctx, packet, port, packet.dst);
  const route = state.routes?.find((candidate) => inSubnet(packet.dst, candidate.network));
  return route ? transmit(state, ctx, packet, route.port, route.gateway) : 'no-route';
}

/** Sends a packet out of a port to the neighbour `nextHop` (the destination itself, or a gateway). */
function transmit(state: IpStackState, ctx: ActorContext, packet: IpPacket, port: PortName, nextHop: string, askAs = packet.src): 'sent' | 'queued' {
  const neighbour = state.arp[nextHop];
  if (neighbour && neighbour.port === port) {
    sendIpFrame(state, ctx, port, neighbour.mac, packet);
    return 'sent';
  }
  if (state.waiting.length >= ARP_QUEUE_MAX) {
    state.waiting.shift();
    state.dropped += 1;
  }
  const alreadyAsking = state.waiting.some((w) => hopOf(w) === nextHop);
  state.waiting.push(nextHop === packet.dst ? { packet, port, sinceUs: ctx.now } : { packet, port, sinceUs: ctx.now, nextHop });
  if (!alreadyAsking) {
    const netPort = state.ports[port];
    const arp: ArpMessage = { op: 'request', senderMac: netPort.mac, senderIp: askAs, targetMac: BROADCAST_MAC, targetIp: nextHop };
    sendFrame(state, ctx, port, arpFrame(netPort.mac, BROADCAST_MAC, arp));
    ctx.setTimer(ARP_TIMEOUT_US, { kind: ARP_TIMER_KIND, ip: nextHop });
  }
  return 'queued';
}

function hopOf(entry: IpStackState['waiting'][number]): string {
  return entry.nextHop ?? entry.packet.dst;
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
  if (eth.ip && state.proxied) forward(state, ctx, port, eth.ip);
  return [];
}

/**
 * Seed 004 claim 8: this node routes for a peer that lost a subnet. A client's packet for an address it
 * stands in for goes on to the owner over the other subnet; the owner's answer (from that address) goes
 * out of the port that reaches the client. Anything else not ours is dropped, as before.
 */
function forward(state: IpStackState, ctx: ActorContext, arrivedOn: PortName, packet: IpPacket): void {
  const toOwner = state.proxied?.[packet.dst];
  if (toOwner && arrivedOn === toOwner.port) {
    state.forwarded = (state.forwarded ?? 0) + 1;
    transmit(state, ctx, { ...packet, route: [...(packet.route ?? []), toOwner.router] }, toOwner.toward, packet.dst, addressOn(state, toOwner.toward, packet.src));
    return;
  }
  const fromOwner = state.proxied?.[packet.src];
  if (!fromOwner || arrivedOn !== fromOwner.toward) return;
  const out = routeFor(state, packet);
  if (out === undefined || out === arrivedOn) return;
  state.forwarded = (state.forwarded ?? 0) + 1;
  transmit(state, ctx, { ...packet, route: [fromOwner.owner, fromOwner.router] }, out, packet.dst, addressOn(state, out, packet.src));
}

/** An address of ours on a port, to ask ARP questions from when forwarding someone else's packet. */
function addressOn(state: IpStackState, port: PortName, fallback: string): string {
  const first = state.ports[port]?.addresses[0];
  return first === undefined ? fallback : hostOf(first);
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
  // Proxy ARP: a peer's address this node stands in for on this port is answered as ours.
  const ours = holds(netPort, arp.targetIp) || state.proxied?.[arp.targetIp]?.port === port;
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
    const neighbour = state.arp[hopOf(entry)];
    if (neighbour && neighbour.port === entry.port) sendIpFrame(state, ctx, entry.port, neighbour.mac, entry.packet);
    else still.push(entry);
  }
  state.waiting = still;
}

/** An ARP timer: packets still waiting for that address are dropped. Undefined when not ours. */
export function handleArpTimer(state: IpStackState, ctx: ActorContext, payload: Payload): number | undefined {
  if (payload.kind !== ARP_TIMER_KIND) return undefined;
  const ip = payload['ip'];
  const before = state.waiting.length;
  state.waiting = state.waiting.filter((w) => hopOf(w) !== ip || ctx.now - w.sinceUs < ARP_TIMEOUT_US);
  state.dropped += before - state.waiting.length;
  return before - state.waiting.length;
}

/** Forgets what was learned through a port that lost carrier. */
export function handleNetLink(state: IpStackState, port: PortName, up: boolean): void {
  if (up) return;
  for (const [ip, entry] of Object.entries(state.arp)) if (entry.port === port) delete state.arp[ip];
}

/** Sends an IP packet to a neighbour known on `port`; a multi-mode interface group may send it by another member. */
function sendIpFrame(state: IpStackState, ctx: ActorContext, port: PortName, neighbourMac: string, packet: IpPacket): void {
  const out = state.ifgrps === undefined ? port : transmitPort(state, port, packet, neighbourMac);
  sendFrame(state, ctx, out, ipFrame(state.ports[out].mac, neighbourMac, packet));
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
