// The storage subsystem's state, as plain data (DESIGN.md §4): disks and their RAID roles, aggregates
// of RAID-4 groups, the in-memory file system of each volume (the buffer cache), the NVRAM log's
// mirror bookkeeping, and the disk I/O batches in flight ("continuations as data": a batch names what
// to do when its last I/O completes; no closures anywhere).
import type { BatteryLoss, Requesters } from './battery-loss.ts';
import type { DiskIoClass, DiskIoCounts } from './disk-io-stats.ts';
import type { ActorId, Micros } from '../../engine/actor.ts';
import type { ScsiCommand } from '../../hardware/scsi.ts';
import type { BlockPointer, InodeType } from './wafl-format.ts';
import type { LogEntry, LogOp, RequestOrigin } from './nvram-log.ts';

/** A disk as the lab names the component: `<shelf actor>.<bay>`, e.g. `shelf1.3`. */
export type DiskId = string;

export interface DiskAddress {
  readonly shelf: ActorId;
  readonly bay: number;
}

/**
 * What a disk is to this filer.
 *  - data, parity: a member of a RAID group (position in `RaidGroupState.members`).
 *  - spare: owned, not in use; may be zeroed or not.
 *  - broken: failed (by the disk, by RAID after an I/O error, or by `disk fail`).
 *  - partner: owned by the HA partner (shown by `sysconfig -r` as partner).
 */
export type DiskRole = 'data' | 'parity' | 'spare' | 'broken' | 'partner';

/** What this filer learned of a bay from its shelf: its disk pulled, a new unowned one, one assigned here. */
export type BayChange = 'missing' | 'unowned' | 'assigned';

export interface DiskRecord {
  readonly id: DiskId;
  readonly address: DiskAddress;
  /** Capacity in 4 KiB blocks (from the disk's inquiry answer). */
  blocks: number;
  role: DiskRole;
  aggregate: string | null;
  raidGroup: number | null;
  /** Spares: whether every block reads as zeros (`disk zero spares`). */
  zeroed: boolean;
  /** Spares being zeroed: percentage done, else null. */
  zeroingPercent: number | null;
  /** Why a broken disk failed ('admin failed', 'not responding', 'media error'). */
  failReason: string | null;
  /** A spare unloaded by `disk remove` to be pulled: no RAID group takes it until the next boot. */
  spunDown?: boolean;
  /**
   * A spare of the HA partner, held in takeover: only the partner's aggregates take it (a reconstruction
   * of the partner's RAID group rebuilds onto the partner's own spares, as on the product). Absent for ours.
   */
  partnerOf?: string;
}

/** RAID group health. normal; degraded (one member missing); reconstructing onto a spare; failed (two missing). */
export type RaidGroupStatus = 'normal' | 'degraded' | 'reconstructing' | 'failed';

export interface Reconstruction {
  /** The member position being rebuilt and the spare that takes it. */
  readonly position: number;
  readonly spare: DiskId;
  /** Every stripe of the member is swept (raid-pace.ts): progress is `done / totalStripes`. */
  readonly totalStripes: number;
  /** Stripes holding blocks in use (and the root slots), ascending: the ones actually read, XORed, written. */
  readonly inUse: number[];
  /** Index in `inUse` of the next stripe to rebuild. */
  nextInUse: number;
  /** Stripes swept so far (all of them below this one). */
  done: number;
  /** The step under way: sweeping up to `stepEnd`, begun at `stepStartedUs`. */
  stepEnd: number;
  stepStartedUs: Micros;
  readonly startedUs: Micros;
  /**
   * A disk copy (Rapid RAID Recovery before `disk fail`, or `disk replace start`): the member at
   * `position` stays in the group, readable, and is copied block for block onto the spare instead of
   * being rebuilt from parity. Absent for a reconstruction.
   */
  readonly copyFrom?: DiskId;
  /** What the copied disk becomes once the copy is done: failed (`disk fail`) or a spare (`disk replace`). */
  readonly copyThen?: 'fail' | 'spare';
}

