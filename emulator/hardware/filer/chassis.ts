// The filer's hardware as data (DESIGN.md §3, seed 001 Fig. 2): what the lab file configures
// (FilerConfig) and what the chassis holds while it runs (ChassisState). The chassis behaviour lives
// in filer-actor.ts; the software (ONTAP) lives in subsystems that keep their own slots.
import type { ActorEvent, ActorId, PortName } from '../../engine/actor.ts';

/** One FC initiator port and the loop behind it: which shelves it reaches, in loop order. */
export interface FcPortConfig {
  readonly port: PortName;
  /** Loop A or loop B of the pair (CHAN `FC:A` / `FC:B` in `sysconfig -r`). */
  readonly loop: 'A' | 'B';
  readonly shelves: readonly FcShelfRef[];
}

export interface FcShelfRef {
  readonly actor: ActorId;
  /** The shelf id set on the shelf (1, 2, …): disks answer at loop ids shelfId*16 + bay. */
  readonly shelfId: number;
}

/** An Ethernet port of the filer and the filer's own address on it (its default vserver's). */
export interface EthernetPortConfig {
  readonly port: PortName;
  /** The MAC address of the port, `02:…` (locally administered, derived from the system id). */
  readonly mac: string;
  /** The subnet this port is cabled to, CIDR `10.1.1.0/24`. */
  readonly subnet?: string;
}

/** A virtual server hosted (by default) on this filer; each filer's own identity is one (DESIGN.md §6). */
export interface VserverConfig {
  readonly name: string;
  /** The filer that hosts it when all is well. */
  readonly home: ActorId;
  /** Addresses `10.1.1.10/24` with the port they start on. */
  readonly addresses: readonly { readonly address: string; readonly port: PortName }[];
  readonly volumes: readonly string[];
  /** Failover priority (seed 004): lower moves first. */
  readonly priority: number;
  /** A no-migrate vserver stays down when its node fails. */
  readonly migrate: boolean;
}

/** The storage layout the storage OS builds on the disks (names `shelf1.0` … `shelf1.13`). */
export interface AggregateConfig {
  readonly name: string;
  readonly raidGroupSize: number;
  /** Disk components, first the data disks then parity per group is the storage OS's choice. */
  readonly disks: readonly string[];
}

export interface VolumeConfig {
  readonly name: string;
  readonly aggregate: string;
  readonly sizeMb: number;
  /**
   * The volume's fsid, unique in the whole lab (file handles carry it, so a takeover that serves two
   * filers' volumes never mixes them up); written to disk when the volume is created.
   */
  readonly fsid: number;
}

export interface FilerConfig {
  readonly name: string;
  /** Ten digits, as ONTAP shows it (`disk show -v`); also the SCSI-3 reservation key of this filer. */
  readonly systemId: string;
  /** The HA partner's actor id, if this filer is in a pair. */
  readonly partner?: ActorId;
  /** The partner's system id: its SCSI-3 reservation key, which a takeover preempts. */
  readonly partnerSystemId?: string;
  /** The partner's mailbox disks (first members of its root aggregate), read for its disk heartbeat. */
  readonly partnerMailboxDisks?: readonly string[];
  /** `warm`: powered on and serving at time 0; `cold`: powered on at the loader prompt. */
  readonly start: 'warm' | 'cold';
  readonly fcPorts: readonly FcPortConfig[];
  readonly ethernetPorts: readonly EthernetPortConfig[];
  /** Interconnect ports, `ic0` `ic1`. */
  readonly interconnectPorts: readonly PortName[];
  readonly nvramBytes: number;
  readonly aggregates: readonly AggregateConfig[];
  readonly volumes: readonly VolumeConfig[];
  /** Spare disks owned by this filer (`shelf1.13`). */
  readonly spares: readonly string[];
  /** Vservers whose home is this filer (its own identity first). */
  readonly vservers: readonly VserverConfig[];
  /**
   * Every vserver of the lab, home or not: a takeover (or seed 004's moves) serves a vserver on a node
   * that is not its home, and a request is resolved through the vserver it was addressed to.
   */
  readonly labVservers: readonly VserverConfig[];
  /** Free-form ONTAP options from the lab file (`cf.takeover.detection.seconds: 15`). */
  readonly options: Readonly<Record<string, string>>;
}

export type PortKind = 'fc' | 'ethernet' | 'interconnect';

export interface ChassisPort {
  readonly kind: PortKind;
  /** The port's own transceiver: off when powered off, faulted (`fault filerA:e0a down`) or `ifconfig down`. */
  enabled: boolean;
  /** Carrier as last reported by a `link` event. */
  link: boolean;
  /** A `down` fault injected on this port. */
  faulted: boolean;
  /** Administratively down (`ifconfig e0a down`), set by the OS. */
  adminDown: boolean;
  /** `ifconfig <port> nfo`: the port is watched for negotiated failover (Ethernet ports only). */
  nfo?: boolean;
}

/**
 * Where the machine is in its boot. The chassis moves off → firmware on power; the console subsystem
 * (ONTAP's) drives loader → booting → running → halted; panic and hang come from faults or the OS.
 *  - off: no power.
 *  - firmware: power-on self test, before the loader prompt.
 *  - loader: at `LOADER-A>`, waiting for `boot_ontap`.
 *  - booting: the OS is starting (mounting, replaying NVRAM).
 *  - running: the OS is up and may serve.
 *  - halted: the OS stopped cleanly (`halt`), back at the loader or waiting for giveback.
 *  - panicked: the OS crashed; the console shows the panic; power cycle or reboot to recover.
 *  - hung: the processor stopped making progress; nothing is handled until `clear hang` or power off.
 */
