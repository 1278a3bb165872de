// A disk shelf (DESIGN.md §3): 14 bays, two I/O modules A and B, each with an in port and an out port
// (`A`, `A.out`, `B`, `B.out`) so shelves chain into a loop. A SCSI request addressed to this shelf is
// answered on the port it came in by; anything else (requests for shelves further on, answers going
// back to their initiator) goes out the other port of the same module.
//
// Faults: `power` (the shelf loses power: ports dark, disks not ready, reservations lost — they do not
// survive a shelf power cycle), `psu` (one supply fails: a warning only), port `down`, and per disk
// `fail`, `media-error [lba]`, `slow`, `pulled` (args: bay first). `pulled` takes the disk out of its bay;
// clearing it pushes a new disk in (blank, a new serial number, no owner): how a failed disk is really
// replaced. A disk that fails, is pulled or is inserted is reported out of every port ('shelf.disk-report',
// scsi.ts) for the filers on both loops; so is a change of its power supplies ('shelf.environment-report').
import type { ActorBehavior, ActorContext, ActorEvent, ActorId, ActorInput, Payload, PortName } from '../../engine/actor.ts';
import {
  SHELF_DISK_REPORT_KIND, SHELF_ENVIRONMENT_REPORT_KIND, type ScsiRequestFrame, type ScsiResponseFrame, type ShelfDiskReportFrame,
  type ShelfEnvironmentReportFrame,
} from '../scsi.ts';
import { BAYS_PER_SHELF } from '../disk-names.ts';
import { PSU_COUNT_PER_SHELF, SHELF_TEMPERATURES_C } from './shelf-model.ts';
import { viewPaths } from '../view-paths.ts';
import { createDisk, DISK_SERVICE_US, executeCommand, SLOW_EXTRA_US, type DiskState } from './disk.ts';
import { diskViewState, publishBay, publishBayOwner, publishShelfView } from './shelf-view.ts';

export const SHELF_PORTS = ['A', 'A.out', 'B', 'B.out'] as const;
export const SHELF_FAULTS = ['power', 'psu'] as const;
export const DISK_FAULTS = ['fail', 'media-error', 'slow', 'pulled'] as const;

export interface ShelfConfig {
  readonly name: string;
  /** The id set on the shelf's switch (1, 2, …): loop ids 16*id + bay. */
  readonly shelfId: number;
  readonly diskSizeMb: number;
  /** Populated bays and who owns each disk. */
  readonly disks: readonly { readonly bay: number; readonly owner: string | null }[];
}

export interface ShelfState {
  readonly self: ActorId;
  readonly shelfId: number;
  /** The operator's power switch (`power shelf1 off`). */
  switchedOn: boolean;
  faults: string[];
  /** Port faults by port name. */
  portFaults: string[];
  psus: boolean[];
  /** By bay; null for an empty bay. */
  bays: (DiskState | null)[];
  /** By bay: how many new disks were pushed into it (their serial numbers end X1, X2, …). Absent in older saves. */
  insertions?: number[];
  /** The capacity of the shelf's disks in 4 KiB blocks, for a disk inserted later. Absent in older saves. */
  diskBlocks?: number;
  /** The running chain of repeated environment reports (a timer of an older chain is ignored). Absent in older saves. */
  sesReportCycle?: number;
}

const SES_REPORT_TIMER = 'shelf.ses-report';
const SES_REPORT_INTERVAL_US = 60_000_000;

export function shelfHasPower(state: ShelfState): boolean {
  return state.switchedOn && !state.faults.includes('power');
}

export const shelfBehavior: ActorBehavior<ShelfState, ShelfConfig> = {
  kind: 'shelf',
  ports: () => [...SHELF_PORTS],
  create(config, self) {
    const blocks = Math.floor((config.diskSizeMb * 1024 * 1024) / 4096);
    const bays: (DiskState | null)[] = Array.from({ length: BAYS_PER_SHELF }, () => null);
    for (const disk of config.disks) {
      bays[disk.bay] = createDisk(disk.bay, serialOf(config.shelfId, disk.bay), blocks, disk.owner);
    }
    return { self, shelfId: config.shelfId, switchedOn: true, faults: [], portFaults: [], psus: Array.from({ length: PSU_COUNT_PER_SHELF }, () => true), bays, diskBlocks: blocks };
  },
  handle(state, event, ctx) {
    handleShelfEvent(state, event, ctx);
  },
  summarize(state) {
    const bays: Record<string, unknown> = {};
    state.bays.forEach((disk, bay) => {
      // An empty bay (never filled, or its disk pulled) says so: `shelves.shelf1.bays.7.state == "empty"`.
      bays[String(bay)] = disk ? { state: diskViewState(state, disk), owner: disk.owner, reservation: disk.reservation.holder } : { state: 'empty', owner: null, reservation: null };
    });
    return { shelves: { [state.self]: { power: shelfHasPower(state) ? 'on' : 'off', faults: [...state.faults], psus: [...state.psus], bays } } };
  },
};

