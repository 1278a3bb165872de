// The cluster invariants, checked after every step on this node (what one node can see of them):
//  - one owner per virtual IP: each served address is up on exactly the port the file service records;
//  - no-migrate respected: no no-migrate data vserver is served away from its home;
//  - priority order: the last failover's order never puts a lower priority before a higher one;
//  - one owner per vserver (so per aggregate, migration moving one aggregate with its vserver): on the
//    master, no two live nodes serve the same data vserver (its own view and the heartbeats).
// Two nodes serving one address at the same virtual time is a lab-wide check (the simulation checkers).
import type { ActorContext } from '../../engine/actor.ts';
import type { FilerState } from '../../hardware/filer/subsystem.ts';
import { ownerPortOf } from '../../hardware/net/ethernet.ts';
import type { FileServiceState } from '../fileservice/state.ts';
import { isDataVserver } from './node-failover.ts';
import type { ClusterState } from './types.ts';

const VIOLATIONS_MAX = 32;

function violation(cluster: ClusterState, ctx: ActorContext, detail: string): void {
  if (cluster.violations.length >= VIOLATIONS_MAX || cluster.violations.some((seen) => seen.detail === detail)) return;
  cluster.violations.push({ atUs: ctx.now, detail });
}

export function checkClusterInvariants(cluster: ClusterState, fs: FileServiceState, filer: FilerState, ctx: ActorContext): void {
  const self = filer.config.name;
  for (const served of fs.served) {
    const port = ownerPortOf(fs.ip, served.address);
    if (port !== served.port) violation(cluster, ctx, `${self}: ${served.address} is served on ${served.port} but up on ${port ?? 'no port'}`);
  }
  const addresses = fs.served.map((served) => served.address);
  if (new Set(addresses).size !== addresses.length) violation(cluster, ctx, `${self}: one address served twice`);
  for (const vserver of filer.config.labVservers) {
    if (vserver.home === self || vserver.migrate || !isDataVserver(vserver)) continue;
    // The step that found it away releases it before the check runs: seeing it here is a bug.
    if (fs.served.some((served) => served.vserver === vserver.name)) violation(cluster, ctx, `${self} serves no-migrate ${vserver.name} away from ${vserver.home}`);
  }
  if (cluster.master === self) {
    const holders: Record<string, string> = {};
    for (const served of fs.served) holders[served.vserver] = self;
    for (const [node, member] of Object.entries(cluster.members)) {
      if (member.state !== 'up') continue;
      for (const vserver of Object.keys(member.storage ?? {})) {
        if (holders[vserver] !== undefined && holders[vserver] !== node) violation(cluster, ctx, `${vserver} served by both ${holders[vserver]} and ${node}`);
        holders[vserver] = node;
      }
    }
  }
  const order = cluster.lastFailover?.order.split('>').filter((name) => name !== '') ?? [];
  const priorities = order.map((name) => filer.config.labVservers.find((vserver) => vserver.name === name)?.priority ?? 0);
  if (priorities.some((priority, index) => index > 0 && priority < priorities[index - 1])) violation(cluster, ctx, `failover order ${order.join('>')} breaks priority order`);
}
