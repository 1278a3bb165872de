// The cluster as a filer subsystem (slot 'cluster', seed 004). Active in labs with more than one HA
// pair; in a lab of one pair it creates its slot and does nothing else. Once the OS is up it sends
// heartbeats, detects failed nodes and elects the master (membership.ts), measures the load of each
// served address (load.ts), moves a failed port's addresses to good ports of this node
// (port-failover.ts) or, with no good port left, their vservers to other nodes (port-evacuation.ts),
// routes for a peer that lost a subnet (subnet-routing.ts), keeps no-migrate vservers at home, serves
// what had moved in to a partner it took over (takeover-moved-in.ts) and, on the master, records node
// failures (node-failover.ts). The invariants are checked after every event (invariants.ts).
import type { ActorContext, ActorEvent, ActorId } from '../../engine/actor.ts';
import type { FilerConfig } from '../../hardware/filer/chassis.ts';
import { subsystemState, type FilerLifecycle, type FilerState, type FilerSubsystem } from '../../hardware/filer/subsystem.ts';
import { FILESERVICE_SUBSYSTEM } from '../fileservice/fileservice-subsystem.ts';
import type { FileServiceState } from '../fileservice/state.ts';
import { balanceOnMaster } from './balance.ts';
import { moveArrived, moveMessageOf, progressMoves, reachableShelves, RELAY_KIND, relayMove, vserverStorage } from './migration.ts';
import { checkClusterInvariants } from './invariants.ts';
import { LOAD_SAMPLE_US, nodeLoad, SAMPLE_TIMER, sampleLoad } from './load.ts';
import { BEAT_TIMER, BEAT_US, detectFailures, electMaster, heard, heartbeatOf, sendHeartbeat } from './membership.ts';
import { countArrivals, keepNoMigrateDown, recordFailover } from './node-failover.ts';
import { balancePorts } from './port-balance.ts';
import { evacuateStrandedVservers, portFailoverEnded } from './port-evacuation.ts';
import { transitionToFailedFromUp, transitionToUpFromFailed } from './port-failover.ts';
import { failStorageOver } from './storage-failover.ts';
import { dropStandInsServedHere, routeLostSubnets, routeRequested, routeRequestOf, subnetPresence } from './subnet-routing.ts';
import { summarizeCluster } from './summary.ts';
import { takeOverMovedIn } from './takeover-moved-in.ts';
import type { ClusterState } from './types.ts';

export const CLUSTER_SUBSYSTEM = 'cluster';

/** More than one HA pair: some vserver's home is neither this node nor its partner. */
function clusterLab(config: FilerConfig): boolean {
  return config.labVservers.some((vserver) => vserver.home !== config.name && vserver.home !== config.partner);
}

export function createClusterState(config: FilerConfig): ClusterState {
  return {
    active: clusterLab(config), running: false, bootUs: -1, beatSeq: 0, members: {}, master: null,
    ports: Object.fromEntries(config.ethernetPorts.map((eth) => [eth.port, { state: 'up' as const }])),
    lastCounts: {}, lastSampleUs: 0, addressLoad: {}, lifMoves: 0, servingAway: [], migrations: {}, lastFailover: null, violations: [], servingSince: {},
    moveSeq: 0, seenMoves: [], outgoing: {}, incoming: {}, pending: {}, lastBalance: null, skewedBeats: 0, lastBalanceUs: 0,
  };
}

export function fileServiceOf(filer: FilerState): FileServiceState | undefined {
  return subsystemState<FileServiceState>(filer, FILESERVICE_SUBSYSTEM);
}

export const clusterSubsystem: FilerSubsystem<ClusterState> = {
  name: CLUSTER_SUBSYSTEM,
  create: (config: FilerConfig, _self: ActorId) => createClusterState(config),
  handle: (cluster, filer, event, ctx) => (cluster.active ? handleClusterEvent(cluster, filer, event, ctx) : false),
  lifecycle: (cluster, filer, phase, ctx) => (cluster.active ? clusterLifecycle(cluster, filer, phase, ctx) : cluster),
  afterEvent: (cluster, filer, ctx) => { if (cluster.active && cluster.running) afterClusterEvent(cluster, filer, ctx); },
  summarize: (cluster, filer) => summarizeCluster(cluster, fileServiceOf(filer), filer),
};

function clusterLifecycle(cluster: ClusterState, filer: FilerState, phase: FilerLifecycle, ctx: ActorContext): ClusterState {
  switch (phase) {
    case 'os-boot': {
      // A fresh view: the other nodes are learned from their heartbeats; this node counts as master
      // until it hears a lower-named one. Moves made before the stop are remembered.
      const fresh = createClusterState(filer.config);
      fresh.running = true;
      fresh.bootUs = ctx.now;
      fresh.migrations = cluster.migrations;
      fresh.lastSampleUs = ctx.now;
      fresh.lastCounts = { ...(fileServiceOf(filer)?.counters.byAddress ?? {}) };
      for (const eth of filer.config.ethernetPorts) if (!ctx.linkUp(eth.port)) fresh.ports[eth.port].state = 'failed';
      electMaster(fresh, filer, ctx);
      ctx.setTimer(BEAT_US, { kind: BEAT_TIMER, boot: ctx.now });
      ctx.setTimer(LOAD_SAMPLE_US, { kind: SAMPLE_TIMER, boot: ctx.now });
      return fresh;
    }
    case 'os-halt':
    case 'power-off':
    case 'panic':
      return { ...createClusterState(filer.config), migrations: cluster.migrations };
    default:
      return cluster;
  }
}