export interface GroupExtent {
  readonly firstPosition: number;
  readonly baseVbn: number;
}

export interface RaidGroupState {
  readonly index: number;
  /** Data disks first, parity last; a failed member stays in place, listed in `failed`. */
  members: DiskId[];
  /** Member positions whose disk is gone (failed, pulled, not responding). */
  failed: number[];
  reconstruction: Reconstruction | null;
  /** First VBN of this group in the aggregate's block space. */
  readonly baseVbn: number;
  /**
   * Data disks `aggr add` put into the group after it was made: from `firstPosition` on, their VBNs
   * start at `baseVbn` (raid-layout.ts vbnRuns). Absent: none.
   */
  extents?: GroupExtent[];
  /** Generation of the members' RAID labels (raised when membership changes). */
  labelGeneration: number;
}

/** Disk I/O counted since boot, for `sysstat` (disk kB/s and utilisation). */
export interface IoStats {
  readBlocks: number;
  writeBlocks: number;
  /** SCSI commands sent, by disk: each costs the disk its service time (utilisation). */
  commandsByDisk: Record<DiskId, number>;
  /** Data-transfer commands by disk and kind, for `statit` (disk-io-stats.ts). Optional: older saved labs. */
  byDisk?: Record<DiskId, DiskIoCounts>;
}

export interface ScrubTarget {
  readonly group: number;
  readonly stripe: number;
}

export interface ScrubState {
  /** Stripes in use checked (every group), and the stripes whose parity did not match. */
  stripesChecked: number;
  mismatches: number[];
  running: boolean;
  /** Sweep over every stripe of the groups (in parallel): progress is `done / totalStripes`. */
  readonly totalStripes: number;
  /** The stripes in use of each healthy group, by stripe ascending, and the index of the next to check. */
  readonly targets: readonly ScrubTarget[];
  nextTarget: number;
  done: number;
  stepEnd: number;
  stepStartedUs: Micros;
}

/** Aggregate state: online, offline after a double failure (or lost storage), or being mounted/created. */
export type AggregateStatus = 'mounting' | 'online' | 'failed' | 'offline';

export interface AggregateState {
  readonly name: string;
  status: AggregateStatus;
  raidGroups: RaidGroupState[];
  /** Stripes per group (blocks per disk less the label block). */
  readonly stripes: number;
  /** Generation of the last committed consistency point (the root written last). */
  generation: number;
  /** Highest NVRAM log sequence number the last committed CP contains. */
  cpSeq: number;
  /** VBNs in use by the committed file system or a CP in flight: sparse, `vbn → 1`. */
  used: Record<number, 1>;
  usedCount: number;
  /**
   * Blocks of the committed image that a failed CP (disk access lost) no longer references: they stay
   * in use until the next CP commits, since the image on disk still names them (cp.ts).
   */
  pendingFree: number[];
  /** Where the allocator looks for the next free stripe (write anywhere: it moves forward). */
  stripeCursor: number;
  /** Whether this aggregate holds the root volume (and the HA mailbox). */
  readonly root: boolean;
  /** The last scrub: its sweep (as reconstruction's), stripes checked, parity mismatches found. */
  scrub: ScrubState | null;
  /** Set when this aggregate is the HA partner's, held after a takeover (keyed `<partner>:<name>`). */
  readonly partnerOf?: string;
  /** `aggr options` set by the operator (raidsize, nosnap…); absent: the defaults. */
  options?: Record<string, string>;
  /** Taken offline by the operator (`aggr offline`): left out of CPs until `aggr online`. */
  adminOffline?: boolean;
}

