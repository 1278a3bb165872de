// Cluster membership and the master (seed 004 claims 5, 17, 32): every node broadcasts a heartbeat on
// each of its Ethernet ports once a second, saying which vservers it serves, its load and the vserver
// moves it made. A node silent for FAILURE_US is failed. The master is the lowest-named node that is
// up as this node sees it (itself included): each node elects it from its own view, so when the master
// fails the next one takes over the role within the failure-detection time, with no extra messages. A
// node that hears fewer than half of the nodes it knows elects none (it is the one cut off).
import type { ActorContext, Payload } from '../../engine/actor.ts';
import type { FilerState } from '../../hardware/filer/subsystem.ts';
import { BROADCAST_MAC } from '../../hardware/net/address.ts';
import { logEms } from '../ems.ts';
import type { ClusterState, SubnetPresence, VserverStorage } from './types.ts';

export const BEAT_US = 1_000_000;
/** Three missed heartbeats and a half: a node powered off is declared failed within 3.5 s. */
export const FAILURE_US = 3_500_000;
export const BEAT_TIMER = 'cluster.beat';

/** What a heartbeat says (the `cluster` field of a broadcast Ethernet frame). */
export interface Heartbeat {
  readonly node: string;
  readonly seq: number;
  readonly serving: readonly string[];
  readonly load: number;
  readonly migrations: Readonly<Record<string, number>>;
  /** The port each served address is up on (for `network interface show` on every node). */
  readonly lifPorts: Readonly<Record<string, string>>;
  /** Seed 004 migration: its HA partner, the shelves it reaches, where its data vservers' storage is. */
  readonly partner?: string | null;
  readonly reach?: readonly string[];
  readonly storage?: Readonly<Record<string, VserverStorage>>;
  /** Seed 004 routing: per subnet it has a good port on, that port and an address of its own there. */
  readonly subnets?: Readonly<Record<string, SubnetPresence>>;
}

export function heartbeatOf(payload: Payload): Heartbeat | undefined {
  const beat = payload['cluster'] as Partial<Heartbeat> | undefined;
  if (!beat || typeof beat !== 'object' || typeof beat.node !== 'string' || typeof beat.seq !== 'number' || !Array.isArray(beat.serving)) return undefined;
  return beat as Heartbeat;
}

/** Sends this node's heartbeat out of every Ethernet port with carrier (a broadcast the switches flood). */
export function sendHeartbeat(cluster: ClusterState, filer: FilerState, ctx: ActorContext, serving: readonly string[], load: number,
  lifPorts: Readonly<Record<string, string>>, reach: readonly string[], storage: Readonly<Record<string, VserverStorage>>,
  subnets: Readonly<Record<string, SubnetPresence>>): void {
  cluster.beatSeq += 1;
  const beat: Heartbeat = {
    node: filer.config.name, seq: cluster.beatSeq, serving: [...serving], load, migrations: { ...cluster.migrations }, lifPorts: { ...lifPorts },
    partner: filer.config.partner ?? null, reach: [...reach], storage: { ...storage }, subnets: { ...subnets },
  };
  for (const eth of filer.config.ethernetPorts) {
    if (ctx.linkUp(eth.port)) ctx.send(eth.port, { kind: 'eth.frame', src: eth.mac, dst: BROADCAST_MAC, cluster: beat });
  }
}

/** A heartbeat arrived: the node is (again) up. */
export function heard(cluster: ClusterState, filer: FilerState, ctx: ActorContext, beat: Heartbeat): void {
  if (beat.node === filer.config.name) return;
  const member = cluster.members[beat.node];
  const returned = member?.state === 'failed';
  const storage = { ...(beat.storage ?? {}) };
  // A claim continues an unbroken run only if the node was up and claimed it in its last heartbeat too.
  const claimedSince = Object.fromEntries(Object.keys(storage).map((vserver) =>
    [vserver, member?.state === 'up' && member.storage[vserver] !== undefined ? member.claimedSince?.[vserver] ?? ctx.now : ctx.now]));
  cluster.members[beat.node] = {
    lastHeardUs: ctx.now, state: 'up', serving: [...beat.serving], load: typeof beat.load === 'number' ? beat.load : 0,
    migrations: { ...(beat.migrations ?? {}) }, lifPorts: { ...(beat.lifPorts ?? {}) },
    partner: beat.partner ?? null, reach: [...(beat.reach ?? [])], storage, claimedSince, subnets: { ...(beat.subnets ?? {}) },
  };
  if (returned) logEms(filer, ctx, 'vsrv.node.up', 'notice', `Cluster: ${beat.node} is up again.`);
  electMaster(cluster, filer, ctx);
}

/** Marks silent nodes failed; returns the nodes that failed just now. */
export function detectFailures(cluster: ClusterState, filer: FilerState, ctx: ActorContext): string[] {
  const failed: string[] = [];
  for (const [node, member] of Object.entries(cluster.members).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (member.state === 'up' && ctx.now - member.lastHeardUs > FAILURE_US) {
      member.state = 'failed';
      failed.push(node);
    }
  }
  if (failed.length > 0) electMaster(cluster, filer, ctx);
  return failed;
}

/**
 * The lowest-named node that is up, this one included, as long as this node hears at least half of the
 * nodes it knows (itself included): a node cut off from the others (every Ethernet cable pulled) sees
 * them all failed, and must not act as a second master, planning failovers for nodes that are serving.
 * A change is logged on the new master's console.
 */
export function electMaster(cluster: ClusterState, filer: FilerState, ctx: ActorContext): void {
  const up = [filer.config.name, ...Object.entries(cluster.members).filter(([, member]) => member.state === 'up').map(([node]) => node)].sort();
  const known = Object.keys(cluster.members).length + 1;
  const master = up.length * 2 >= known ? up[0] : null;
  if (master === cluster.master) return;
  const previous = cluster.master;
  cluster.master = master;
  // A new master sees a skew hold for itself before it moves anything (balance.ts's hysteresis).
  cluster.skewedBeats = 0;
  if (master === filer.config.name) logEms(filer, ctx, 'vsrv.master.elected', 'notice', `Cluster: ${master} is the master${previous ? ` (was ${previous})` : ''}.`);
}
