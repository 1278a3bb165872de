// Subnet failure (seed 004 claims 8, 9, 28, 30). A node left with no good port on a subnet it serves
// addresses on (its ports there down, or their cables cut) asks a peer to route for it: a peer that has a
// good port on that subnet and one on a subnet this node still reaches (claim 8's "second node"). The peer
// stands in for those addresses on its port there with proxy ARP, so the address now sits on the peer's
// port (claim 9), and forwards between the clients and this node over the other subnet (claim 8). This
// node keeps each address as a host route (/32) on its port toward the peer, so it still answers for it,
// and sends the answers to the clients through the peer (a static route). The vserver does not move.
// When a port on the lost subnet is good again, the addresses go back to it and the peer stops.
// The request is repeated with every heartbeat and lapses after FAILURE_US without one: a requester that
// stops or recovers leaves no stand-in behind. Claims.md N23: with no peer able to route, the addresses
// stay where port failover put them (claim 11).
import type { ActorContext, Payload } from '../../engine/actor.ts';
import type { FilerState } from '../../hardware/filer/subsystem.ts';
import { BROADCAST_MAC, hostOf, inSubnet } from '../../hardware/net/address.ts';
import { announce, type IpStackState } from '../../hardware/net/ethernet.ts';
import { logEms } from '../ems.ts';
import type { FileServiceState, ServedAddress } from '../fileservice/state.ts';
import { moveServedAddress } from '../fileservice/vserver-service.ts';
import { lifOfAddress } from './lifs.ts';
import { FAILURE_US } from './membership.ts';
import { goodPorts } from './port-failover.ts';
import type { ClusterState, RoutingState, SubnetPresence } from './types.ts';

/** A routing request (the `clusterRoute` field of a broadcast frame); no addresses: stop. */
export interface RouteRequest {
  readonly sender: string;
  readonly router: string;
  /** The subnet the sender lost, and the one it reaches the router over. */
  readonly subnet: string;
  readonly over: string;
  readonly addresses: readonly string[];
}

export function routeRequestOf(payload: Payload): RouteRequest | undefined {
  const request = payload['clusterRoute'] as Partial<RouteRequest> | undefined;
  if (!request || typeof request !== 'object' || typeof request.sender !== 'string' || typeof request.router !== 'string' || !Array.isArray(request.addresses)) return undefined;
  return request as RouteRequest;
}

function routingOf(cluster: ClusterState): RoutingState {
  return (cluster.routing ??= { via: {}, for: {} });
}

/** The subnets this node has a good port on, each with that port and an address of its own there (none: left out). */
export function subnetPresence(cluster: ClusterState, fs: FileServiceState, filer: FilerState, ctx: ActorContext): Record<string, SubnetPresence> {
  const good = goodPorts(cluster, filer, ctx);
  const presence: Record<string, SubnetPresence> = {};
  for (const eth of filer.config.ethernetPorts) {
    if (eth.subnet === undefined || presence[eth.subnet] || !good.includes(eth.port)) continue;
    const address = fs.ip.ports[eth.port]?.addresses.find((cidr) => !cidr.endsWith('/32') && inSubnet(cidr, eth.subnet ?? ''));
    if (address !== undefined) presence[eth.subnet] = { port: eth.port, address: hostOf(address) };
  }
  return presence;
}

/** The subnets this node has a good port on, with the first such port (addresses or not). */
function reachedSubnets(cluster: ClusterState, filer: FilerState, ctx: ActorContext): Record<string, string> {
  const good = goodPorts(cluster, filer, ctx);
  const reached: Record<string, string> = {};
  for (const eth of filer.config.ethernetPorts) if (eth.subnet !== undefined && reached[eth.subnet] === undefined && good.includes(eth.port)) reached[eth.subnet] = eth.port;
  return reached;
}

function subnetOfAddress(filer: FilerState, address: string): string | undefined {
  return filer.config.ethernetPorts.find((eth) => eth.subnet !== undefined && inSubnet(address, eth.subnet))?.subnet;
}

function lifName(filer: FilerState, address: string): string {
  return lifOfAddress(filer.config.labVservers, address)?.name ?? address;
}

