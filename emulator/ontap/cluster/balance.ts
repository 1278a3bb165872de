// Load balancing by the master (seed 004 claims 12, 15–20, 31–33). Once a beat the master builds the
// cluster's placement from its own file service and the heartbeats: which live node serves each data
// vserver, that vserver's load and storage, and the shelves each node reaches. Failed nodes are not in
// it. A vserver may go to a live node that reaches its aggregate's shelves (migration.ts moves it).
//  - failover (claim 19): once a failed node's vservers are all served again (by its HA partner, the
//    only node holding its NVRAM log), they are spread in priority order: each goes to the node that
//    took the fewest of them, the one serving it now winning ties; so no node takes them all.
//  - load (claims 12, 20, 31): when the busiest node's load exceeds the idlest's by more than
//    SKEW_MIN req/s and LOAD_RATIO times for SKEW_BEATS beats in a row, the master moves vservers from
//    heavy to light nodes, each move chosen to lower the sum of squared node loads the most (a balanced
//    distribution over the live nodes), at most MOVES_PER_PASS per pass, then waits COOLDOWN_US; a move
//    must leave its source above its destination (hysteresis: nothing flaps back).
// The plan is logged on the master's console only (`[lb.plan:notice]`).
import type { ActorContext } from '../../engine/actor.ts';
import type { FilerState } from '../../hardware/filer/subsystem.ts';
import { logEms } from '../ems.ts';
import type { FileServiceState } from '../fileservice/state.ts';
import { nodeLoad } from './load.ts';
import { MOVE_TIMEOUT_US, reachableShelves, sendMove, vserverStorage } from './migration.ts';
import type { ClusterState, VserverStorage } from './types.ts';

export const SKEW_MIN = 20;
export const LOAD_RATIO = 2;
export const SKEW_BEATS = 10;
export const COOLDOWN_US = 60_000_000;
export const MOVES_PER_PASS = 2;

interface NodeView { name: string; partner: string | null; reach: string[]; load: number; vservers: string[]; servesAny: boolean }
interface ClusterView { nodes: Record<string, NodeView>; holder: Record<string, string>; storage: Record<string, VserverStorage>; homes: Record<string, string> }

export function clusterView(cluster: ClusterState, fs: FileServiceState, filer: FilerState, ctx: ActorContext): ClusterView {
  const self = filer.config.name;
  const own = vserverStorage(cluster, fs, filer);
  const nodes: Record<string, NodeView> = {
    [self]: { name: self, partner: filer.config.partner ?? null, reach: reachableShelves(filer, ctx), load: nodeLoad(cluster, fs), vservers: Object.keys(own).sort(), servesAny: fs.served.length > 0 },
  };
  const storage: Record<string, VserverStorage> = { ...own };
  for (const [name, member] of Object.entries(cluster.members).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (member.state !== 'up') continue;
    const data = Object.keys(member.storage ?? {}).sort();
    nodes[name] = { name, partner: member.partner, reach: member.reach ?? [], load: member.load, vservers: data, servesAny: member.serving.length > 0 };
    for (const vserver of data) storage[vserver] = member.storage[vserver];
  }
  const holder: Record<string, string> = {};
  for (const node of Object.values(nodes)) for (const vserver of node.vservers) holder[vserver] = node.name;
  const homes = Object.fromEntries(filer.config.labVservers.map((vserver) => [vserver.name, vserver.home]));
  return { nodes, holder, storage, homes };
}

/** Spread: the most data vservers on a live node less the fewest (`cluster.balance.spread`). */
export function spreadOf(view: ClusterView): number {
  const counts = Object.values(view.nodes).map((node) => node.vservers.length);
  return counts.length === 0 ? 0 : Math.max(...counts) - Math.min(...counts);
}

