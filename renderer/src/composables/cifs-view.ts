// Seed 003 as the window shows it, read from the paths the file service and the CIFS clients publish
// (typed in emulator/protocol/cifs-view.ts): the NVRAM card's CIFS records, each CIFS client's session
// badge on the diagram (which filer holds the session now, and whether it was restored, is waiting in
// NVRAM, or was dropped), and the words for flags and save points. Pure, tested without a DOM.
import { cifsViewPaths } from '../../../emulator/protocol/cifs-view.ts';
import type {
  CifsClientView, CifsFlagView, CifsNvramRecordView, CifsNvramView, CifsPendingView, CifsSessionView,
} from '../../../emulator/protocol/cifs-view.ts';

type State = Readonly<Record<string, unknown>>;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

export function nvramCifsOf(state: State, filer: string): CifsNvramView | undefined {
  const value = state[cifsViewPaths.nvram(filer)];
  return isObject(value) && (value.persistentState === 'on' || value.persistentState === 'off') ? (value as unknown as CifsNvramView) : undefined;
}

export function cifsSessionsOf(state: State, filer: string): readonly CifsSessionView[] {
  const value = state[cifsViewPaths.sessions(filer)];
  return Array.isArray(value) ? value.filter((item): item is CifsSessionView => isObject(item) && typeof item.uid === 'number') : [];
}

export function cifsClientOf(state: State, client: string): CifsClientView | undefined {
  const value = state[cifsViewPaths.client(client)];
  return isObject(value) && typeof value.uid === 'number' ? (value as unknown as CifsClientView) : undefined;
}

/**
 * What a CIFS client's box on the diagram adds to its state, short enough for the box: `1 resumed`,
 * `2 dropped`, or `↻3 ✕2` with both (the clients panel spells them out).
 */
export function sessionTally(view: CifsClientView | undefined): string {
  if (!view) return '';
  const { sessionsResumed: resumed, sessionsDropped: dropped } = view;
  if (resumed > 0 && dropped > 0) return `↻${resumed} ✕${dropped}`;
  return resumed > 0 ? `${resumed} resumed` : dropped > 0 ? `${dropped} dropped` : '';
}

/** The flag in a trainee's words: how the filer went down (or would), and who restores the sessions. */
export const FLAG_TEXT: Readonly<Record<CifsFlagView, string>> = {
  'elective-reboot': 'elective reboot: this filer restores the sessions when it boots',
  'elective-takeover': 'elective takeover: the partner restores the sessions',
  'non-elective-reboot': 'non-elective reboot (armed): after a crash this filer restores them at boot',
  'non-elective-takeover': 'non-elective takeover (armed): after a crash the partner restores them',
};

/** Which save wrote the record. */
export function causeText(cause: string): string {
  if (cause === 'shutdown') return 'the planned shutdown';
  if (cause === 'armed') return 'arming the flag';
  const point = /^p([1-4])$/.exec(cause);
  return point ? `save point ${point[1]}` : cause;
}

/** Where a pending request stood (seed 003 Fig. 5), and what a restore does with it. */
export function stageText(stage: CifsPendingView['stage']): string {
  if (stage === 'acked') return 'point 1: acknowledged, not started (processed from the start)';
  if (stage === 'started') return 'point 2: started (finished or repeated once)';
  return 'point 3: done, reply not acknowledged (sent again)';
}

export function recordCounts(record: CifsNvramRecordView): string {
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  return [plural(record.sessions.length, 'session'), plural(record.treeConnects, 'tree connect'), plural(record.openFiles, 'open file'),
    plural(record.locks, 'lock'), plural(record.pending.length, 'pending request')].join(' · ');
}

export interface CifsClientRef {
  readonly id: string;
  /** The client's own address without prefix, as the filer's session names it. */
  readonly address: string;
}

