// Seed 003 as the window draws it (renderer/src/composables/cifs-view.ts, client-series.ts): the
// session badge by the filer holding it, waiting in NVRAM, restored on the partner with the same id,
// or left behind as "dropped"; the NVRAM card's words; the chart's paused and dropped gaps.
import { describe, expect, it } from 'vitest';
import type { CifsNvramRecordView, CifsSessionView } from '../../../emulator/protocol/cifs-view.ts';
import {
  DROPPED_SHOWN_US, causeText, cifsClients, createBadgeMemory, placeBadges, recordCounts, sessionBadges, sessionTally, stageText,
} from '../../../renderer/src/composables/cifs-view.ts';
import { addSample, chartGaps, sessionMarks, type ClientSeries } from '../../../renderer/src/composables/client-series.ts';

const session = (uid: number, extra: Partial<CifsSessionView> = {}): CifsSessionView => ({
  uid, vserver: 'filerA', clientAddress: '10.1.2.102', workstation: 'C2', user: 'trainee', trees: ['vol1'], restored: null, from: null, ...extra,
});
const record = (flag: CifsNvramRecordView['flag'], uid = 100): CifsNvramRecordView => ({
  owner: 'filerA', flag, cause: 'shutdown', sessions: [{ ...session(uid), openFiles: 1, locks: 1 }], treeConnects: 1, openFiles: 1, locks: 1,
  pending: [{ request: '10.1.2.102/1#40', command: 'WRITE', stage: 'started' }],
});
const client = (uid: number, resumed = 0, dropped = 0) => ({
  phase: 'ready', uid, sessionUp: true, serverAcks: true, sessionsOpened: 1, sessionsDropped: dropped, sessionsResumed: resumed, duplicateReplies: 0, retransmits: 0,
});
const clients = cifsClients([
  { id: 'c1', kind: 'client', config: { protocol: 'nfs', address: '10.1.1.101/24' } },
  { id: 'c2', kind: 'client', config: { protocol: 'cifs', address: '10.1.2.102/24' } },
  { id: 'filerA', kind: 'filer', config: {} },
]);
const filers = ['filerA', 'filerB'];
const nvram = (local: CifsNvramRecordView | null) => ({ persistentState: 'on', local, partner: null, lastRestore: null });