/** Live nodes other than its holder that reach every shelf of the vserver's aggregate. */
function targetsOf(view: ClusterView, vserver: string): string[] {
  const storage = view.storage[vserver];
  if (!storage?.movable || storage.shelves.length === 0) return [];
  // Not the HA partner of its home: the pair's takeover and giveback move all of the partner's
  // vservers, so one placed there by a migration would be taken back at giveback without its storage.
  const home = view.homes[vserver];
  // A node that serves nothing (booting, waiting for giveback) has no storage online to mount into (fuzz seed 49).
  return Object.values(view.nodes).filter((node) => node.name !== view.holder[vserver] && node.partner !== home && node.servesAny
    && storage.shelves.every((shelf) => node.reach.includes(shelf))).map((node) => node.name).sort();
}

/** Every beat on the master: confirm moves, then maybe run a failover or load pass. */
export function balanceOnMaster(cluster: ClusterState, fs: FileServiceState, filer: FilerState, ctx: ActorContext): void {
  const view = clusterView(cluster, fs, filer, ctx);
  for (const [vserver, pending] of Object.entries(cluster.pending)) {
    if (view.holder[vserver] === pending.to) {
      delete cluster.pending[vserver];
      if (cluster.lastFailover?.destinations[vserver] !== undefined) cluster.lastFailover.destinations[vserver] = pending.to;
    } else if (ctx.now - pending.atUs > MOVE_TIMEOUT_US) {
      delete cluster.pending[vserver];
      logEms(filer, ctx, 'lb.move.timeout', 'warning', `${vserver}: the move ${pending.from} -> ${pending.to} did not complete.`);
    }
  }
  if (Object.keys(cluster.pending).length > 0) return;
  const failover = cluster.lastFailover;
  const order = failover?.order.split('>').filter((name) => name !== '') ?? [];
  if (failover && !failover.balanced && order.every((name) => view.holder[name] !== undefined)) {
    failover.balanced = true;
    spreadFailover(cluster, fs, filer, ctx, view, failover.node, order);
    return;
  }
  balanceLoad(cluster, fs, filer, ctx, view);
}

function spreadFailover(cluster: ClusterState, fs: FileServiceState, filer: FilerState, ctx: ActorContext, view: ClusterView, failed: string, order: string[]): void {
  const taken: Record<string, number> = {};
  const moves: { vserver: string; from: string; to: string }[] = [];
  for (const vserver of order) {
    const current = view.holder[vserver];
    const best = [current, ...targetsOf(view, vserver)].sort((a, b) => (taken[a] ?? 0) - (taken[b] ?? 0)
      || (a === current ? 0 : 1) - (b === current ? 0 : 1) || view.nodes[a].vservers.length - view.nodes[b].vservers.length || (a < b ? -1 : 1))[0];
    taken[best] = (taken[best] ?? 0) + 1;
    if (best !== current) moves.push({ vserver, from: current, to: best });
  }
  const placement = order.map((vserver) => `${vserver} -> ${moves.find((move) => move.vserver === vserver)?.to ?? view.holder[vserver]}`).join(', ');
  logEms(filer, ctx, 'lb.plan', 'notice', `failover placement balanced (${failed} failed): ${placement}.`);
  runPass(cluster, fs, filer, ctx, 'failover', moves, placement);
}