/** The topology's CIFS clients with their addresses (`config.protocol`, `config.address`). */
export function cifsClients(actors: ReadonlyArray<{ id: string; kind: string; config: unknown }>): CifsClientRef[] {
  return actors.flatMap((actor) => {
    const config = actor.config as { protocol?: unknown; address?: unknown } | undefined;
    if (actor.kind !== 'client' || config?.protocol !== 'cifs' || typeof config.address !== 'string') return [];
    return [{ id: actor.id, address: config.address.split('/')[0] }];
  });
}

export type SessionBadgeStatus =
  /** Held by the filer it was opened on. */
  | 'live'
  /** Held by a filer that restored it from NVRAM (the partner's half at takeover, its own at boot). */
  | 'restored'
  /** Nobody serves it: it waits in the NVRAM of the filer that went down. */
  | 'saved'
  /** The filer that held it forgot it (classic CIFS): the client will see a reset and start anew. */
  | 'dropped';

export interface SessionBadge {
  /** `c2`, or `c2-dropped` for the mark a dropped session leaves where it was. */
  readonly key: string;
  readonly client: string;
  readonly uid: number;
  /** The filer the badge sits by. */
  readonly filer: string;
  readonly status: SessionBadgeStatus;
  readonly label: string;
  readonly title: string;
}

/** Where each client's session was last seen, for the "dropped" mark (the window's memory, by client). */
export interface BadgeMemory {
  readonly seen: Map<string, { filer: string; uid: number }>;
  readonly dropped: Map<string, { filer: string; uid: number; atUs: number }>;
}

export function createBadgeMemory(): BadgeMemory {
  return { seen: new Map(), dropped: new Map() };
}

/** How long a dropped session's mark stays where it was, in virtual time. */
export const DROPPED_SHOWN_US = 20_000_000;

/**
 * Each CIFS client's session badge: by the filer holding a session from the client's address (the
 * client's own session id first), else by the filer whose NVRAM keeps it while nobody serves it, else
 * (it was seen and is gone) a "dropped" mark where it was last held, for DROPPED_SHOWN_US.
 */
export function sessionBadges(state: State, clients: readonly CifsClientRef[], filers: readonly string[], memory: BadgeMemory, nowUs: number): SessionBadge[] {
  const badges: SessionBadge[] = [];
  for (const client of clients) {
    const view = cifsClientOf(state, client.id);
    const held = holderOf(state, client, filers, view?.uid ?? 0);
    const seen = memory.seen.get(client.id);
    if (held) {
      // A different id, or a fresh session on another filer (its id is that filer's to give and may
      // equal the old one; a session that came through NVRAM says `restored`): the old one was dropped,
      // even when the window never saw the moment nobody held it (both changes in one delta).
      const renewed = seen !== undefined && (seen.uid !== held.session.uid || (seen.filer !== held.filer && held.session.restored === null));
      if (renewed && !memory.dropped.has(client.id)) memory.dropped.set(client.id, { ...seen, atUs: nowUs });
      memory.seen.set(client.id, { filer: held.filer, uid: held.session.uid });
      badges.push(heldBadge(client.id, held.filer, held.session, view));
    } else {
      const saved = seen ? savedIn(state, client, filers, seen.uid) : undefined;
      if (saved) badges.push(savedBadge(client.id, saved.filer, saved.record, seen!.uid));
      else if (seen && !memory.dropped.has(client.id)) memory.dropped.set(client.id, { ...seen, atUs: nowUs });
    }
    const dropped = memory.dropped.get(client.id);
    // Shown for a while; a clock that went back (a restored lab) forgets it.
    if (dropped && (nowUs - dropped.atUs >= DROPPED_SHOWN_US || nowUs < dropped.atUs)) memory.dropped.delete(client.id);
    else if (dropped) {
      badges.push({
        key: `${client.id}-dropped`, client: client.id, uid: dropped.uid, filer: dropped.filer, status: 'dropped',
        label: `${client.id} · session ${dropped.uid} dropped`,
        title: `${dropped.filer} forgot ${client.id}'s session ${dropped.uid} (no persistent CIFS state): the client sees a reset and sets up a new session`,
      });
    }
  }
  return badges;
}