export interface Inode {
  readonly id: number;
  generation: number;
  type: InodeType;
  mode: number;
  uid: number;
  gid: number;
  nlink: number;
  size: number;
  atimeUs: Micros;
  mtimeUs: Micros;
  ctimeUs: Micros;
  /** File content (files only): the buffer cache copy of every block. */
  data: Uint8Array;
  /** Directory entries (directories only), name → file id. */
  entries: Record<string, number>;
  /** On-disk block pointers of the last CP (file blocks, or the serialized directory's blocks). */
  blocks: BlockPointer[];
  /** Indirect blocks holding `blocks` when there are too many for the inode. */
  indirect: BlockPointer[];
  /** Changed since the last CP: `'all'` (rewrite every block) or the dirty file block indexes. */
  dirty: 'all' | number[] | null;
}

/** A volume's file system in memory. */
export interface VolumeState {
  readonly name: string;
  readonly aggregate: string;
  readonly fsid: number;
  /** Changed by `vol size`. */
  sizeBytes: number;
  status: 'online' | 'offline' | 'restricted';
  /** `snap reserve`: percent of the volume kept for snapshots (df's .snapshot line); absent: the default 20. */
  snapReserve?: number;
  /** `vol options` set by the operator (name → value); absent: all defaults. */
  options?: Record<string, string>;
  /**
   * Taken offline by the operator (`vol offline`): clients' handles into it are stale, as on the
   * product, where an aggregate's failure only makes them wait (offline). Optional: older saved labs.
   */
  adminOffline?: boolean;
  /** Set when mount or fsck found damage: `vol status` shows `inconsistent`. */
  inconsistent: boolean;
  /** Seed 004 claim 21: automatic repair (repair.ts), once damage was found in the volume. */
  repair?: { state: 'online' | 'blocked' | 'repairing'; repairs: number; problems: number; sinceUs: Micros; afterCp: number };
  inodes: Record<number, Inode>;
  nextFileId: number;
  /** On-disk pointers of the inode file at the last CP. */
  inodeFile: { blocks: BlockPointer[]; indirect: BlockPointer[] };
  /** The inode file must be rewritten at the next CP. */
  dirty: boolean;
  /** Blocks of removed files, to free at the next CP. */
  orphanBlocks: number[];
  /** The volume's snapshots, oldest first (snapshot.ts). Absent: none (and older saved labs). */
  snapshots?: Snapshot[];
  /** Snapshots asked for (`snap create`, the schedule): taken at the next CP. */
  snapshotRequests?: string[];
  /** `snap sched`: how many weekly, nightly and hourly snapshots to keep, and the hours of the hourly ones. */
  snapSchedule?: SnapSchedule;
}

export interface SnapSchedule {
  readonly weeks: number;
  readonly days: number;
  readonly hours: number;
  /** Hours of the day (0-23) the hourly snapshots are taken at; empty: every hour. */
  readonly hourList: readonly number[];
}

/**
 * A snapshot: the volume's tree frozen at a CP. Its blocks stay allocated while it lives (the CP
 * frees no block a snapshot holds); `inodes` is the frozen tree in memory, read back from the disks
 * at mount, for `snap restore` and for reading the snapshot's files.
 */
export interface Snapshot {
  name: string;
  readonly id: number;
  readonly createdUs: Micros;
  readonly nextFileId: number;
  readonly inodeFile: { readonly size: number; readonly blocks: BlockPointer[]; readonly indirect: BlockPointer[] };
  /** Every VBN of the frozen tree: its inode file, and its files' indirect and data blocks. */
  readonly held: number[];
  readonly inodes: Record<number, Inode>;
}

