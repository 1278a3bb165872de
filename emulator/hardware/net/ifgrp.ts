// Interface groups (7-Mode's `ifgrp`, once `vif`): several Ethernet ports of one IP stack that carry
// one interface's addresses. The group's addresses sit on one member, its carrier, which answers ARP
// and receives; a single-mode group sends on the carrier only and keeps the others standing by, a
// multi-mode (or LACP) group spreads what it sends over every member whose link is up, by its balance
// policy. When the carrier loses its link the addresses move to another member with a gratuitous ARP,
// so the switch and the neighbours' caches follow at once.
//
// Lab differences, on purpose: each member keeps its own MAC (the product gives the group the first
// member's), so a move is announced by ARP rather than learned by the switch from the same MAC on a
// new port; a multi-mode group receives on its carrier only (the product's switch spreads what it
// sends to the group); LACP negotiates nothing (its members count as aggregated while their link is up).
import type { ActorContext, Micros, PortName } from '../../engine/actor.ts';
import { hostOf, parseIp } from './address.ts';
import { addAddress, removeAddress, type IpPacket, type IpStackState } from './ethernet.ts';

export const IFGRP_MODES = ['single', 'multi', 'lacp'] as const;
export type IfgrpMode = (typeof IFGRP_MODES)[number];
export const IFGRP_BALANCES = ['rr', 'mac', 'ip', 'port'] as const;
/** How a multi-mode group picks the member a packet leaves by: round robin, or a hash of MACs, IPs, or IPs and protocol. */
export type IfgrpBalance = (typeof IFGRP_BALANCES)[number];

export interface IfgrpMember {
  up: boolean;
  /** When the member's link last changed (or the member joined). */
  sinceUs: Micros;
  upIndications: number;
  brokenIndications: number;
}

export interface Ifgrp {
  readonly name: string;
  readonly mode: IfgrpMode;
  readonly balance: IfgrpBalance;
  /** In the order given; the first one up carries the addresses unless a favored one is up. */
  members: PortName[];
  memberState: Record<PortName, IfgrpMember>;
  /** `ifgrp favor`: the member a single-mode group prefers to carry its addresses. */
  favored: PortName | null;
  /** `ifconfig <ifgrp> up|down`; a new group is down until it is configured. */
  adminUp: boolean;
  /** `ifconfig <ifgrp> <address>`: with prefix, `10.1.1.50/24`. */
  addresses: string[];
  /** The member holding the addresses now; null while the group is down or no member has a link. */
  carrier: PortName | null;
  /** The member the next packet leaves by under round robin. */
  nextRoundRobin: number;
}

/** A change of carrier, for the OS to log and to move its served addresses after. */
export interface CarrierChange {
  readonly group: string;
  readonly from: PortName | null;
  readonly to: PortName | null;
}

export function ifgrpsOf(state: IpStackState): Record<string, Ifgrp> {
  return (state.ifgrps ??= {});
}

/** The group a port belongs to, if any. */
export function groupOfMember(state: IpStackState, port: PortName): Ifgrp | undefined {
  if (state.ifgrps === undefined) return undefined;
  for (const name in state.ifgrps) if (state.ifgrps[name].members.includes(port)) return state.ifgrps[name];
  return undefined;
}

export function createIfgrp(state: IpStackState, ctx: ActorContext, name: string, mode: IfgrpMode, balance: IfgrpBalance, members: readonly PortName[]): Ifgrp {
  const group: Ifgrp = {
    name, mode, balance, members: [], memberState: {}, favored: null, adminUp: false, addresses: [], carrier: null, nextRoundRobin: 0,
  };
  ifgrpsOf(state)[name] = group;
  addMembers(group, ctx, members);
  return group;
}

