// What the file service shows the lab window: the addresses each Ethernet port carries (tags on the
// diagram that move with a takeover) and whether it serves. Published when they change: at os-boot,
// when storage comes online, at halt, panic and power-off (and by HA when addresses move).
//
//   <filer>.ports.<port>.addresses   string[]  vserver addresses this port answers on
//   <filer>.fileservice              FileServiceStatus: 'stopped' | 'waiting-for-storage' | 'serving'
//   <filer>.cifs.sessions            CifsSessionView[]  (emulator/protocol/cifs-view.ts)
//   <filer>.nvram.cifs               CifsNvramView: seed 003's record in both NVRAM halves
import type { ActorContext } from '../../engine/actor.ts';
import type { FilerState } from '../../hardware/filer/subsystem.ts';
import { cifsViewPaths } from '../../protocol/cifs-view.ts';
import type { CifsNvramRecordView, CifsNvramView, CifsPendingView, CifsSavedSessionView, CifsSessionView } from '../../protocol/cifs-view.ts';
import { localSaved, partnerSaved, persistentStateOn } from './cifs-nvram.ts';
import type { SavedCifsState } from './cifs-persist-state.ts';
import { sessionCount, type CifsServerState } from './cifs-state.ts';
import type { FileServiceState } from './state.ts';

export function publishFileServiceView(state: FileServiceState, filer: FilerState, ctx: ActorContext): void {
  for (const { port } of filer.config.ethernetPorts) {
    ctx.publish(`${state.self}.ports.${port}.addresses`, state.served.filter((served) => served.port === port).map((served) => served.address));
  }
  ctx.publish(`${state.self}.fileservice`, state.status);
  publishCifsView(state, filer, ctx);
}

/**
 * What this filer last published of CIFS: cheap keys that change whenever the views could (counts and
 * id counters of the live state, the identity of each NVRAM record, which every save replaces), and
 * the JSON of each view. The view's memory, never the lab's: the trace hash does not see it. The keys
 * are arrays updated in place: they are compared after every filer event, and building a string or
 * an array each time was a visible share of a ha-pair run.
 */
interface PublishedCifs {
  liveKey: unknown[];
  sessionsJson: string;
  nvramKey: unknown[];
  nvramJson: string;
}

const publishedBy = new WeakMap<FilerState, PublishedCifs>();

/** Called with every file service view and after every filer event: publishes what changed. */
export function publishCifsView(state: FileServiceState, filer: FilerState, ctx: ActorContext): void {
  let seen = publishedBy.get(filer);
  if (!seen) {
    seen = { liveKey: [], sessionsJson: '', nvramKey: [], nvramJson: '' };
    publishedBy.set(filer, seen);
  }
  if (liveStateChanged(state, seen.liveKey)) {
    const sessions = liveSessions(state);
    const json = JSON.stringify(sessions);
    if (json !== seen.sessionsJson) {
      seen.sessionsJson = json;
      ctx.publish(cifsViewPaths.sessions(state.self), sessions);
    }
  }
  const local = filer.chassis.nvram.local.saved;
  const partner = filer.chassis.nvram.partner.saved;
  const on = persistentStateOn(filer);
  const nvramKey = seen.nvramKey;
  const first = nvramKey.length === 0;
  // Every part written first: `||` would stop at the first change and leave the others stale.
  const localChanged = put(nvramKey, 0, local);
  const partnerChanged = put(nvramKey, 1, partner);
  const onChanged = put(nvramKey, 2, on);
  const restoreChanged = put(nvramKey, 3, state.persist.lastRestore);
  if (first || localChanged || partnerChanged || onChanged || restoreChanged) {
    const view: CifsNvramView = {
      persistentState: on ? 'on' : 'off',
      local: recordView(localSaved(filer)),
      partner: recordView(partnerSaved(filer)),
      lastRestore: state.persist.lastRestore,
    };
    const json = JSON.stringify(view);
    if (json !== seen.nvramJson) {
      seen.nvramJson = json;
      ctx.publish(cifsViewPaths.nvram(state.self), view);
    }
  }
}