function balanceLoad(cluster: ClusterState, fs: FileServiceState, filer: FilerState, ctx: ActorContext, view: ClusterView): void {
  const loads: Record<string, number> = Object.fromEntries(Object.values(view.nodes).map((node) => [node.name, node.load]));
  const names = Object.keys(loads).sort();
  if (names.length < 2) return;
  const heavy = names.reduce((a, b) => (loads[b] > loads[a] ? b : a));
  const light = names.reduce((a, b) => (loads[b] < loads[a] ? b : a));
  const skewed = loads[heavy] - loads[light] > SKEW_MIN && loads[heavy] > LOAD_RATIO * loads[light];
  cluster.skewedBeats = skewed ? cluster.skewedBeats + 1 : 0;
  if (cluster.skewedBeats < SKEW_BEATS || ctx.now - cluster.lastBalanceUs < COOLDOWN_US) return;
  cluster.skewedBeats = 0;
  const moves: { vserver: string; from: string; to: string }[] = [];
  const holder = { ...view.holder };
  for (let pass = 0; pass < MOVES_PER_PASS; pass++) {
    // The move that lowers the sum of squared node loads the most, among those that leave the source
    // still at least SKEW_MIN / 2 above the destination's new load (the reverse move never qualifies).
    let best: { vserver: string; from: string; to: string; delta: number } | null = null;
    for (const vserver of Object.keys(holder).sort()) {
      const from = holder[vserver];
      const load = view.storage[vserver]?.load ?? 0;
      if (load <= 0 || moves.some((move) => move.vserver === vserver)) continue;
      for (const to of targetsOf({ ...view, holder }, vserver)) {
        if (loads[from] - loads[to] - load <= SKEW_MIN / 2) continue;
        const delta = 2 * load * (loads[to] - loads[from] + load);
        if (!best || delta < best.delta) best = { vserver, from, to, delta };
      }
    }
    if (!best) break;
    moves.push({ vserver: best.vserver, from: best.from, to: best.to });
    loads[best.from] -= view.storage[best.vserver].load;
    loads[best.to] += view.storage[best.vserver].load;
    holder[best.vserver] = best.to;
  }
  if (moves.length === 0) return;
  const before = names.map((name) => `${name} ${view.nodes[name].load}`).join(', ');
  const plan = moves.map((move) => `move ${move.vserver} ${move.from} -> ${move.to}`).join('; ');
  logEms(filer, ctx, 'lb.plan', 'notice', `load (req/s) ${before}: ${plan}.`);
  runPass(cluster, fs, filer, ctx, 'load', moves, plan);
}

function runPass(cluster: ClusterState, fs: FileServiceState, filer: FilerState, ctx: ActorContext, trigger: string,
  moves: { vserver: string; from: string; to: string }[], plan: string): void {
  cluster.lastBalance = { trigger, atUs: ctx.now, moves, plan };
  cluster.lastBalanceUs = ctx.now;
  for (const move of moves) {
    cluster.pending[move.vserver] = { from: move.from, to: move.to, atUs: ctx.now };
    sendMove(cluster, fs, filer, ctx, { kind: 'migrate', vserver: move.vserver, from: move.from, to: move.to, trigger });
  }
}

/** `vserver migrate` on any node: the same migration, ordered by the operator. */
export function operatorMigrate(cluster: ClusterState, fs: FileServiceState, filer: FilerState, ctx: ActorContext, vserver: string, to: string): string | null {
  const view = clusterView(cluster, fs, filer, ctx);
  const from = view.holder[vserver];
  if (from === undefined) return `vserver ${vserver} is not served by a live node`;
  if (from === to) return `vserver ${vserver} is already on ${to}`;
  if (view.nodes[to] === undefined) return `node ${to} is not a live cluster node`;
  if (!view.storage[vserver]?.movable) return `vserver ${vserver} cannot migrate (no-migrate, or its volumes are not on one aggregate)`;
  if (view.nodes[to].partner === view.homes[vserver]) return `${to} is the HA partner of ${vserver}'s home ${view.homes[vserver]} (its giveback would take ${vserver} back)`;
  if (!targetsOf(view, vserver).includes(to)) return `${to} does not reach ${view.storage[vserver].shelves.join(', ')}`;
  if (cluster.pending[vserver] && ctx.now - cluster.pending[vserver].atUs < MOVE_TIMEOUT_US) return `vserver ${vserver} is already migrating`;
  cluster.pending[vserver] = { from, to, atUs: ctx.now };
  cluster.lastBalance = { trigger: 'operator', atUs: ctx.now, moves: [{ vserver, from, to }], plan: `move ${vserver} ${from} -> ${to}` };
  sendMove(cluster, fs, filer, ctx, { kind: 'migrate', vserver, from, to, trigger: 'operator' });
  return null;
}