function serialOf(shelfId: number, bay: number, insertion = 0): string {
  return `FL${String(shelfId).padStart(2, '0')}${String(bay).padStart(2, '0')}X${insertion}`;
}

function handleShelfEvent(state: ShelfState, event: ActorEvent, ctx: ActorContext): void {
  switch (event.type) {
    case 'start':
      refreshPorts(state, ctx);
      publishShelfView(state, ctx);
      return;
    case 'input':
      handleInput(state, event.input, ctx);
      return;
    case 'link':
      ctx.publish(viewPaths.portLink(state.self, event.port), event.up);
      // A filer that comes up on this loop learns what it missed; a normal shelf stays quiet.
      if (event.up && shelfHasPower(state) && state.psus.some((ok) => !ok)) reportEnvironment(state, ctx, [event.port]);
      return;
    case 'message':
      if (shelfHasPower(state)) handleFrame(state, event.port, event.payload, ctx);
      return;
    case 'timer':
      if (event.payload.kind === SES_REPORT_TIMER && event.payload['cycle'] === state.sesReportCycle) repeatEnvironmentReport(state, ctx);
      return;
  }
}

function handleFrame(state: ShelfState, port: PortName, payload: Payload, ctx: ActorContext): void {
  if (payload.kind === 'scsi.request') {
    const request = payload as unknown as ScsiRequestFrame;
    if (request.shelf === state.self) {
      answer(state, port, request, ctx);
      return;
    }
  }
  if (!FORWARDED_KINDS.has(payload.kind)) return;
  const onward = otherEnd(port);
  if (onward !== undefined) ctx.send(onward, payload);
}

/** What a shelf passes along its loop: SCSI exchanges and the shelves' own reports. */
const FORWARDED_KINDS = new Set(['scsi.request', 'scsi.response', SHELF_DISK_REPORT_KIND, SHELF_ENVIRONMENT_REPORT_KIND]);

/** The other port of the same I/O module: `A` ↔ `A.out`. */
export function otherEnd(port: PortName): PortName | undefined {
  if (port.endsWith('.out')) return port.slice(0, -'.out'.length);
  return SHELF_PORTS.includes(`${port}.out` as (typeof SHELF_PORTS)[number]) ? `${port}.out` : undefined;
}

function answer(state: ShelfState, port: PortName, request: ScsiRequestFrame, ctx: ActorContext): void {
  const disk = Number.isInteger(request.bay) ? state.bays[request.bay] : undefined;
  const result = disk ? executeCommand(disk, request.key, request.command, true) : { status: 'not-ready' as const };
  const response: ScsiResponseFrame = {
    kind: 'scsi.response', tag: request.tag, initiator: request.initiator, shelf: state.self, bay: request.bay, ...result,
  };
  const delay = DISK_SERVICE_US + (disk?.slow ? SLOW_EXTRA_US : 0);
  ctx.send(port, response as unknown as Payload, delay);
  if (disk) publishBay(state, disk, ctx, request.command.op.startsWith('pr-'));
  if (disk && request.command.op === 'owner-write' && result.status === 'good') publishBayOwner(state, disk, ctx);
}

function handleInput(state: ShelfState, input: ActorInput, ctx: ActorContext): void {
  const wasPowered = shelfHasPower(state);
  if (input.kind === 'power') state.switchedOn = input.on;
  else if (input.kind === 'fault' || input.kind === 'clear') applyFault(state, input, ctx);
  else return;
  const powered = shelfHasPower(state);
  if (wasPowered && !powered) {
    // SCSI-3 reservations live in the disks' volatile memory: a power cycle drops them.
    for (const disk of state.bays) if (disk) disk.reservation = { keys: [], holder: null };
    ctx.ems('shelf.power.lost', 'critical', `Shelf ${state.shelfId} (${state.self}) lost power.`);
  }
  if (!wasPowered && powered) ctx.ems('shelf.power.restored', 'notice', `Shelf ${state.shelfId} (${state.self}) is powered on.`);
  refreshPorts(state, ctx);
  publishShelfView(state, ctx);
}

function applyFault(state: ShelfState, input: Extract<ActorInput, { kind: 'fault' | 'clear' }>, ctx: ActorContext): void {
  const on = input.kind === 'fault';
  const kind = input.fault;
  if (kind === 'power' || kind === 'psu') {
    state.faults = on ? [...new Set([...state.faults, kind])] : state.faults.filter((f) => f !== kind);
    if (kind === 'psu') {
      const changed = state.psus[0] === on;
      state.psus[0] = !on;
      if (on) ctx.ems('shelf.psu.failed', 'warning', `Shelf ${state.shelfId}: power supply 1 failed; running on one supply.`);
      if (changed && shelfHasPower(state)) reportEnvironment(state, ctx, SHELF_PORTS);
      if (changed) armEnvironmentReports(state, ctx);
    }
    return;
  }
  if (kind === 'down') {
    const port = input.args[0] ?? '';
    state.portFaults = on ? [...new Set([...state.portFaults, port])] : state.portFaults.filter((p) => p !== port);
    return;
  }
  const bay = Number(input.args[0]);
  if (kind === 'pulled') {
    if (on) pullDisk(state, bay, ctx);
    else insertDisk(state, bay, ctx);
    return;
  }
  const disk = state.bays[bay];
  if (!disk) return;
  const wasFailed = disk.health === 'failed';
  if (kind === 'fail') disk.health = on ? 'failed' : 'ok';
  if (kind === 'slow') disk.slow = on;
  if (kind === 'media-error') {
    const lba = input.args[1] === undefined ? 0 : Number(input.args[1]);
    disk.mediaErrors = on ? [...new Set([...disk.mediaErrors, lba])] : [];
  }
  if (on && kind === 'fail') ctx.ems('disk.failed', 'error', `Disk ${state.self}.${disk.bay} (shelf ${state.shelfId} bay ${disk.bay}) failed.`);
  if (on && kind === 'fail' && !wasFailed && shelfHasPower(state)) reportFailedDisk(state, disk.bay, ctx);
}