function handleClusterEvent(cluster: ClusterState, filer: FilerState, event: ActorEvent, ctx: ActorContext): boolean {
  const fs = fileServiceOf(filer);
  switch (event.type) {
    case 'message': {
      if (event.payload.kind === RELAY_KIND && filer.config.interconnectPorts.includes(event.port)) {
        if (cluster.running && fs) relayMove(cluster, fs, filer, ctx, event.payload);
        return true;
      }
      if (event.payload.kind !== 'eth.frame') return false;
      const move = moveMessageOf(event.payload);
      if (move) {
        if (cluster.running && fs && move.sender !== filer.config.name) moveArrived(cluster, fs, filer, ctx, move);
        return true;
      }
      const route = routeRequestOf(event.payload);
      if (route) {
        if (cluster.running && fs) routeRequested(cluster, fs, filer, ctx, route);
        return true;
      }
      const beat = heartbeatOf(event.payload);
      if (!beat) return false;
      if (cluster.running) heard(cluster, filer, ctx, beat);
      return true;
    }
    case 'timer': {
      const kind = event.payload.kind;
      if (kind !== BEAT_TIMER && kind !== SAMPLE_TIMER) return false;
      // A timer from before a stop or an earlier boot is stale.
      if (!cluster.running || event.payload['boot'] !== cluster.bootUs || !fs) return true;
      if (kind === SAMPLE_TIMER) {
        sampleLoad(cluster, fs, ctx.now);
        balancePorts(cluster, fs, filer, ctx);
        ctx.setTimer(LOAD_SAMPLE_US, event.payload);
        return true;
      }
      beat(cluster, filer, fs, ctx);
      ctx.setTimer(BEAT_US, event.payload);
      return true;
    }
    case 'link': {
      if (!cluster.running || !fs || !cluster.ports[event.port]) return false;
      if (event.up) { transitionToUpFromFailed(cluster, filer, ctx, event.port); portFailoverEnded(cluster, ctx.now); }
      else transitionToFailedFromUp(cluster, fs, filer, ctx, event.port);
      return false;
    }
    default:
      return false;
  }
}

/** Once a second: tell the others, notice who went silent, and (on the master) record a failure. */
function beat(cluster: ClusterState, filer: FilerState, fs: FileServiceState, ctx: ActorContext): void {
  const serving = fs.status === 'serving' ? [...new Set(fs.served.map((served) => served.vserver))].sort() : [];
  const lifPorts = Object.fromEntries(fs.served.map((served) => [served.address, served.routedVia ?? served.port]));
  sendHeartbeat(cluster, filer, ctx, serving, nodeLoad(cluster, fs), lifPorts, reachableShelves(filer, ctx), vserverStorage(cluster, fs, filer),
    subnetPresence(cluster, fs, filer, ctx));
  for (const node of detectFailures(cluster, filer, ctx)) {
    if (cluster.master === filer.config.name) recordFailover(cluster, filer, ctx, node);
  }
  if (fs.status === 'serving') routeLostSubnets(cluster, fs, filer, ctx);
  if (cluster.master === filer.config.name && fs.status === 'serving') balanceOnMaster(cluster, fs, filer, ctx);
}

function afterClusterEvent(cluster: ClusterState, filer: FilerState, ctx: ActorContext): void {
  const fs = fileServiceOf(filer);
  if (!fs) return;
  keepNoMigrateDown(fs, filer, ctx);
  failStorageOver(cluster, fs, filer, ctx);
  evacuateStrandedVservers(cluster, fs, filer, ctx);
  takeOverMovedIn(cluster, fs, filer, ctx);
  progressMoves(cluster, fs, filer, ctx);
  countArrivals(cluster, fs, filer);
  dropStandInsServedHere(fs);
  placeDestinations(cluster, fs, filer);
  checkClusterInvariants(cluster, fs, filer, ctx);
}

/** The master fills in where the failed node's vservers came up, from the heartbeats and itself. */
function placeDestinations(cluster: ClusterState, fs: FileServiceState, filer: FilerState): void {
  const failover = cluster.lastFailover;
  if (!failover || cluster.master !== filer.config.name) return;
  for (const vserver of failover.order.split('>')) {
    if (vserver === '' || failover.destinations[vserver] !== undefined) continue;
    if (fs.served.some((served) => served.vserver === vserver)) { failover.destinations[vserver] = filer.config.name; continue; }
    const holder = Object.entries(cluster.members).find(([node, member]) => member.state === 'up' && node !== failover.node && member.serving.includes(vserver));
    if (holder) failover.destinations[vserver] = holder[0];
  }
}
