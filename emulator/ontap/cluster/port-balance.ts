// Spreading a node's addresses over its healthy ports by measured port load (seed 004 claim 13), when
// `options vif.balance.enable on` (the lab's option; off by default, so that a port keeps the addresses
// the lab file homes on it). After each load sample, on each subnet of this node: when its busiest good
// port carries more than PORT_SKEW_MIN req/s over its idlest for PORT_SKEW_SAMPLES samples in a row,
// one address moves from the busiest to the idlest, the one that leaves the two closest, and only if
// the busiest stays at least as loaded as the idlest after the move (hysteresis: the reverse move never
// qualifies, so addresses do not flap). Only addresses of that subnet move; port failover
// (port-failover.ts) handles ports that lose carrier.
import type { ActorContext } from '../../engine/actor.ts';
import type { FilerState } from '../../hardware/filer/subsystem.ts';
import { inSubnet } from '../../hardware/net/address.ts';
import { logEms } from '../ems.ts';
import type { FileServiceState } from '../fileservice/state.ts';
import { moveServedAddress } from '../fileservice/vserver-service.ts';
import { optionValue } from '../options/options.ts';
import { lifOfAddress } from './lifs.ts';
import { goodPorts, portLoad } from './port-failover.ts';
import type { ClusterState } from './types.ts';

export const PORT_SKEW_MIN = 20;
export const PORT_SKEW_SAMPLES = 3;

/** After each load sample: maybe move one address per subnet from its busiest port to its idlest. */
export function balancePorts(cluster: ClusterState, fs: FileServiceState, filer: FilerState, ctx: ActorContext): void {
  if (optionValue(filer, 'vif.balance.enable') !== 'on' || fs.status !== 'serving') return;
  const skew = (cluster.portSkew ??= {});
  const good = goodPorts(cluster, filer, ctx);
  const subnets = [...new Set(filer.config.ethernetPorts.map((eth) => eth.subnet).filter((subnet): subnet is string => subnet !== undefined))].sort();
  for (const subnet of subnets) {
    const ports = filer.config.ethernetPorts.filter((eth) => eth.subnet === subnet && good.includes(eth.port)).map((eth) => eth.port);
    if (ports.length < 2) { skew[subnet] = 0; continue; }
    const load: Record<string, number> = Object.fromEntries(ports.map((port) => [port, portLoad(cluster, fs, port)]));
    const heavy = ports.reduce((a, b) => (load[b] > load[a] ? b : a));
    const light = ports.reduce((a, b) => (load[b] < load[a] ? b : a));
    skew[subnet] = load[heavy] - load[light] > PORT_SKEW_MIN ? (skew[subnet] ?? 0) + 1 : 0;
    if (skew[subnet] < PORT_SKEW_SAMPLES) continue;
    const movable = fs.served.filter((served) => served.port === heavy && inSubnet(served.address, subnet))
      .map((served) => ({ address: served.address, rate: cluster.addressLoad[served.address] ?? 0 }))
      .filter((entry) => entry.rate > 0 && load[heavy] - entry.rate >= load[light] + entry.rate)
      .sort((a, b) => Math.abs(load[heavy] - load[light] - 2 * a.rate) - Math.abs(load[heavy] - load[light] - 2 * b.rate) || (a.address < b.address ? -1 : 1));
    const pick = movable[0];
    const lif = pick ? lifOfAddress(filer.config.labVservers, pick.address) : undefined;
    if (!pick || !lif || !moveServedAddress(fs, filer, ctx, pick.address, lif.cidr, light)) continue;
    skew[subnet] = 0;
    cluster.lifMoves += 1;
    logEms(filer, ctx, 'vif.lif.balanced', 'notice', `${lif.name} moved ${filer.config.name}:${heavy} -> ${filer.config.name}:${light} (port load ${load[heavy]} vs ${load[light]} req/s).`);
  }
}