/** Sets key[at] to value; true when it was different (or missing). */
function put(key: unknown[], at: number, value: unknown): boolean {
  if (at < key.length && key[at] === value) return false;
  key[at] = value;
  return true;
}

/** Sessions and tree connects only: open files and locks come and go with every op (the record has them). */
function putCounts(key: unknown[], at: number, cifs: CifsServerState): boolean {
  const uid = put(key, at, cifs.nextUid);
  const tid = put(key, at + 1, cifs.nextTid);
  return put(key, at + 2, sessionCount(cifs)) || uid || tid;
}

/** Brings `key` up to date with what the session view depends on; true when any of it changed. */
function liveStateChanged(state: FileServiceState, key: unknown[]): boolean {
  let changed = put(key, 0, state.status);
  let at = 1;
  if (state.status === 'serving') {
    changed = put(key, at++, state.startedUs) || changed;
    changed = putCounts(key, at, state.cifs) || changed;
    at += 3;
    for (const vserver in state.persist.adopted) {
      if (!Object.hasOwn(state.persist.adopted, vserver)) continue;
      changed = put(key, at++, vserver) || changed;
      changed = putCounts(key, at, state.persist.adopted[vserver]) || changed;
      at += 3;
    }
  }
  if (key.length !== at) {
    key.length = at;
    changed = true;
  }
  return changed;
}

/** The sessions this filer holds: none unless it serves; its own, then those adopted at takeover. */
function liveSessions(state: FileServiceState): CifsSessionView[] {
  if (state.status !== 'serving') return [];
  const startedUs = state.startedUs ?? 0;
  const own = sessionsOf(state.cifs, (openedUs) => (openedUs < startedUs ? { restored: 'reboot', from: null } : { restored: null, from: null }));
  const adopted = Object.entries(state.persist.adopted).flatMap(([vserver, cifs]) => {
    const prefix = state.served.find((served) => served.vserver === vserver)?.storagePrefix ?? '';
    const from = prefix.endsWith(':') ? prefix.slice(0, -1) : vserver;
    return sessionsOf(cifs, () => ({ restored: 'takeover', from }));
  });
  return [...own, ...adopted];
}

type Origin = Pick<CifsSessionView, 'restored' | 'from'>;

function sessionsOf(cifs: CifsServerState, origin: (openedUs: number) => Origin): CifsSessionView[] {
  return Object.values(cifs.sessions).sort((left, right) => left.uid - right.uid).map((session) => {
    const connection = cifs.connections[session.connection];
    return {
      uid: session.uid,
      vserver: connection?.vserver ?? '',
      clientAddress: connection?.clientAddress ?? session.connection.split('/')[0],
      workstation: session.workstation,
      user: session.user,
      trees: Object.values(session.trees).map((tree) => tree.share),
      ...origin(session.openedUs),
    };
  });
}

/** A saved session with what it had open (a record keeps open files and locks; the live view does not). */
function savedSessionsOf(cifs: CifsServerState): CifsSavedSessionView[] {
  return sessionsOf(cifs, () => ({ restored: null, from: null })).map((session) => {
    const fids = new Set(Object.values(cifs.opens).filter((open) => open.uid === session.uid).map((open) => open.fid));
    return { ...session, openFiles: fids.size, locks: cifs.locks.filter((lock) => fids.has(lock.fid)).length };
  });
}

function recordView(saved: SavedCifsState | null): CifsNvramRecordView | null {
  if (!saved) return null;
  const sessions = savedSessionsOf(saved.cifs);
  const pending: CifsPendingView[] = Object.keys(saved.cifs.inProgress).sort().map((request) => {
    const held = saved.cifs.inProgress[request];
    return { request, command: held.request.request.command, stage: held.stage };
  });
  return {
    owner: saved.owner, flag: saved.flag, cause: saved.cause, sessions,
    treeConnects: sessions.reduce((sum, session) => sum + session.trees.length, 0),
    openFiles: Object.keys(saved.cifs.opens).length,
    locks: saved.cifs.locks.length,
    pending,
  };
}
