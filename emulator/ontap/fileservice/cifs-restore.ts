// Restoring seed 003's CIFS state (claims 16–21, Figs. 2–4): when this filer serves its own vservers
// again after a boot, it rebuilds their sessions from its own NVRAM half if the flag says recovery is
// by reboot; when it serves a partner's vserver after a takeover, it rebuilds them from the partner's
// half if the flag says takeover. The flag decides, so a filer whose sessions were taken over does not
// resurrect them when it boots. Then the requests the crash interrupted resume at the step they had
// reached (cifs-points.ts): a reply is sent again, an acknowledged request is processed, a started one
// is finished from the NVRAM log replay when that already did it, else repeated.
import type { ActorContext } from '../../engine/actor.ts';
import type { VserverConfig } from '../../hardware/filer/chassis.ts';
import type { FilerState } from '../../hardware/filer/subsystem.ts';
import { logEms } from '../ems.ts';
import { cifsOf, executeCifs } from './cifs-server.ts';
import { isTakeoverFlag, localSaved, partnerSaved, persistentStateOn } from './cifs-nvram.ts';
import {
  restoreVserverInto, savedStateProblems, type CifsRestoreRecord, type RestoredCounts, type ReplayedCifsOp, type SavedCifsState,
} from './cifs-persist-state.ts';
import { completeRequest, componentCompleted, resentRequest, startRequest } from './cifs-points.ts';
import {
  addOpen, chainsOf, componentRequest, createCifsState, requestKey, type CifsRequestRecord, type CifsServerState,
} from './cifs-state.ts';
import { cifsResponse, type CifsRequest, type CifsResponse } from './cifs-wire.ts';
import { fileHandle } from './file-handle.ts';
import { servedAddress, type ServeDoor } from './serve-door.ts';
import type { FileServiceState } from './state.ts';

export const CIFS_RESUME_TIMER = 'cifs.resume';

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function countsText(counts: RestoredCounts): string {
  return `${plural(counts.sessions, 'session')}, ${plural(counts.treeConnects, 'tree connect')}, ${plural(counts.openFiles, 'open file')}, ${plural(counts.locks, 'lock')}`;
}

function record(fs: FileServiceState, ctx: ActorContext, saved: SavedCifsState | null, kind: CifsRestoreRecord['kind'],
  source: CifsRestoreRecord['source'], counts: RestoredCounts, skipped: string | null): void {
  // The record read is checked whole, whether or not this filer restores from it.
  const problems = saved ? savedStateProblems(saved.cifs) : [];
  fs.persist.lastRestore = {
    flag: saved?.flag ?? null, kind, source, atMs: ctx.now / 1000, ...counts, skipped,
    consistent: saved ? problems.length === 0 : null, ...(problems.length > 0 ? { problems } : {}),
  };
}

const NONE: RestoredCounts = { sessions: 0, treeConnects: 0, openFiles: 0, locks: 0, pendingRequests: 0 };

/**
 * The OS boots: a record whose flag gives the sessions to the partner's takeover is not for this filer
 * (claims 16/37). Said now, before the filer waits for giveback, so that the trainee sees the decision.
 */
export function announceAtBoot(fs: FileServiceState, filer: FilerState, ctx: ActorContext): void {
  const saved = localSaved(filer);
  // Noted now: storage may fetch its log back from the partner's mirror (and clear the chassis's mark)
  // before the file service restores. A record this filer saved and no longer finds went with the power.
  const lost = persistentStateOn(filer) && (filer.chassis.nvram.contentsLost || (fs.persist.lastSave !== null && !saved));
  // Written only when there is something to say (a classic filer's state keeps its shape).
  if (lost || fs.persist.lostAtBoot) fs.persist.lostAtBoot = lost ? 'the NVRAM contents were lost (power lost with the battery low)' : null;
  if (!persistentStateOn(filer) || !saved || saved.owner !== filer.config.name || !isTakeoverFlag(saved.flag)) return;
  record(fs, ctx, saved, 'reboot', 'local-nvram', NONE, 'the flag gives the sessions to the partner\'s takeover');
  logEms(filer, ctx, 'cifs.state.restore', 'notice', `CIFS state in NVRAM belongs to partner takeover (flag: ${saved.flag}); not restored locally.`);
}

/** This filer serves its own vservers again after a boot: restore from its own NVRAM if the flag says reboot. */
export function restoreAtBoot(fs: FileServiceState, filer: FilerState, ctx: ActorContext, vservers: readonly VserverConfig[]): void {
  if (!persistentStateOn(filer)) return;
  const saved = localSaved(filer);
  if (!saved || saved.owner !== filer.config.name) {
    const why = fs.persist.lostAtBoot ?? (filer.chassis.nvram.contentsLost ? 'the NVRAM contents were lost (battery)' : 'no CIFS state in NVRAM');
    record(fs, ctx, null, 'reboot', 'local-nvram', NONE, why);
    logEms(filer, ctx, 'cifs.state.restore', 'warning', `CIFS persistent state: nothing restored: ${why}.`);
    return;
  }
  // Said at boot already (announceAtBoot); the record is overwritten by the next save.
  if (isTakeoverFlag(saved.flag)) return;
  const counts = { ...NONE };
  for (const vserver of vservers) add(counts, restoreVserverInto(fs.cifs, saved.cifs, vserver.name, ''));
  record(fs, ctx, saved, 'reboot', 'local-nvram', counts, null);
  logEms(filer, ctx, 'cifs.state.restore', 'notice',
    `restored ${countsText(counts)} from local NVRAM (flag: ${saved.flag}); ${plural(counts.pendingRequests, 'request')} pending.`);
  for (const vserver of vservers) ctx.setTimer(0, { kind: CIFS_RESUME_TIMER, vserver: vserver.name });
}