/** What to do when an I/O batch completes: the continuation, as data. */
export type BatchPurpose =
  | { readonly kind: 'labels' }
  /** The mount pipeline (mount.ts): `owner` is whose storage (this filer's, or a partner's at takeover). */
  | { readonly kind: 'mount-root'; readonly aggregate: string; readonly owner: string }
  | { readonly kind: 'mount-tree'; readonly aggregate: string; readonly owner: string }
  | { readonly kind: 'cp-data'; readonly aggregate: string; readonly cpId: number }
  | { readonly kind: 'cp-root'; readonly aggregate: string; readonly cpId: number }
  /** While disk access is lost: an inquiry to every member before a retried CP builds its image. */
  | { readonly kind: 'cp-probe'; readonly aggregate: string; readonly cpId: number }
  | { readonly kind: 'recon'; readonly aggregate: string; readonly group: number; readonly stripes: number }
  | { readonly kind: 'recon-write'; readonly aggregate: string; readonly group: number; readonly stripes: number }
  | { readonly kind: 'scrub'; readonly aggregate: string; readonly stripe: number; readonly stripes: number }
  | { readonly kind: 'zero'; readonly disk: DiskId; readonly lba: number }
  | { readonly kind: 'reserve' }
  /** A disk just assigned (`disk assign`): its capacity from the inquiry answer. */
  | { readonly kind: 'disk-inquiry'; readonly disk: DiskId }
  | { readonly kind: 'mailbox-write' }
  | { readonly kind: 'mailbox-read'; readonly requestId: number }
  | { readonly kind: 'fsck'; readonly volume: string; readonly fsckId: number }
  | { readonly kind: 'corrupt' }
  | { readonly kind: 'boot-reservations' }
  | { readonly kind: 'boot-mailbox' }
  | { readonly kind: 'partner-scan' }
  | { readonly kind: 'partner-labels' }
  | { readonly kind: 'partner-release' }
  | { readonly kind: 'move-release'; readonly vserver: string }
  | { readonly kind: 'move-labels'; readonly vserver: string };

/** One SCSI command of a batch, kept until it completes. */
export interface PendingIo {
  readonly batch: number;
  readonly disk: DiskId;
  readonly command: ScsiCommand;
  /** When it was issued and its `statit` class (a data transfer); absent for other commands and older saved labs. */
  readonly issuedUs?: Micros;
  readonly ioClass?: DiskIoClass;
}

export interface IoBatch {
  readonly id: number;
  readonly purpose: BatchPurpose;
  outstanding: number;
  /** Blocks read, by `disk:lba`. */
  readonly blocks: Record<string, Uint8Array>;
  /** Mailbox and pr-read results, by disk. */
  readonly results: Record<DiskId, { status: string; data?: Uint8Array; holder?: string | null; owner?: string | null }>;
  /** Disks that answered with an error status. */
  readonly errors: { disk: DiskId; status: string; lba?: number }[];
  /** What the continuation needs to carry (VBNs being read, walk frontier…). */
  readonly carry: Record<string, unknown>;
}

/** A modifying file operation waiting for its NVRAM mirror before its caller is answered. */
export interface PendingOp {
  readonly opId: number;
  readonly seq: number;
  readonly result: OpResult;
}

export type OpResult =
  | { readonly ok: true; readonly fileId?: number; readonly generation?: number }
  | { readonly ok: false; readonly error: FsError };

/** Errors a file operation returns (named as NFS does). */
export type FsError = 'noent' | 'exist' | 'notdir' | 'isdir' | 'notempty' | 'stale' | 'nospc' | 'inval' | 'rofs' | 'offline';

export interface OpCompletion {
  readonly opId: number;
  readonly result: OpResult;
  /** Whether the operation reached the partner's NVRAM before it was answered. */
  readonly mirrored: boolean;
}

/** The interconnect mirror of the NVRAM log. */
export type MirrorState = 'mirrored' | 'unmirrored' | 'standalone';