export type BootState = 'off' | 'firmware' | 'loader' | 'booting' | 'running' | 'halted' | 'panicked' | 'hung';

export interface NvramHalf {
  /** Log entries; their content belongs to the storage OS. */
  entries: unknown[];
  bytes: number;
  /**
   * State the OS keeps beside its log in the same battery-backed half (seed 003: the CIFS sessions and
   * the flag that says who restores them). Absent until the OS writes it; lost with the log.
   */
  saved?: unknown;
  /**
   * A clean shutdown for the partner's takeover (seed 000 claims 36/57): why, when, and how many
   * requests it handed over unprocessed. Written before the halt, mirrored to the partner's half.
   */
  shutdown?: { readonly cause: string; readonly atUs: number; readonly requests: number };
}

export interface NvramCard {
  batteryOk: boolean;
  capacityBytes: number;
  /** This filer's own log. */
  local: NvramHalf;
  /** The mirror of the partner's log, received over the interconnect. */
  partner: NvramHalf;
  /** Set when power was lost with a bad battery: the contents are gone (the OS reports it at boot). */
  contentsLost: boolean;
  /**
   * Lab bookkeeping, not the card's: the entries the last power loss on a bad battery wiped (both
   * halves), for the OS's subsystems to account for as the power goes (then null). Optional: older saved labs.
   */
  wipedAtPowerOff?: { readonly local: unknown[]; readonly partner: unknown[] } | null;
}

export interface Sensors {
  /** Each fan: true while it spins. */
  fans: boolean[];
  /** Each power supply: true while it delivers. */
  psus: boolean[];
  /** Ambient temperature in degrees Celsius. */
  temperatureC: number;
}

/** Faults a filer chassis accepts (`fault filerA <kind>`); port faults are `fault filerA:e0a down`. */
export const FILER_FAULTS = ['panic', 'hang', 'nvram-battery', 'overtemp', 'fan', 'psu'] as const;
export type FilerFault = (typeof FILER_FAULTS)[number];

export interface ChassisState {
  power: 'on' | 'off';
  boot: BootState;
  nvram: NvramCard;
  ports: Record<PortName, ChassisPort>;
  sensors: Sensors;
  /** Active injected faults, in the order injected. */
  faults: FilerFault[];
  /** Where the boot was when the machine hung: a cleared hang resumes there. */
  bootBeforeHang: BootState | null;
  /**
   * Timers and carrier changes that came while the machine hung, in order: a hung CPU takes its pending
   * interrupts when it resumes (frames that came meanwhile are lost, as from an overrun ring).
   */
  heldWhileHung?: ActorEvent[];
  /** Why the last panic happened (shown by the console). */
  panicReason: string | null;
  /** Core dumps written after panics (on the product, to the disks; `savecore` lists them). Optional: older saved labs. */
  coreDumps?: { readonly atUs: number; readonly reason: string }[];
  /** Number of times the chassis was powered on (boots since lab start). */
  powerCycles: number;
  /**
   * What each shelf's enclosure services last reported, by shelf actor id (SES pages the FC adapters keep
   * across an OS reboot; lost with power). A shelf not listed is normal. Optional: older saved labs.
   */
  shelfEnvironment?: Record<ActorId, ShelfEnvironment>;
}

/** A shelf's environment as its enclosure services report it (scsi.ts 'shelf.environment-report'). */
export interface ShelfEnvironment {
  readonly psus: readonly boolean[];
  readonly temperaturesC: readonly number[];
}

export const NORMAL_TEMPERATURE_C = 27;
export const OVERTEMP_TEMPERATURE_C = 58;
/** How much warmer the chassis runs with one fan stopped. */
export const FAN_FAILED_EXTRA_C = 4;
export const FAN_COUNT = 4;
export const PSU_COUNT = 2;

export function portKindsOf(config: FilerConfig): Record<PortName, PortKind> {
  const kinds: Record<PortName, PortKind> = {};
  for (const fc of config.fcPorts) kinds[fc.port] = 'fc';
  for (const eth of config.ethernetPorts) kinds[eth.port] = 'ethernet';
  for (const ic of config.interconnectPorts) kinds[ic] = 'interconnect';
  return kinds;
}

export function createChassis(config: FilerConfig): ChassisState {
  const ports: Record<PortName, ChassisPort> = {};
  for (const [port, kind] of Object.entries(portKindsOf(config))) {
    ports[port] = { kind, enabled: false, link: false, faulted: false, adminDown: false };
  }
  return {
    power: 'off',
    boot: 'off',
    nvram: {
      batteryOk: true,
      capacityBytes: config.nvramBytes,
      local: { entries: [], bytes: 0 },
      partner: { entries: [], bytes: 0 },
      contentsLost: false,
    },
    ports,
    sensors: {
      fans: Array.from({ length: FAN_COUNT }, () => true),
      psus: Array.from({ length: PSU_COUNT }, () => true),
      temperatureC: NORMAL_TEMPERATURE_C,
    },
    faults: [],
    bootBeforeHang: null,
    panicReason: null,
    powerCycles: 0,
  };
}
