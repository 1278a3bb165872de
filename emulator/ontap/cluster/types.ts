// The cluster subsystem's slot (seed 004): what this node knows of the cluster — the members it hears,
// the elected master, its own ports as the port-failover state machine sees them, the load it measures
// on its addresses — and the records the run summary and the consoles show. Plain data.
import type { Micros } from '../../engine/actor.ts';
import type { CarriedLog } from '../storage/types.ts';

/**
 * One Ethernet port as port failover sees it.
 *  - up: carrier; it may carry addresses.
 *  - failed: carrier lost; its addresses were moved to good ports of this node (claims 10, 35, 38).
 *  - stranded: carrier lost and no good port was left on this node for its addresses: their vservers
 *    move to another node (port-evacuation.ts); what cannot move stays down until a port comes back.
 */
export type PortFailoverState = 'up' | 'failed' | 'stranded';

export interface PortRecord {
  state: PortFailoverState;
}

/** One other node as the heartbeats on the cluster network tell it. */
export interface MemberRecord {
  /** When a heartbeat from it last arrived (on any port). */
  lastHeardUs: Micros;
  /** up: heard within the failure-detection time; failed: silent longer. */
  state: 'up' | 'failed';
  /** The vservers it said it served in its last heartbeat. */
  serving: string[];
  /** Its node load (requests per second) from its last heartbeat. */
  load: number;
  /** The vserver moves it made, by vserver, from its last heartbeat. */
  migrations: Record<string, number>;
  /** The port each address it serves is up on, from its last heartbeat. */
  lifPorts: Record<string, string>;
  /** Its HA partner, the shelves it reaches and where its data vservers keep their storage. */
  partner: string | null;
  reach: string[];
  storage: Record<string, VserverStorage>;
  /**
   * By vserver in `storage`: when the first heartbeat of its unbroken run of claims arrived. With
   * `lastHeardUs` it bounds the stretch the node is known to have served it (the invariant check). Optional: older saved labs.
   */
  claimedSince?: Record<string, Micros>;

  /** The subnets it has a good port on (seed 004 routing). Optional: older saved labs. */
  subnets?: Record<string, SubnetPresence>;
}

/** A node's good port on a subnet and an address of its own there (a gateway for a peer, claim 8). */
export interface SubnetPresence {
  readonly port: string;
  readonly address: string;
}

/** Seed 004 claims 8, 9: the subnets this node reaches through a peer, and the peers it routes for. */
export interface RoutingState {
  /** By subnet this node lost: the peer routing for it, its gateway address, this node's port toward it. */
  via: Record<string, { readonly router: string; readonly gateway: string; readonly port: string }>;
  /** By node routed for: the subnet, the addresses stood in for, and when the request lapses. */
  for: Record<string, { readonly subnet: string; readonly addresses: readonly string[]; readonly untilUs: Micros }>;
}

/** Where a served data vserver keeps its storage, as its node reports it (seed 004 migration). */
export interface VserverStorage {
  /** Whose namespace its aggregate is in (the node whose configuration created it). */
  readonly owner: string;
  readonly shelves: readonly string[];
  readonly load: number;
  /** All its volumes on one online aggregate, and not no-migrate. */
  readonly movable: boolean;
  /** That aggregate as its owner names it (`aggr3`) and its disks: a takeover of this node mounts them as a move. */
  readonly aggregate?: string;
  readonly disks?: readonly string[];
}

/** A vserver migration step (migration.ts), carried in a broadcast frame's `clusterMove`. */
export interface MoveMessage {
  readonly id: string;
  readonly sender: string;
  readonly kind: 'migrate' | 'handover';
  readonly vserver: string;
  readonly from: string;
  readonly to: string;
  /** failover, load or operator. */
  readonly trigger: string;
  readonly owner?: string;
  readonly diskName?: string;
  readonly disks?: readonly string[];
  /** A storage failover's handover: the source's key to preempt and its log entries for the aggregate. */
  readonly log?: CarriedLog;
  /** A hand-on after a failed mount: the key of the node that failed (preempted), and the nodes that tried. */
  readonly preempt?: string;
  readonly tried?: readonly string[];
}

/** A balancing pass of the master (claims 12, 18–20, 31–33). */
export interface BalanceRecord {
  readonly trigger: string;
  readonly atUs: Micros;
  readonly moves: { readonly vserver: string; readonly from: string; readonly to: string }[];
  readonly plan: string;
}