export interface StorageState {
  readonly self: ActorId;
  /** down until os-boot; mounting; online; halted after os-halt; lost on power-off/panic. */
  status: 'down' | 'mounting' | 'online';
  /** When the snapshot schedules were last looked at (snapshot-schedule.ts); absent: never. */
  snapClockUs?: Micros;
  disks: Record<DiskId, DiskRecord>;
  aggregates: Record<string, AggregateState>;
  volumes: Record<string, VolumeState>;
  log: {
    /** Next sequence number handed to a log entry. */
    nextSeq: number;
    mirror: MirrorState;
    /** Highest sequence acknowledged by the partner. */
    ackedSeq: number;
    /** The partner's copy must be resent whole (it missed entries while the link was down). */
    resync: boolean;
    warnedUnmirrored: boolean;
    /**
     * HA's word that the partner is down (taken over, halted, dead on both heartbeats): then an
     * unmirrored write is answered from local NVRAM, the pair running degraded. While the partner may
     * be alive (only the interconnect lost), an unmirrored write waits until a CP has it on disk.
     */
    partnerDown: boolean;
    /**
     * A CP was started because the NVRAM battery went low with entries that no mirror holds (they do
     * not survive a power loss now); cleared when the battery is good again. Optional: older saved labs.
     */
    lowBatteryCp?: boolean;
  };
  cp: {
    /**
     * `failed`: aggregates whose CP could not reach their disks (the log is then kept, not trimmed).
     * `heldBack`: a partner's aggregates left out because their takeover mount had not replayed the log yet.
     */
    running: { id: number; seq: number; aggregatesLeft: string[]; failed: string[]; heldBack: string[]; startedUs: Micros; reason: string } | null;
    nextId: number;
    lastUs: Micros;
    count: number;
    /** Another CP was asked for while one ran (NVRAM half filling): start it right after. */
    again: boolean;
    /** For `sysstat -x`: time spent in finished CPs, and the start and reason of the last CP begun. */
    busyUs?: Micros;
    lastStartUs?: Micros;
    lastReason?: string;
  };
  io: { nextTag: number; nextBatch: number; pending: Record<number, PendingIo>; batches: Record<number, IoBatch>; stats?: IoStats };
  /** waiting: for the partner's mirror ack; durable: unmirrored, for the CP that puts them on disk. */
  ops: { nextOpId: number; waiting: PendingOp[]; durable: PendingOp[]; completed: OpCompletion[] };
  /** Mailbox (HA): last record read per disk and this filer's heartbeat counter. */
  mailbox: {
    heartbeat: number;
    /** What this filer's own heartbeat writes carry (the HA subsystem sets it). */
    takeoverState: MailboxTakeoverState;
    reads: Record<number, MailboxReadResult | null>;
    nextRequest: number;
  };
  /** fsck results by run id. */
  fsck: Record<number, FsckReport>;
  nextFsckId: number;
  /** Timers by purpose, so that power-off can forget them. */
  /** durable: the group commit of unmirrored writes (mirror.ts). */
  timers: { cp: number | null; mirror: number | null; recon: number | null; heartbeat: number | null; durable: number | null };
  /** Mount bookkeeping: when os-boot began and the aggregates still being read. */
  bootStartedUs: Micros;
  /**
   * `fetchingLog`: this filer's NVRAM lost its contents (a power loss on a low battery) and it asked the
   * partner for the mirror of its log (nvram.fetch); `mountDone`: the mount ended while it waited, and
   * the replay follows the answer (or the timeout). Both optional: older saved labs.
   */
  boot: { aggregatesLeft: string[]; fetchingLog?: boolean; mountDone?: boolean };
  /** Whether this filer's I/O reaches its disks (disk-access.ts): the HA subsystem reads it. */
  diskAccess: DiskAccess;
  /** Writes lost with the NVRAM on power losses with a low battery (battery-loss.ts); kept across them. Optional: older saved labs. */
  batteryLosses?: BatteryLoss[];
  /** Who asked for each local log entry (battery-loss.ts), kept with the log. Optional: older saved labs. */
  requesters?: Requesters;
  /**
   * Bays the shelves reported changed (disk-bays.ts): a disk this filer owned that was pulled (`missing`),
   * a new disk nobody owns yet (`unowned`), one `disk assign` gave this filer (`assigned`). Ownership is
   * on the disks, so it outlives a reboot as the record does. Optional: older saved labs.
   */
  bays?: Record<DiskId, BayChange>;
  /** A write hit another filer's reservation (the partner took over): the HA subsystem halts us. */
  reservationConflict: boolean;
  /** The FC initiator's state (multipath I/O) when storage runs over the loops; null otherwise. */
  initiator: unknown;
  /** Raised at each boot: timers of an earlier boot carry an older epoch and are ignored. */
  epoch: number;
  /**
   * The partner's mirror as this filer receives it: the sequence number the next entry must carry for
   * the half to stay a prefix of the partner's log (invariant 6). `needs-reset` after this OS came
   * up (it may have missed entries while down: only the partner's whole log will do); `any` after a
   * whole log that was empty. Optional: saved labs of earlier builds.
   */
  mirrorIn?: { expectSeq: number | 'needs-reset' | 'any'; resyncsAsked: number };
  /** Log entries replayed at the last mount, for the console message and tests. */
  lastReplay: { entries: number; seconds: number } | null;
  /** The HA partner's storage mounted after a takeover (partner.ts), or null. */
  partner: PartnerStorage | null;
  /** Seed 004: a vserver's aggregate moving out of or into this node (vserver-move.ts), by vserver. Optional: older saved labs. */
  moves?: Record<string, VserverMove>;
  /**
   * Seed 004: the aggregates this node took in with a vserver from another node's namespace, by vserver
   * (its registry on the root volume, so it survives a reboot as disk ownership does): at boot it mounts
   * them again and replays its own log entries for them (vserver-move.ts).
   */
  movedIn?: Record<string, MovedInAggregate>;
  /** Seed 004: configured aggregates left out at boot because another node (not the partner) holds their disks: they moved with a vserver. */
  movedAway?: string[];
  /**
   * Disk ownership the operator changed: disks taken (`disk assign`) and given up (`disk
   * remove_ownership`) beyond the lab file's. Kept across reboots (on the product it is on the disks).
   */
  ownership?: {
    assigned: DiskId[]; released: DiskId[];
    /**
     * What the HA partner said over the interconnect of its own `disk assign`s: disks it took (no longer
     * unowned here) and gave up (unowned here, though its shelves are the partner's). Optional: older saves.
     */
    partnerTook?: DiskId[]; partnerReleased?: DiskId[];
  };
  /** HA: at the next boot of this storage, disks this key holds are reclaimed (the partner is not in takeover). */
  reclaimFrom: string | null;
  /** The partner's key this boot reclaimed from: its takeover may also hold what this node took in (`movedIn`). */
  reclaimedFrom?: string | null;
  /** Requests a replay redid (own log at boot, the partner's at takeover), for the file service's DRC. */
  replayedRequests: ReplayedRequest[];
  /** What storage-view.ts last published (disk roles, reconstruction), so it publishes only changes. */
  published: Record<string, string | number>;
}