function holderOf(state: State, client: CifsClientRef, filers: readonly string[], uid: number): { filer: string; session: CifsSessionView } | undefined {
  let any: { filer: string; session: CifsSessionView } | undefined;
  for (const filer of filers) {
    // A hung filer publishes nothing more: its last list is stale, and it serves nobody.
    const boot = state[`${filer}.state`];
    if (boot !== undefined && boot !== 'running') continue;
    for (const session of cifsSessionsOf(state, filer)) {
      if (session.clientAddress !== client.address) continue;
      if (session.uid === uid) return { filer, session };
      if (!any || session.uid > any.session.uid) any = { filer, session };
    }
  }
  return any;
}

function savedIn(state: State, client: CifsClientRef, filers: readonly string[], uid: number): { filer: string; record: CifsNvramRecordView } | undefined {
  for (const filer of filers) {
    const record = nvramCifsOf(state, filer)?.local;
    if (record?.sessions.some((session) => session.clientAddress === client.address && session.uid === uid)) return { filer, record };
  }
  return undefined;
}

function heldBadge(client: string, filer: string, session: CifsSessionView, view: CifsClientView | undefined): SessionBadge {
  const shares = session.trees.join(', ') || 'no share yet';
  const tally = view ? ` · resumed ${view.sessionsResumed}, dropped ${view.sessionsDropped}` : '';
  if (session.restored === null) {
    return { key: client, client, uid: session.uid, filer, status: 'live', label: `${client} · session ${session.uid}`, title: `${client}'s CIFS session ${session.uid} on ${filer} (${shares})${tally}` };
  }
  const how = session.restored === 'takeover' ? `restored from ${session.from ?? 'the partner'}'s NVRAM at takeover` : 'restored from NVRAM at boot';
  return {
    key: client, client, uid: session.uid, filer, status: 'restored',
    label: `${client} · session ${session.uid} · ${session.restored === 'takeover' ? `from ${session.from ?? 'partner'}` : 'restored'}`,
    title: `${client}'s CIFS session ${session.uid} on ${filer}, ${how} (${shares})${tally}`,
  };
}

function savedBadge(client: string, filer: string, record: CifsNvramRecordView, uid: number): SessionBadge {
  return {
    key: client, client, uid, filer, status: 'saved', label: `${client} · session ${uid} · in NVRAM`,
    title: `${client}'s CIFS session ${uid} is saved in ${filer}'s NVRAM (${FLAG_TEXT[record.flag] ?? record.flag}); nobody serves it yet`,
  };
}

export interface PlacedBadge extends SessionBadge {
  readonly x: number;
  readonly y: number;
  readonly width: number;
}

export const BADGE_HEIGHT = 16;
const BADGE_CHAR_WIDTH = 6.2;

/** Badges stack under the box of the filer they sit by, in client order, a dropped mark after the live ones. */
export function placeBadges(badges: readonly SessionBadge[], boxes: ReadonlyArray<{ id: string; x: number; y: number; height: number }>): PlacedBadge[] {
  const next = new Map<string, number>();
  const ordered = [...badges].sort((left, right) => Number(left.status === 'dropped') - Number(right.status === 'dropped') || left.client.localeCompare(right.client));
  return ordered.flatMap((badge) => {
    const box = boxes.find((candidate) => candidate.id === badge.filer);
    if (!box) return [];
    const index = next.get(badge.filer) ?? 0;
    next.set(badge.filer, index + 1);
    return [{ ...badge, x: box.x + 4, y: box.y + box.height + 6 + index * (BADGE_HEIGHT + 3), width: badge.label.length * BADGE_CHAR_WIDTH + 14 }];
  });
}