function sendRequest(filer: FilerState, ctx: ActorContext, port: string, request: RouteRequest): void {
  const mac = filer.config.ethernetPorts.find((eth) => eth.port === port)?.mac;
  if (mac !== undefined && ctx.linkUp(port)) ctx.send(port, { kind: 'eth.frame', src: mac, dst: BROADCAST_MAC, clusterRoute: request });
}

/**
 * Once a heartbeat, on every node: route around the subnets this node lost (the requester's side), bring
 * addresses home when a subnet comes back, and drop stand-ins for peers whose requests lapsed.
 */
export function routeLostSubnets(cluster: ClusterState, fs: FileServiceState, filer: FilerState, ctx: ActorContext): void {
  const routing = routingOf(cluster);
  const reached = reachedSubnets(cluster, filer, ctx);
  const mine = subnetPresence(cluster, fs, filer, ctx);
  const lost: Record<string, ServedAddress[]> = {};
  for (const served of fs.served) {
    const subnet = subnetOfAddress(filer, served.address);
    if (subnet !== undefined && reached[subnet] === undefined) (lost[subnet] ??= []).push(served);
  }
  for (const subnet of Object.keys(lost).sort()) routeThroughPeer(cluster, routing, fs, filer, ctx, subnet, lost[subnet], mine);
  for (const subnet of Object.keys(routing.via).sort()) if (lost[subnet] === undefined) stopRoutingVia(routing, fs, filer, ctx, subnet, reached[subnet]);
  for (const [node, entry] of Object.entries(routing.for)) {
    if (entry.untilUs < ctx.now || cluster.members[node]?.state === 'failed') stopStandingIn(routing, fs, filer, ctx, node, 'no request');
  }
}

/** The requester: pick the router (the one already used while it qualifies, else the lowest-named) and route through it. */
function routeThroughPeer(cluster: ClusterState, routing: RoutingState, fs: FileServiceState, filer: FilerState, ctx: ActorContext,
  subnet: string, addresses: readonly ServedAddress[], mine: Record<string, SubnetPresence>): void {
  const qualifies = (node: string): string | undefined => {
    const member = cluster.members[node];
    if (member?.state !== 'up' || member.subnets?.[subnet] === undefined) return undefined;
    return Object.keys(mine).sort().find((over) => member.subnets?.[over] !== undefined);
  };
  const current = routing.via[subnet];
  const router = current && qualifies(current.router) ? current.router : Object.keys(cluster.members).sort().find((node) => qualifies(node) !== undefined);
  if (router === undefined) {
    // No peer can route: the addresses stay where port failover put them (claim 11).
    if (current) stopRoutingVia(routing, fs, filer, ctx, subnet, undefined);
    return;
  }
  const over = qualifies(router) ?? '';
  const peer = cluster.members[router].subnets ?? {};
  const gateway = peer[over].address;
  const port = mine[over].port;
  const at = `${router}:${peer[subnet].port}`;
  for (const served of addresses) {
    moveServedAddress(fs, filer, ctx, served.address, `${served.address}/32`, port);
    const index = fs.served.findIndex((candidate) => candidate.address === served.address);
    if (index >= 0 && fs.served[index].port === port) fs.served[index] = { ...fs.served[index], routedVia: at };
  }
  setRoute(fs.ip, { network: subnet, gateway, port });
  if (current?.router !== router) {
    logEms(filer, ctx, 'net.route.via', 'notice',
      `${filer.config.name} has no good port on ${subnet}: ${addresses.map((served) => lifName(filer, served.address)).join(', ')} reached through ${router} (${gateway} on ${port}).`);
  }
  routing.via[subnet] = { router, gateway, port };
  sendRequest(filer, ctx, port, { sender: filer.config.name, router, subnet, over, addresses: addresses.map((served) => served.address) });
}

