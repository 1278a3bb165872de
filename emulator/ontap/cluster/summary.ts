// The cluster's part of the run summary. One author per fact: the node that serves a vserver reports its
// lifs and load; the master reports the cluster (`cluster.master`, `cluster.lastFailover`), the vserver
// moves summed over every node's heartbeats, and the no-migrate vservers it keeps down.
import type { FilerState, SummaryFragment } from '../../hardware/filer/subsystem.ts';
import type { FileServiceState } from '../fileservice/state.ts';
import { routeTable } from '../../hardware/net/route-table.ts';
import { lifOfAddress } from './lifs.ts';
import { nodeLoad, vserverLoad } from './load.ts';
import { isDataVserver } from './node-failover.ts';
import { routingFacts } from './subnet-routing.ts';
import type { ClusterState } from './types.ts';

function servedHere(cluster: ClusterState, fs: FileServiceState, filer: FilerState): Record<string, unknown> {
  const vservers: Record<string, Record<string, unknown>> = {};
  for (const served of fs.served) {
    const lif = lifOfAddress(filer.config.labVservers, served.address);
    const config = filer.config.labVservers.find((vserver) => vserver.name === served.vserver);
    const entry = vservers[served.vserver] ??= { priority: config?.priority ?? null, migrate: config?.migrate ?? null, load: vserverLoad(cluster, fs, served.vserver), lifs: { active: 0 } };
    const lifs = entry['lifs'] as Record<string, unknown>;
    // A routed address sits on the peer's port that answers for it (claim 9); here it is a host route.
    lifs[lif?.name ?? served.address] = { port: served.routedVia ?? `${filer.config.name}:${served.port}`, address: served.address, home: lif ? `${lif.homeNode}:${lif.homePort}` : null };
    lifs['active'] = Number(lifs['active']) + 1;
  }
  return vservers;
}

function ports(cluster: ClusterState, fs: FileServiceState, filer: FilerState): Record<string, unknown> {
  return Object.fromEntries(filer.config.ethernetPorts.map((eth) => {
    const here = fs.served.filter((served) => served.port === eth.port);
    const load = Math.round(here.reduce((sum, served) => sum + (cluster.addressLoad[served.address] ?? 0), 0) * 10) / 10;
    return [eth.port, { state: cluster.ports[eth.port]?.state ?? 'up', vips: here.map((served) => lifOfAddress(filer.config.labVservers, served.address)?.name ?? served.address), load }];
  }));
}

/** The master's view: moves summed over all nodes, the last failover, the vservers kept down. */
function masterFacts(cluster: ClusterState, fs: FileServiceState, filer: FilerState): SummaryFragment {
  const moves: Record<string, number> = {};
  for (const counts of [cluster.migrations, ...Object.values(cluster.members).map((member) => member.migrations)]) {
    for (const [vserver, count] of Object.entries(counts)) moves[vserver] = (moves[vserver] ?? 0) + count;
  }
  const servingNow: Record<string, string> = {};
  for (const served of fs.served) servingNow[served.vserver] = filer.config.name;
  for (const [node, member] of Object.entries(cluster.members)) if (member.state === 'up') for (const vserver of member.serving) servingNow[vserver] = node;
  const vservers: Record<string, unknown> = {};
  for (const vserver of filer.config.labVservers.filter(isDataVserver)) vservers[vserver.name] = { migrations: moves[vserver.name] ?? 0 };
  const failover = cluster.lastFailover;
  if (failover) {
    for (const name of failover.keptDown) if (servingNow[name] === undefined) vservers[name] = { migrations: moves[name] ?? 0, node: failover.node, state: 'down' };
  }
  // Data vservers per live node (claims 12, 19): the most less the fewest.
  const counts = [
    new Set(fs.served.map((served) => served.vserver).filter((name) => filer.config.labVservers.some((v) => v.name === name && isDataVserver(v)))).size,
    ...Object.values(cluster.members).filter((member) => member.state === 'up').map((member) => Object.keys(member.storage ?? {}).length),
  ];
  const balance = cluster.lastBalance;
  return {
    vservers,
    cluster: {
      balance: { spread: Math.max(...counts) - Math.min(...counts), counts },
      lastBalance: balance === null ? null : {
        trigger: balance.trigger, atMs: balance.atUs / 1000, plan: balance.plan, moves: balance.moves.map((move) => `${move.vserver}:${move.from}>${move.to}`),
        destinations: [...new Set(balance.moves.map((move) => move.to))].sort(),
      },
      master: filer.config.name,
      members: Object.fromEntries(Object.entries(cluster.members).map(([node, member]) => [node, member.state])),
      lastFailover: failover === null ? null : {
        node: failover.node, atMs: failover.atUs / 1000, order: failover.order, keptDown: failover.keptDown,
        destinations: [...new Set(Object.values(failover.destinations))].sort(), placed: failover.destinations,
      },
    },
  };
}

/** Claim 14: the node that lost a shelf says what it handed over (`filers.<n>.storageFailover`). */
function storageFailoverFact(cluster: ClusterState): SummaryFragment {
  const record = cluster.lastStorageFailover;
  if (!record) return {};
  return { storageFailover: { atMs: record.atUs / 1000, aggregates: record.aggregates, order: record.order, placed: record.destinations, destinations: [...new Set(Object.values(record.destinations))].sort() } };
}

/** Claims 8, 9: who routes for whom, and the routing table as `route -s` prints it (the window's inspector). */
function routingWithTable(cluster: ClusterState, fs: FileServiceState, filer: FilerState): Record<string, unknown> {
  return { ...routingFacts(cluster, fs), table: routeTable(filer.config.ethernetPorts.map((eth) => eth.port), fs.ip) };
}

/** Claims 10, 24, 29, 34: no good port left; where its vservers went, and those that stayed (`filers.<n>.portFailover`). */
function portFailoverFact(cluster: ClusterState): SummaryFragment {
  const record = cluster.lastPortFailover;
  if (!record) return {};
  return { portFailover: { atMs: record.atUs / 1000, order: record.order, placed: record.destinations, destinations: [...new Set(Object.values(record.destinations))].sort(), stranded: record.stranded } };
}

export function summarizeCluster(cluster: ClusterState, fs: FileServiceState | undefined, filer: FilerState): SummaryFragment {
  if (!cluster.active || !cluster.running || !fs) return {};
  const self = filer.config.name;
  const fragment: SummaryFragment = {
    vservers: servedHere(cluster, fs, filer),
    filers: { [self]: { load: nodeLoad(cluster, fs), ports: ports(cluster, fs, filer), master: cluster.master, routing: routingWithTable(cluster, fs, filer), ...storageFailoverFact(cluster), ...portFailoverFact(cluster) } },
    ...(cluster.violations.length > 0 ? { violations: cluster.violations.map((v) => ({ atMs: v.atUs / 1000, actor: filer.self, kind: 'cluster', detail: v.detail })) } : {}),
  };
  if (cluster.master !== self) return fragment;
  const facts = masterFacts(cluster, fs, filer);
  // The master's per-vserver facts merge under those of the nodes that serve them.
  const vservers = facts['vservers'] as Record<string, Record<string, unknown>>;
  const served = fragment['vservers'] as Record<string, Record<string, unknown>>;
  for (const [name, entry] of Object.entries(vservers)) served[name] = { ...entry, ...(served[name] ?? {}) };
  return { ...fragment, cluster: facts['cluster'] };
}
