// The filer's multipath SCSI initiator over its FC ports (DESIGN.md §3): a library the storage
// subsystem calls, with state kept in the storage subsystem's slot (plain data).
//
// Every shelf is reachable over loop A and loop B. A request goes out on the shelf's active path (loop A
// first); if that port loses carrier, its outstanding requests are re-sent at once over the other loop;
// if no answer comes within IO_TIMEOUT_US (a loop broken further down the chain), it is re-sent over the
// next path. Only when every path has failed does the caller see 'transport-failure'. Block writes are
// idempotent, so re-sending a write whose answer was lost is safe.
//
// Usage from a subsystem's handle():
//   message 'scsi.response' on an FC port → handleFrame(); timer 'fc.timeout' → handleTimer();
//   link on an FC port → handleLink(). Each returns the completed I/Os: { cookie, response }.
import type { ActorContext, ActorId, Payload, PortName } from '../../engine/actor.ts';
import type { ReservationKey, ScsiCommand, ScsiRequestFrame, ScsiResponseFrame } from '../scsi.ts';
import { ontapDiskName } from '../disk-names.ts';
import type { FcPortConfig } from './chassis.ts';

export { diskComponent, ontapDiskName, parseDiskComponent, parseOntapDiskName, loopId } from '../disk-names.ts';

/** How long one attempt may take before it is re-sent over another path. */
export const IO_TIMEOUT_US = 2_000_000;
export const FC_TIMEOUT_KIND = 'fc.timeout';

export interface IoRequest {
  readonly shelf: ActorId;
  readonly bay: number;
  readonly key: ReservationKey;
  readonly command: ScsiCommand;
}

export interface IoCompletion {
  /** What the caller gave to submit(), to find its own context again. */
  readonly cookie: Payload;
  readonly response: ScsiResponseFrame;
  /** The port that answered, or null for a transport failure. */
  readonly port: PortName | null;
}

interface PendingIo {
  readonly request: IoRequest;
  readonly cookie: Payload;
  port: PortName;
  attempts: number;
  timerId: number;
}

export interface InitiatorState {
  readonly paths: readonly FcPortConfig[];
  nextTag: number;
  /** Outstanding requests by tag. */
  pending: Record<number, PendingIo>;
  /** The path each shelf is reached by now (sticky after a failover, like ONTAP's path selection). */
  activePort: Record<ActorId, PortName>;
  /** Requests re-sent on another path (a figure for `storage show` and tests). */
  pathFailovers: number;
}

export function createInitiator(paths: readonly FcPortConfig[]): InitiatorState {
  return { paths: paths.map((p) => ({ ...p, shelves: [...p.shelves] })), nextTag: 1, pending: {}, activePort: {}, pathFailovers: 0 };
}

// The ports to each shelf, by the initiator's `paths` (a config copy that never changes): every request
// asks, and filtering and sorting them each time showed in the lab's profile. Keyed by the array, so a
// restored lab (a fresh copy) works them out again, the same.
const portsToShelfByPaths = new WeakMap<readonly FcPortConfig[], Map<ActorId, readonly FcPortConfig[]>>();

/** Ports that reach the shelf, loop A first. */
export function portsToShelf(state: InitiatorState, shelf: ActorId): readonly FcPortConfig[] {
  let byShelf = portsToShelfByPaths.get(state.paths);
  if (byShelf === undefined) {
    byShelf = new Map();
    portsToShelfByPaths.set(state.paths, byShelf);
  }
  let ports = byShelf.get(shelf);
  if (ports === undefined) {
    ports = state.paths
      .filter((p) => p.shelves.some((s) => s.actor === shelf))
      .sort((x, y) => (x.loop === y.loop ? 0 : x.loop === 'A' ? -1 : 1));
    byShelf.set(shelf, ports);
  }
  return ports;
}

/** Sends a SCSI command; its completion comes back from handleFrame/handleTimer/handleLink. */
export function submit(state: InitiatorState, ctx: ActorContext, request: IoRequest, cookie: Payload): number {
  const tag = state.nextTag;
  state.nextTag += 1;
  const pending: PendingIo = { request, cookie, port: '', attempts: 0, timerId: -1 };
  state.pending[tag] = pending;
  sendAttempt(state, ctx, tag, pending, undefined);
  return tag;
}

