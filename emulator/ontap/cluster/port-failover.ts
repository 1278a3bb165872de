// Port failover (seed 004 claims 10, 11, 24, 29, 34–40): when an Ethernet port of this node loses its
// carrier, every address on it moves to a good port of the same node — a port on the same subnet first
// (37, 40), then the least loaded by measured request rate (36, 39), addresses taken heaviest first so
// that several of them spread over the good ports. With no good port left, the port is `stranded`: its
// addresses stay on it, down, and their vservers move to another node (claim 10's second branch,
// port-evacuation.ts). Transitions are named; the subsystem checks the invariants after each.
import type { ActorContext } from '../../engine/actor.ts';
import type { FilerState } from '../../hardware/filer/subsystem.ts';
import { inSubnet } from '../../hardware/net/address.ts';
import { logEms } from '../ems.ts';
import type { FileServiceState } from '../fileservice/state.ts';
import { moveServedAddress } from '../fileservice/vserver-service.ts';
import { lifOfAddress } from './lifs.ts';
import type { ClusterState } from './types.ts';

/** The subnet (CIDR) a port of this node is cabled to. */
function subnetOf(filer: FilerState, port: string): string | undefined {
  return filer.config.ethernetPorts.find((eth) => eth.port === port)?.subnet;
}

/** Ports of this node that can carry addresses now: carrier up and not failed. */
export function goodPorts(cluster: ClusterState, filer: FilerState, ctx: ActorContext): string[] {
  return filer.config.ethernetPorts.map((eth) => eth.port).filter((port) => cluster.ports[port]?.state === 'up' && ctx.linkUp(port));
}

/** The measured load of a port: the request rates of the addresses it carries now. */
export function portLoad(cluster: ClusterState, fs: FileServiceState, port: string): number {
  return fs.served.filter((served) => served.port === port).reduce((sum, served) => sum + (cluster.addressLoad[served.address] ?? 0), 0);
}

/**
 * Where an address of a failed port goes: same subnet before other subnets, then the lowest load
 * (counting what this pass already placed), then the fewest addresses, then the port name.
 */
export function choosePort(candidates: readonly string[], sameSubnet: (port: string) => boolean, load: Record<string, number>,
  count: Record<string, number>): string | undefined {
  const ranked = [...candidates].sort((a, b) =>
    Number(!sameSubnet(a)) - Number(!sameSubnet(b)) || (load[a] ?? 0) - (load[b] ?? 0) || (count[a] ?? 0) - (count[b] ?? 0) || (a < b ? -1 : a > b ? 1 : 0));
  return ranked[0];
}

/** up → failed (or stranded): the port lost its carrier; move its addresses to good ports of this node. */
export function transitionToFailedFromUp(cluster: ClusterState, fs: FileServiceState, filer: FilerState, ctx: ActorContext, port: string): void {
  const record = cluster.ports[port];
  if (!record || record.state !== 'up') return;
  const moving = fs.served.filter((served) => served.port === port)
    .sort((a, b) => (cluster.addressLoad[b.address] ?? 0) - (cluster.addressLoad[a.address] ?? 0) || (a.address < b.address ? -1 : 1));
  const candidates = goodPorts(cluster, filer, ctx).filter((candidate) => candidate !== port);
  if (moving.length > 0 && candidates.length === 0) {
    record.state = 'stranded';
    const lifs = moving.map((served) => lifOfAddress(filer.config.labVservers, served.address)?.name ?? served.address);
    logEms(filer, ctx, 'vif.port.noHealthyPort', 'error', `${port} down and no healthy port left on ${filer.config.name}: ${lifs.join(', ')} unreachable.`);
    return;
  }
  record.state = 'failed';
  const failedSubnet = subnetOf(filer, port);
  const load: Record<string, number> = Object.fromEntries(candidates.map((candidate) => [candidate, portLoad(cluster, fs, candidate)]));
  const count: Record<string, number> = Object.fromEntries(candidates.map((candidate) => [candidate, fs.served.filter((served) => served.port === candidate).length]));
  for (const served of moving) {
    const sameSubnet = (candidate: string): boolean => {
      const subnet = subnetOf(filer, candidate);
      return subnet !== undefined && subnet === failedSubnet && inSubnet(served.address, subnet);
    };
    const target = choosePort(candidates, sameSubnet, load, count);
    const lif = lifOfAddress(filer.config.labVservers, served.address);
    if (target === undefined || !lif || !moveServedAddress(fs, filer, ctx, served.address, lif.cidr, target)) continue;
    load[target] = (load[target] ?? 0) + (cluster.addressLoad[served.address] ?? 0);
    count[target] = (count[target] ?? 0) + 1;
    cluster.lifMoves += 1;
    const why = sameSubnet(target) ? 'port down' : 'port down; no good port on its subnet';
    logEms(filer, ctx, 'vif.lif.migrated', 'notice', `${lif.name} moved ${filer.config.name}:${port} -> ${filer.config.name}:${target} (${why}).`);
  }
}

/** failed/stranded → up: carrier is back; the port takes addresses again (moved ones stay where they are). */
export function transitionToUpFromFailed(cluster: ClusterState, filer: FilerState, ctx: ActorContext, port: string): void {
  const record = cluster.ports[port];
  if (!record || record.state === 'up') return;
  record.state = 'up';
  logEms(filer, ctx, 'vif.port.up', 'info', `${filer.config.name}:${port} is up again and can carry addresses.`);
}