describe('the session badge', () => {
  it('finds the CIFS clients by their addresses', () => {
    expect(clients).toEqual([{ id: 'c2', address: '10.1.2.102' }]);
  });

  it('moves to the partner with the same id through NVRAM at a takeover with persistent state', () => {
    const memory = createBadgeMemory();
    const live = sessionBadges({ 'filerA.cifs.sessions': [session(100)], 'c2.cifs': client(100) }, clients, filers, memory, 1_000_000);
    expect(live).toMatchObject([{ key: 'c2', filer: 'filerA', uid: 100, status: 'live', label: 'c2 · session 100' }]);
    const saved = sessionBadges({ 'filerA.cifs.sessions': [], 'filerA.nvram.cifs': nvram(record('elective-takeover')), 'c2.cifs': client(100) }, clients, filers, memory, 2_000_000);
    expect(saved).toMatchObject([{ key: 'c2', filer: 'filerA', uid: 100, status: 'saved', label: 'c2 · session 100 · in NVRAM' }]);
    const restored = sessionBadges({
      'filerA.cifs.sessions': [], 'filerA.nvram.cifs': nvram(record('elective-takeover')),
      'filerB.cifs.sessions': [session(100, { restored: 'takeover', from: 'filerA' }), session(100, { clientAddress: '10.1.2.104', vserver: 'filerB' })],
      'c2.cifs': client(100, 1),
    }, clients, filers, memory, 3_000_000);
    expect(restored).toEqual([expect.objectContaining({ key: 'c2', filer: 'filerB', uid: 100, status: 'restored', label: 'c2 · session 100 · from filerA' })]);
    expect(restored[0].title).toMatch(/restored from filerA's NVRAM at takeover.*resumed 1, dropped 0/);
  });

  it('is left behind as dropped without persistent state, while the new session shows on the partner', () => {
    const memory = createBadgeMemory();
    sessionBadges({ 'filerA.cifs.sessions': [session(100)], 'c2.cifs': client(100) }, clients, filers, memory, 1_000_000);
    const gone = sessionBadges({ 'filerA.cifs.sessions': [], 'filerA.nvram.cifs': nvram(null), 'c2.cifs': client(100) }, clients, filers, memory, 2_000_000);
    expect(gone).toMatchObject([{ key: 'c2-dropped', filer: 'filerA', uid: 100, status: 'dropped', label: 'c2 · session 100 dropped' }]);
    const renewed = sessionBadges({ 'filerA.cifs.sessions': [], 'filerB.cifs.sessions': [session(101)], 'c2.cifs': client(101, 0, 1) }, clients, filers, memory, 3_000_000);
    expect(renewed.map((badge) => [badge.key, badge.filer, badge.uid, badge.status])).toEqual([['c2', 'filerB', 101, 'live'], ['c2-dropped', 'filerA', 100, 'dropped']]);
    const later = sessionBadges({ 'filerB.cifs.sessions': [session(101)], 'c2.cifs': client(101, 0, 1) }, clients, filers, memory, 2_000_000 + DROPPED_SHOWN_US);
    expect(later.map((badge) => badge.key)).toEqual(['c2']);
  });

  it('marks the old session dropped when a fresh one with the same id shows on the partner in the same delta', () => {
    const memory = createBadgeMemory();
    sessionBadges({ 'filerA.cifs.sessions': [session(100)], 'c2.cifs': client(100) }, clients, filers, memory, 1_000_000);
    const renewed = sessionBadges({ 'filerA.state': 'halted', 'filerB.cifs.sessions': [session(100)], 'c2.cifs': client(100, 0, 1) }, clients, filers, memory, 1_100_000);
    expect(renewed.map((badge) => [badge.key, badge.filer, badge.uid, badge.status])).toEqual([['c2', 'filerB', 100, 'live'], ['c2-dropped', 'filerA', 100, 'dropped']]);
  });

  it('ignores the stale list of a filer that is not running (a hung filer publishes nothing more)', () => {
    const badges = sessionBadges({
      'filerA.state': 'hung', 'filerA.cifs.sessions': [session(100)], 'filerB.state': 'running',
      'filerB.cifs.sessions': [session(100, { restored: 'takeover', from: 'filerA' })], 'c2.cifs': client(100, 1),
    }, clients, filers, createBadgeMemory(), 1_000_000);
    expect(badges).toMatchObject([{ key: 'c2', filer: 'filerB', status: 'restored' }]);
  });

  it('stacks under the filer box, dropped marks last', () => {
    const placed = placeBadges([
      { key: 'c2-dropped', client: 'c2', uid: 100, filer: 'filerA', status: 'dropped', label: 'x', title: '' },
      { key: 'c4', client: 'c4', uid: 100, filer: 'filerA', status: 'live', label: 'c4 · session 100', title: '' },
    ], [{ id: 'filerA', x: 100, y: 250, height: 110 }]);
    expect(placed.map((badge) => [badge.key, badge.x, badge.y])).toEqual([['c4', 104, 366], ['c2-dropped', 104, 385]]);
  });
});

describe('the NVRAM card’s words', () => {
  it('names the save, the point a request reached and the counts', () => {
    expect(causeText('p2')).toBe('save point 2');
    expect(causeText('shutdown')).toBe('the planned shutdown');
    expect(stageText('acked')).toMatch(/^point 1/);
    expect(recordCounts(record('non-elective-takeover'))).toBe('1 session · 1 tree connect · 1 open file · 1 lock · 1 pending request');
    expect(sessionTally(client(100, 2, 0))).toBe('2 resumed');
    expect(sessionTally(client(100, 0, 1))).toBe('1 dropped');
    expect(sessionTally(client(100, 3, 2))).toBe('↻3 ✕2');
    expect(sessionTally(client(100))).toBe('');
  });
});

describe('the client chart', () => {
  const sample = (atS: number, totalOk: number, outageMs: number, resumed = 0, dropped = 0) => ({
    atUs: atS * 1_000_000, intervalUs: 250_000, opsOk: 0, opsFailed: 0, latencyMsAvg: null, outageMs, totalOk, totalFailed: 0, totalLatencyMs: totalOk,
    sessionsResumed: resumed, sessionsDropped: dropped,
  });

  it('shades a pause that ended with a resumed session amber, and a dropped one red', () => {
    const series: ClientSeries = { points: [] };
    for (const s of [sample(1, 10, 0), sample(2, 10, 1_500), sample(3, 10, 2_500), sample(4, 20, 0, 1), sample(5, 20, 1_000), sample(6, 20, 2_000, 1, 1), sample(7, 30, 0, 1, 1)]) addSample(series, s);
    expect(series.points.map((point) => point.session ?? '-')).toEqual(['-', '-', '-', 'resumed', '-', 'dropped', '-']);
    expect(chartGaps(series.points, 600)).toEqual([{ x: 0, width: 200, tone: 'paused' }, { x: 300, width: 200, tone: 'dropped' }]);
    expect(sessionMarks(series.points, 600)).toEqual([{ x: 300, session: 'resumed' }, { x: 500, session: 'dropped' }]);
  });
});