/** This filer serves a partner's vserver after a takeover: restore its sessions from the partner's half. */
export function adoptAtTakeover(fs: FileServiceState, filer: FilerState, ctx: ActorContext, vserver: VserverConfig, storagePrefix: string): void {
  const saved = partnerSaved(filer);
  // The partner kept no persistent state (its option off): the classic takeover, nothing to say.
  if (!saved || saved.owner !== vserver.home || fs.persist.adopted[vserver.name]) return;
  if (!isTakeoverFlag(saved.flag)) {
    record(fs, ctx, saved, 'takeover', 'partner-nvram', NONE, 'the flag says the partner reboots');
    logEms(filer, ctx, 'cifs.state.restore', 'notice', `${vserver.home}'s CIFS state (flag: ${saved.flag}) is for its own reboot; not restored here.`);
    return;
  }
  const state = createCifsState();
  const counts = restoreVserverInto(state, saved.cifs, vserver.name, storagePrefix);
  fs.persist.adopted[vserver.name] = state;
  record(fs, ctx, saved, 'takeover', 'partner-nvram', counts, null);
  logEms(filer, ctx, 'cifs.state.restore', 'notice',
    `restored ${vserver.home}'s ${countsText(counts)} from partner NVRAM (flag: ${saved.flag}); ${plural(counts.pendingRequests, 'request')} pending.`);
  ctx.setTimer(0, { kind: CIFS_RESUME_TIMER, vserver: vserver.name });
}

function add(into: RestoredCounts, counts: RestoredCounts): void {
  into.sessions += counts.sessions;
  into.treeConnects += counts.treeConnects;
  into.openFiles += counts.openFiles;
  into.locks += counts.locks;
  into.pendingRequests += counts.pendingRequests;
}

/** The reply a started request gets when the NVRAM log replay shows its operation was done. */
function replyFromReplay(door: ServeDoor, state: CifsServerState, request: CifsRequest, done: ReplayedCifsOp): CifsResponse {
  const command = request.request;
  if (command.command === 'CREATE' && done.op.op === 'create') {
    const volume = door.storage.volumes[done.volume];
    const generation = volume?.inodes[done.op.fileId]?.generation ?? done.op.generation;
    const fid = addOpen(state, command.uid, command.tid, command.path, fileHandle(volume?.fsid ?? 0, done.op.fileId, generation), door.ctx.now);
    return cifsResponse(request, 'STATUS_SUCCESS', { fid });
  }
  if (command.command === 'WRITE') return cifsResponse(request, 'STATUS_SUCCESS', { count: command.data.length });
  return cifsResponse(request, 'STATUS_SUCCESS');
}

/** The logged operation each modifying command makes (a chain's component must match its own). */
const LOGGED_AS: Partial<Record<string, readonly string[]>> = {
  CREATE: ['create', 'setattr'], WRITE: ['write'], SET_EOF: ['setattr'], RENAME: ['rename'], DELETE: ['remove'],
};

/** The replayed operation of a started request, if the replay did it (a chain: of its current component). */
function replayedOp(door: ServeDoor, held: CifsRequestRecord, component: CifsRequest): ReplayedCifsOp | undefined {
  const key = requestKey(held.connection, held.mid);
  if (held.request.request.command !== 'ANDX') return door.fs.persist.replayed.find((op) => op.request === key);
  // Earlier components of the chain logged under the same mid: only an operation of this component counts.
  const kinds = LOGGED_AS[component.request.command] ?? [];
  const found = door.fs.persist.replayed.filter((op) => op.request === key && kinds.includes(op.op.op));
  return found[found.length - 1];
}

/** The resume timer: every restored request of the vserver goes on from the step it had reached. */
export function resumeRestored(door: ServeDoor, vserver: string): void {
  const state = cifsOf(door.fs, vserver);
  const counters = door.fs.persist.counters;
  const records = Object.keys(state.inProgress).sort().map((key) => state.inProgress[key]);
  for (const held of records) {
    const connection = state.connections[held.connection];
    const served = connection ? servedAddress(door.fs, connection.serverAddress) : undefined;
    if (!connection || !served) continue;
    const client = connection.clientAddress;
    if (held.stage === 'completed') {
      counters.repliesResent += 1;
      resentRequest(door, held, served.address, client);
    } else if (held.stage === 'acked') {
      counters.redelivered += 1;
      startRequest(door, state, served, client, held, executeCifs);
    } else {
      const chain = chainsOf(state)[requestKey(held.connection, held.mid)];
      const composite = held.request.request.command === 'ANDX';
      const component = componentRequest(held.request, chain?.index ?? 0);
      const done = replayedOp(door, held, component);
      // A chain that got past its first component goes on from the one it reached (claims 21/42).
      if (composite && chain && chain.index > 0) counters.resumedPartial += 1;
      if (done && composite) {
        counters.notRepeated += 1;
        componentCompleted(door, state, served.address, client, held, replyFromReplay(door, state, component, done), executeCifs);
      } else if (done) {
        counters.notRepeated += 1;
        completeRequest(door, state, served.address, client, held, replyFromReplay(door, state, component, done));
      } else {
        counters.startedOps += 1;
        startRequest(door, state, served, client, held, executeCifs);
      }
    }
    // A `panic-at` sprang during the resume: nothing after a panic runs.
    if (door.fs.status === 'stopped') return;
  }
}