/** The disk leaves its bay: its data, reservations and ownership go with it. */
function pullDisk(state: ShelfState, bay: number, ctx: ActorContext): void {
  const disk = state.bays[bay];
  if (!disk) return;
  state.bays[bay] = null;
  ctx.ems('shelf.disk.removed', 'warning', `Disk ${state.self}.${bay} (shelf ${state.shelfId} bay ${bay}, S/N ${disk.serial}) was removed.`);
  if (shelfHasPower(state)) reportDisk(state, bay, 'missing', ctx);
}

/** A new disk into an empty bay: blank, unowned, with a serial number no disk of this bay had. */
function insertDisk(state: ShelfState, bay: number, ctx: ActorContext): void {
  if (!Number.isInteger(bay) || bay < 0 || bay >= state.bays.length || state.bays[bay]) return;
  const insertions = state.insertions ?? Array.from({ length: state.bays.length }, () => 0);
  insertions[bay] += 1;
  state.insertions = insertions;
  const blocks = state.diskBlocks ?? Math.max(1, ...state.bays.map((disk) => disk?.blocks ?? 0));
  const disk = createDisk(bay, serialOf(state.shelfId, bay, insertions[bay]), blocks, null);
  state.bays[bay] = disk;
  ctx.ems('shelf.disk.inserted', 'notice', `Disk ${state.self}.${bay} (shelf ${state.shelfId} bay ${bay}, S/N ${disk.serial}) was inserted.`);
  if (shelfHasPower(state)) reportDisk(state, bay, 'inserted', ctx);
}

/** Tells both loops, both ways, that a disk failed: the filers notice now, not at their next I/O to it. */
function reportFailedDisk(state: ShelfState, bay: number, ctx: ActorContext): void {
  reportDisk(state, bay, 'failed', ctx);
}

function reportDisk(state: ShelfState, bay: number, health: ShelfDiskReportFrame['health'], ctx: ActorContext): void {
  const report: ShelfDiskReportFrame = { kind: SHELF_DISK_REPORT_KIND, shelf: state.self, bay, health };
  for (const port of SHELF_PORTS) {
    if (!state.portFaults.includes(port)) ctx.send(port, report as unknown as Payload);
  }
}

/**
 * While something is wrong the enclosure services say so again every minute, so a filer that came up
 * on the loop since (or rebooted) learns it; a normal shelf stays quiet. A new cycle cancels the old.
 */
function armEnvironmentReports(state: ShelfState, ctx: ActorContext): void {
  state.sesReportCycle = (state.sesReportCycle ?? 0) + 1;
  if (state.psus.some((ok) => !ok)) ctx.setTimer(SES_REPORT_INTERVAL_US, { kind: SES_REPORT_TIMER, cycle: state.sesReportCycle });
}

function repeatEnvironmentReport(state: ShelfState, ctx: ActorContext): void {
  if (!state.psus.some((ok) => !ok)) return;
  if (shelfHasPower(state)) reportEnvironment(state, ctx, SHELF_PORTS);
  ctx.setTimer(SES_REPORT_INTERVAL_US, { kind: SES_REPORT_TIMER, cycle: state.sesReportCycle ?? 0 });
}

/** Tells the filers on the given ports what the enclosure services see now. */
function reportEnvironment(state: ShelfState, ctx: ActorContext, ports: readonly PortName[]): void {
  const report: ShelfEnvironmentReportFrame = {
    kind: SHELF_ENVIRONMENT_REPORT_KIND, shelf: state.self, psus: [...state.psus], temperaturesC: [...SHELF_TEMPERATURES_C],
  };
  for (const port of ports) {
    if (!state.portFaults.includes(port)) ctx.send(port, report as unknown as Payload);
  }
}

function refreshPorts(state: ShelfState, ctx: ActorContext): void {
  const powered = shelfHasPower(state);
  for (const port of SHELF_PORTS) {
    const enabled = powered && !state.portFaults.includes(port);
    ctx.setPortEnabled(port, enabled);
    ctx.publish(viewPaths.portEnabled(state.self, port), enabled);
    ctx.publish(viewPaths.portLink(state.self, port), enabled && ctx.linkUp(port));
  }
}