/**
 * Whether I/O reaches this filer's disks. `lost` once an I/O to an aggregate's disks failed for want of
 * a path (every FC path down or unanswered, the shelf without power): not a failed disk, which RAID-4
 * degrades around. While lost, consistency points of those aggregates fail and are retried (the NVRAM
 * log is kept and the volumes stay dirty); `ok` again when a retried CP of every such aggregate is on
 * disk and the log has been trimmed. The HA subsystem reads it to ask the partner for a takeover.
 *  - sinceUs: when the current state began (0 at creation).
 *  - aggregates: the aggregates without access (empty when ok).
 *  - reason: what failed, e.g. `no path to the disks (0a, 0b: link down)`; null when ok.
 *  - cpsFailed: consistency points that failed since access was lost (0 when ok).
 */
export interface DiskAccess {
  state: 'ok' | 'lost';
  sinceUs: Micros;
  aggregates: string[];
  reason: string | null;
  cpsFailed: number;
}

/**
 * The partner's storage held by this filer (partner.ts): scanning for the disks it reserved, preempting
 * them and reading their labels, mounting its aggregates, online (served under `<name>:`), releasing
 * (the giveback CP), released; failed with the reason.
 */
/** A logged request that a replay redid: the file service answers its retry from the DRC. */
export interface ReplayedRequest {
  readonly origin: RequestOrigin;
  /** The volume's storage key (`vol1`, or `filerA:vol1` in takeover). */
  readonly volume: string;
  readonly op: LogOp;
}