export function addMembers(group: Ifgrp, ctx: ActorContext, ports: readonly PortName[]): void {
  for (const port of ports) {
    if (group.members.includes(port)) continue;
    group.members.push(port);
    const up = ctx.linkUp(port);
    group.memberState[port] = { up, sinceUs: ctx.now, upIndications: up ? 1 : 0, brokenIndications: 0 };
  }
}

/** Takes a member out (the group is down: the caller checked). */
export function removeMember(group: Ifgrp, port: PortName): void {
  group.members = group.members.filter((member) => member !== port);
  delete group.memberState[port];
  if (group.favored === port) group.favored = null;
}

/** The member that should carry the addresses: the current one while it is up, else the favored, else the first up. */
function chooseCarrier(group: Ifgrp): PortName | null {
  if (!group.adminUp) return null;
  const up = group.members.filter((port) => group.memberState[port]?.up === true);
  if (group.mode === 'single' && group.favored !== null && up.includes(group.favored)) return group.favored;
  if (group.carrier !== null && up.includes(group.carrier)) return group.carrier;
  return up[0] ?? null;
}

/**
 * Puts the addresses where the carrier now is (a gratuitous ARP each from the new carrier), or takes
 * them down when there is none. Returns the change, or null when the carrier stayed.
 */
export function settleCarrier(state: IpStackState, ctx: ActorContext, group: Ifgrp): CarrierChange | null {
  const from = group.carrier;
  const to = chooseCarrier(group);
  group.carrier = to;
  if (to !== null) {
    for (const cidr of group.addresses) {
      if (from !== to || !state.ports[to].addresses.includes(cidr)) addAddress(state, ctx, to, cidr);
    }
  } else {
    for (const cidr of group.addresses) removeAddress(state, hostOf(cidr));
  }
  return from === to ? null : { group: group.name, from, to };
}

/** A member's link changed: counts it, and moves the addresses when the carrier has to change. */
export function memberLinkChanged(state: IpStackState, ctx: ActorContext, port: PortName, up: boolean): CarrierChange | null {
  const group = groupOfMember(state, port);
  const member = group?.memberState[port];
  if (!group || !member || member.up === up) return null;
  member.up = up;
  member.sinceUs = ctx.now;
  if (up) member.upIndications += 1;
  else member.brokenIndications += 1;
  return settleCarrier(state, ctx, group);
}

/**
 * The port a packet leaves by when the stack routed it to `port`: the port itself, unless it carries a
 * multi-mode group, whose balance policy picks among the members that are up.
 */
export function transmitPort(state: IpStackState, port: PortName, packet: IpPacket, neighbourMac: string): PortName {
  if (state.ifgrps === undefined) return port;
  const group = groupOfMember(state, port);
  if (!group || group.mode === 'single' || group.carrier !== port) return port;
  const up = group.members.filter((member) => group.memberState[member]?.up === true);
  if (up.length < 2) return port;
  if (group.balance === 'rr') {
    const chosen = up[group.nextRoundRobin % up.length];
    group.nextRoundRobin = (group.nextRoundRobin + 1) % up.length;
    return chosen;
  }
  return up[balanceHash(group.balance, state.ports[port].mac, neighbourMac, packet) % up.length];
}

function balanceHash(balance: Exclude<IfgrpBalance, 'rr'>, ownMac: string, neighbourMac: string, packet: IpPacket): number {
  if (balance === 'mac') return (lastByte(ownMac) ^ lastByte(neighbourMac)) >>> 0;
  const ips = ((parseIp(packet.src) ?? 0) ^ (parseIp(packet.dst) ?? 0)) & 0xff;
  // The lab's packets carry no TCP/UDP ports: `port` hashes the protocol's name in their place.
  if (balance === 'ip') return ips;
  let protocol = 0;
  for (let index = 0; index < packet.protocol.length; index += 1) protocol = (protocol + packet.protocol.charCodeAt(index)) & 0xff;
  return ips ^ protocol;
}

function lastByte(mac: string): number {
  return parseInt(mac.slice(-2), 16) || 0;
}