/** The requester: the subnet is back (or no peer can route): addresses home, route and stand-in gone. */
function stopRoutingVia(routing: RoutingState, fs: FileServiceState, filer: FilerState, ctx: ActorContext, subnet: string, homePort: string | undefined): void {
  const via = routing.via[subnet];
  delete routing.via[subnet];
  fs.ip.routes = (fs.ip.routes ?? []).filter((route) => route.network !== subnet);
  const back: string[] = [];
  for (const served of fs.served.filter((candidate) => candidate.routedVia !== undefined && inSubnet(candidate.address, subnet))) {
    const lif = lifOfAddress(filer.config.labVservers, served.address);
    const index = fs.served.findIndex((candidate) => candidate.address === served.address);
    fs.served[index] = { ...fs.served[index], routedVia: undefined };
    if (homePort !== undefined && lif && moveServedAddress(fs, filer, ctx, served.address, lif.cidr, homePort)) back.push(lif.name);
  }
  if (!via) return;
  sendRequest(filer, ctx, via.port, { sender: filer.config.name, router: via.router, subnet, over: '', addresses: [] });
  logEms(filer, ctx, 'net.route.restored', 'notice', homePort === undefined
    ? `${via.router} no longer routes ${subnet} for ${filer.config.name}.`
    : `${filer.config.name}:${homePort} reaches ${subnet} again: ${back.join(', ') || 'no address'} back on it; ${via.router} stops routing.`);
}

function setRoute(ip: IpStackState, route: { network: string; gateway: string; port: string }): void {
  ip.routes = [...(ip.routes ?? []).filter((existing) => existing.network !== route.network), route];
}

/** The router: a peer asks it to stand in for its addresses on `subnet` (or to stop: no addresses). */
export function routeRequested(cluster: ClusterState, fs: FileServiceState, filer: FilerState, ctx: ActorContext, request: RouteRequest): void {
  const self = filer.config.name;
  if (request.router !== self || request.sender === self) return;
  const routing = routingOf(cluster);
  const mine = subnetPresence(cluster, fs, filer, ctx);
  const on = mine[request.subnet];
  const toward = mine[request.over];
  if (request.addresses.length === 0 || !on || !toward) {
    // Asked to stop, or it cannot route any more: the requester sees that in the heartbeats and picks another.
    if (routing.for[request.sender]) stopStandingIn(routing, fs, filer, ctx, request.sender, request.addresses.length === 0 ? 'stopped' : `no good port on ${request.subnet}`);
    return;
  }
  const proxied = (fs.ip.proxied ??= {});
  const served = new Set(fs.served.map((entry) => entry.address));
  for (const [address, entry] of Object.entries(proxied)) if (entry.owner === request.sender && !request.addresses.includes(address)) delete proxied[address];
  for (const address of request.addresses) {
    if (served.has(address) || typeof address !== 'string') continue;
    const entry = proxied[address];
    if (entry && entry.port === on.port && entry.toward === toward.port && entry.owner === request.sender) continue;
    proxied[address] = { port: on.port, toward: toward.port, owner: request.sender, router: self };
    // A gratuitous ARP: the clients' caches follow the address to this port.
    announce(fs.ip, ctx, on.port, address);
  }
  const before = routing.for[request.sender];
  routing.for[request.sender] = { subnet: request.subnet, addresses: [...request.addresses], untilUs: ctx.now + FAILURE_US };
  if (!before) logEms(filer, ctx, 'net.route.proxy', 'notice', `routing ${request.subnet} traffic for ${request.sender} via ${toward.port}.`);
}

function stopStandingIn(routing: RoutingState, fs: FileServiceState, filer: FilerState, ctx: ActorContext, node: string, why: string): void {
  delete routing.for[node];
  const proxied = fs.ip.proxied ?? {};
  for (const [address, entry] of Object.entries(proxied)) if (entry.owner === node) delete proxied[address];
  logEms(filer, ctx, 'net.route.proxy', 'notice', `no longer routing for ${node} (${why}).`);
}

/** An address this node serves itself (a takeover brought it here) is no longer stood in for. */
export function dropStandInsServedHere(fs: FileServiceState): void {
  const proxied = fs.ip.proxied;
  if (!proxied) return;
  for (const served of fs.served) delete proxied[served.address];
}

/** The summary's `filers.<n>.routing`: the subnets lost and the peers routing them, the nodes routed for, packets forwarded. */
export function routingFacts(cluster: ClusterState, fs: FileServiceState): Record<string, unknown> {
  const routing = cluster.routing ?? { via: {}, for: {} };
  return {
    lostSubnets: Object.keys(routing.via).sort(),
    via: [...new Set(Object.values(routing.via).map((via) => via.router))].sort(),
    for: Object.keys(routing.for).sort(),
    standingIn: Object.keys(fs.ip.proxied ?? {}).sort(),
    forwarded: fs.ip.forwarded ?? 0,
  };
}