/** The log entries a storage failover carries from the source, with how to replay them. */
export interface CarriedLog {
  /** The source's reservation key, preempted. */
  readonly victim: string;
  /** In the owner's names (`aggr2`, `vol1`). */
  readonly entries: readonly LogEntry[];
  /** Entries in the owner's sequence space (the source was the owner): those its last CP holds are skipped. */
  readonly sinceCp: boolean;
  /** How it came (the console line): by default from a node that lost its paths to it. */
  readonly how?: string;
}

export interface MovedInAggregate {
  readonly owner: string;
  readonly diskName: string;
  readonly disks: readonly string[];
}

/**
 * One vserver's aggregate moving between nodes (seed 004). out: cp → releasing → released; in:
 * reserving → mounting → online; either may end failed.
 */
export interface VserverMove {
  readonly vserver: string;
  readonly direction: 'out' | 'in';
  /** The aggregate as this node keys it (`node1:aggr2`, or `aggr2` on its owner). */
  readonly aggregate: string;
  /** Whose namespace the aggregate is in (the node whose configuration created it). */
  readonly owner: string;
  /** Its name on disk (`aggr2`). */
  readonly diskName: string;
  readonly disks: readonly string[];
  /** How this node keys the owner's names: '' on the owner, `node1:` elsewhere. */
  readonly prefix: string;
  status: 'cp' | 'releasing' | 'released' | 'reserving' | 'mounting' | 'online' | 'failed';
  /** In at this node's own boot: an aggregate it held before it went down (`movedIn`), whose log entries it replays. */
  readonly reclaim?: boolean;
  /** A reclaim at a boot that took its own disks back from the partner: preempt that key here too. */
  readonly preempt?: string;
  /**
   * In by storage failover: the source lost its paths to the aggregate, so it wrote no CP. Its disks are
   * preempted from the source's key, and the source's log entries for it (in the owner's names) replayed.
   */
  readonly failover?: CarriedLog;
  releaseAfterCp: number;
  readonly startedUs: Micros;
  error: string | null;
}

export interface PartnerStorage {
  readonly requestId: number;
  readonly name: string;
  readonly systemId: string;
  readonly prefix: string;
  status: 'scanning' | 'reserving' | 'mounting' | 'online' | 'releasing' | 'unreserving' | 'released' | 'failed';
  error: string | null;
  /** The disks preempted from the partner (released at giveback). */
  disks: DiskId[];
  aggregatesLeft: string[];
  readonly startedUs: Micros;
  /** Partner log entries replayed, and the seconds the mount took (console message). */
  replayed: number;
  seconds: number;
  /** Giveback: the partner's storage is dropped once `cp.count` reaches this (a CP begun after the request). */
  releaseAfterCp: number;
  /** A resumed takeover (partner.ts PartnerIdentity.resume). */
  readonly resume: boolean;
}

/** Takeover state kept in the mailbox (seed 000): read by the HA subsystem. */
export type MailboxTakeoverState = 'normal' | 'declared-dead' | 'waiting-for-giveback';

export interface MailboxRecord {
  readonly owner: string;
  readonly systemId: string;
  readonly heartbeat: number;
  readonly state: MailboxTakeoverState;
  readonly writtenUs: Micros;
}

export interface MailboxReadResult {
  readonly records: Record<DiskId, MailboxRecord | null>;
  /** The disks that answered on some path (HA's probe of the partner's disks reads this). */
  readonly answered: readonly DiskId[];
}

export interface FsckReport {
  readonly volume: string;
  done: boolean;
  readonly problems: string[];
  inodesChecked: number;
  blocksChecked: number;
}

export type { LogEntry };