/** A node failure as the master handled it (claims 5–7, 25–27): the order and where each went. */
export interface FailoverRecord {
  readonly node: string;
  readonly atUs: Micros;
  /** The failed node's vservers in the order they were handled, highest priority first: `vs1>vs2`. */
  order: string;
  /** Where each migratable vserver went (filled as the nodes that took them report serving them). */
  destinations: Record<string, string>;
  /** The master spread them (claim 19) once all were placed. */
  balanced?: boolean;
  /** No-migrate vservers left down on the failed node. */
  keptDown: string[];
}

/** A storage failover (claim 14): the aggregates this node could no longer reach and where their vservers went. */
export interface StorageFailoverRecord {
  readonly atUs: Micros;
  readonly aggregates: string[];
  /** Highest priority first: `vs1>vs2`. */
  readonly order: string;
  readonly destinations: Record<string, string>;
}

/** Claims 10, 24, 29, 34 (no good port): the vservers this node sent away with their addresses, and those that stayed. */
export interface PortFailoverRecord {
  readonly atUs: Micros;
  /** Highest priority first: `vs1>vs2`. */
  order: string;
  destinations: Record<string, string>;
  /** By vserver left stranded here: why it could not move. */
  stranded: Record<string, string>;
  /** A port came back up: a later stranding starts a new record. */
  endedUs?: Micros;
}

export interface ClusterViolation {
  readonly atUs: Micros;
  readonly detail: string;
}

export interface ClusterState {
  /** False in labs of one HA pair or less: there the cluster subsystem stays out of the way. */
  readonly active: boolean;
  /** Heartbeats on, once the OS is up (off while halted, panicked, powered off). */
  running: boolean;
  /** When the OS came up: timers carry it, so a timer from before a stop is recognised as stale. */
  bootUs: Micros;
  beatSeq: number;
  members: Record<string, MemberRecord>;
  /** The master as this node elects it: the lowest-named node it hears (itself included). */
  master: string | null;
  ports: Record<string, PortRecord>;
  /** Requests counted per served address at the last load sample, to take rates from. */
  lastCounts: Record<string, number>;
  lastSampleUs: Micros;
  /** Requests per second per served address (the lif load). */
  addressLoad: Record<string, number>;
  /** Addresses this node moved between its own ports (port failover, `network interface migrate`). */
  lifMoves: number;
  /** Claim 13: by subnet, consecutive load samples its busiest good port exceeded its idlest by PORT_SKEW_MIN. */
  portSkew?: Record<string, number>;
  /** The vservers away from home this node serves now (to count each arrival once). */
  servingAway: string[];
  /** Vserver moves between nodes that this node made (claims 5, 10, 12), by vserver. */
  migrations: Record<string, number>;
  lastFailover: FailoverRecord | null;
  /** Claim 14: this node lost its paths to a shelf and handed the vservers on it to nodes that reach it. */
  lastStorageFailover?: StorageFailoverRecord;
  /** In a takeover of the partner: the vservers that had moved in to it whose mount was started here (takeover-moved-in.ts). */
  takenOverMovedIn?: string[];
  /** Claims 10, 24, 29, 34: no good port left, vservers sent to other nodes. */
  lastPortFailover?: PortFailoverRecord;
  /** Subnet failure routing (claims 8, 9). Optional: older saved labs. */
  routing?: RoutingState;
  /** Seed 004 migration: move messages sent and seen, moves under way on this node by vserver. */
  moveSeq: number;
  seenMoves: string[];
  outgoing: Record<string, { to: string; trigger: string }>;
  incoming: Record<string, { from: string; trigger: string; tried?: readonly string[] }>;
  /** The master: moves it ordered and has not yet seen completed, by vserver. */
  pending: Record<string, { from: string; to: string; atUs: Micros }>;
  lastBalance: BalanceRecord | null;
  /** The master: consecutive beats the load was out of balance, and when the last pass ran. */
  skewedBeats: number;
  lastBalanceUs: Micros;
  violations: ClusterViolation[];
  /** By vserver this node serves: since when, without a break (the invariant check's own stretch). Optional: saved labs of earlier builds. */
  servingSince?: Record<string, Micros>;
}