function sendAttempt(state: InitiatorState, ctx: ActorContext, tag: number, pending: PendingIo, avoid: PortName | undefined): void {
  const port = choosePort(state, ctx, pending.request.shelf, avoid);
  const maxAttempts = portsToShelf(state, pending.request.shelf).length + 1;
  pending.attempts += 1;
  if (port === undefined || pending.attempts > maxAttempts) {
    // No live path: fail on the next tick, through the same timer door as a timeout.
    pending.port = '';
    pending.timerId = ctx.setTimer(0, { kind: FC_TIMEOUT_KIND, tag, final: true });
    return;
  }
  if (pending.attempts > 1) state.pathFailovers += 1;
  pending.port = port;
  state.activePort[pending.request.shelf] = port;
  // The request's fields written out, in its order, rather than spread: the frame is the same.
  const request = pending.request;
  const frame: ScsiRequestFrame = {
    kind: 'scsi.request', tag, initiator: ctx.self, shelf: request.shelf, bay: request.bay, key: request.key, command: request.command,
  };
  ctx.send(port, frame as unknown as Payload);
  pending.timerId = ctx.setTimer(IO_TIMEOUT_US, { kind: FC_TIMEOUT_KIND, tag, final: false });
}

/** The shelf's active port while it is a candidate (up, not avoided), else the first candidate. A plain loop: runs per request. */
function choosePort(state: InitiatorState, ctx: ActorContext, shelf: ActorId, avoid: PortName | undefined): PortName | undefined {
  const active = state.activePort[shelf];
  let first: PortName | undefined;
  for (const { port } of portsToShelf(state, shelf)) {
    if (port === avoid || !ctx.linkUp(port)) continue;
    if (port === active) return active;
    first ??= port;
  }
  return first;
}

/** A frame that arrived on an FC port; the completion when it answers one of our requests. */
export function handleFrame(state: InitiatorState, ctx: ActorContext, port: PortName, frame: Payload): IoCompletion | undefined {
  if (frame.kind !== 'scsi.response') return undefined;
  const response = frame as unknown as ScsiResponseFrame;
  if (response.initiator !== ctx.self) return undefined;
  const pending = state.pending[response.tag];
  // A late answer to an attempt already re-sent elsewhere and answered: nothing to do.
  if (!pending) return undefined;
  delete state.pending[response.tag];
  ctx.cancelTimer(pending.timerId);
  return { cookie: pending.cookie, response, port };
}

/** A timer of ours; returns the completions (a transport failure), or undefined when it is not ours. */
export function handleTimer(state: InitiatorState, ctx: ActorContext, payload: Payload): IoCompletion[] | undefined {
  if (payload.kind !== FC_TIMEOUT_KIND) return undefined;
  const tag = payload['tag'] as number;
  const pending = state.pending[tag];
  if (!pending) return [];
  if (payload['final'] === true) return [fail(state, tag, pending)];
  sendAttempt(state, ctx, tag, pending, pending.port);
  return [];
}

/** Carrier change on one of our ports: requests in flight there move to another path at once. */
export function handleLink(state: InitiatorState, ctx: ActorContext, port: PortName, up: boolean): IoCompletion[] {
  if (up) return [];
  for (const [shelf, active] of Object.entries(state.activePort)) {
    if (active === port) delete state.activePort[shelf];
  }
  for (const [tagText, pending] of Object.entries(state.pending)) {
    if (pending.port !== port) continue;
    ctx.cancelTimer(pending.timerId);
    sendAttempt(state, ctx, Number(tagText), pending, port);
  }
  return [];
}

function fail(state: InitiatorState, tag: number, pending: PendingIo): IoCompletion {
  delete state.pending[tag];
  const response: ScsiResponseFrame = {
    kind: 'scsi.response', tag, initiator: '', shelf: pending.request.shelf, bay: pending.request.bay, status: 'transport-failure',
  };
  return { cookie: pending.cookie, response, port: null };
}

export interface DiskPath {
  readonly port: PortName;
  readonly loop: 'A' | 'B';
  /** ONTAP's name of the disk over this path, `0a.19`. */
  readonly name: string;
  readonly up: boolean;
}

/** Both paths to a disk, loop A first (`storage show disk -p`: primary, secondary). */
export function diskPaths(state: InitiatorState, ctx: ActorContext, shelf: ActorId, bay: number): DiskPath[] {
  return portsToShelf(state, shelf).map((p) => {
    const ref = p.shelves.find((s) => s.actor === shelf);
    return { port: p.port, loop: p.loop, name: ontapDiskName(p.port, ref ? ref.shelfId : 0, bay), up: ctx.linkUp(p.port) };
  });
}

/** The loop a shelf is reached by now (CHAN `FC:A` / `FC:B`), or null when no path is up. */
export function currentPath(state: InitiatorState, ctx: ActorContext, shelf: ActorId): { port: PortName; loop: 'A' | 'B' } | null {
  const port = choosePort(state, ctx, shelf, undefined);
  if (port === undefined) return null;
  const config = state.paths.find((p) => p.port === port);
  return config ? { port, loop: config.loop } : null;
}
