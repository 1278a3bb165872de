// The negotiated takeover as the window draws it (renderer/src/composables/negotiation-view.ts): the
// request arrow and verdict, the countdown ring from the virtual clock, how it ended, when it fades,
// stay-down requests, the pairs, and the inspector's words.
import { describe, expect, it } from 'vitest';
import {
  NEGOTIATION_SHOWN_MS, answerText, countdownText, haPairs, monitorOf, negotiationOf, negotiationPicture, sendsStayDown,
} from '../../../renderer/src/composables/negotiation-view.ts';
import type { HaCountdownView, HaRequestView } from '../../../emulator/protocol/ha-view.ts';

const request = (extra: Partial<HaRequestView> = {}): HaRequestView => ({ faultType: 'nvram-battery', atMs: 5_000, pending: true, answer: null, reason: null, ...extra });
const monitor = (extra: Partial<HaRequestView> = {}) => ({
  faults: [{ type: 'nvram-battery', class: 'takeover', text: 'NVRAM battery low' }], diagnosis: 'takeover', request: request(extra),
});
const countdown = (extra: Partial<HaCountdownView> = {}): HaCountdownView => ({ state: 'idle', starts: 0, startedAtMs: null, endsAtMs: null, ...extra });
const negotiation = (verdict: Record<string, unknown> | null, countdownExtra: Partial<HaCountdownView> = {}) => ({
  partnerFaultType: 'nvram-battery', lastRefusal: verdict?.kind === 'refused' ? verdict.reason : null, verdict, countdown: countdown(countdownExtra),
});
const accepted = { kind: 'please-shutdown', faultType: 'nvram-battery', reason: null, atMs: 5_000 };
const running: Partial<HaCountdownView> = { state: 'running', starts: 1, startedAtMs: 5_000, endsAtMs: 35_000 };
const ms = (value: number) => value * 1_000;

describe('the request arrow and the verdict', () => {
  it('shows the request with the fault type while filerB has not answered yet', () => {
    const picture = negotiationPicture({ 'filerA.ha.monitor': monitor() }, 'filerA', 'filerB', ms(5_010));
    expect(picture).toMatchObject({ from: 'filerA', to: 'filerB', faultType: 'nvram-battery', verdict: { tone: 'waiting' }, ring: undefined, outcome: undefined });
  });

  it('shows please shut down and a countdown ring computed from the virtual clock', () => {
    const state = { 'filerA.ha.monitor': monitor(), 'filerB.ha.negotiation': negotiation(accepted, running) };
    const picture = negotiationPicture(state, 'filerA', 'filerB', ms(20_000));
    expect(picture?.verdict).toEqual({ tone: 'accepted', text: 'please shut down' });
    expect(picture?.ring).toEqual({ left: 0.5, secondsLeft: 15 });
    expect(negotiationPicture(state, 'filerA', 'filerB', ms(34_200))?.ring).toEqual({ left: expect.closeTo(0.0267, 3), secondsLeft: 1 });
    // Past the end (the next delta brings expired): an empty ring, not a negative one.
    expect(negotiationPicture(state, 'filerA', 'filerB', ms(36_000))?.ring).toEqual({ left: 0, secondsLeft: 0 });
  });

  it('shows a refusal with its reason, then fades it out although filerA still has its fault', () => {
    const refused = { kind: 'refused', faultType: 'nvram-battery', reason: 'cluster failover is disabled', atMs: 5_001 };
    const state = { 'filerA.ha.monitor': monitor({ answer: 'refused', reason: 'cluster failover is disabled' }), 'filerB.ha.negotiation': negotiation(refused) };
    expect(negotiationPicture(state, 'filerA', 'filerB', ms(6_000))?.verdict).toEqual({ tone: 'refused', text: 'refused: cluster failover is disabled' });
    expect(negotiationPicture(state, 'filerA', 'filerB', ms(5_001 + NEGOTIATION_SHOWN_MS + 1))).toBeUndefined();
  });

  it('ignores a verdict older than the request or on another fault type (an earlier negotiation)', () => {
    const old = { ...accepted, atMs: 1_000 };
    expect(negotiationPicture({ 'filerA.ha.monitor': monitor(), 'filerB.ha.negotiation': negotiation(old) }, 'filerA', 'filerB', ms(5_100))?.verdict.tone).toBe('waiting');
    const other = { ...accepted, faultType: 'overtemp' };
    expect(negotiationPicture({ 'filerA.ha.monitor': monitor(), 'filerB.ha.negotiation': negotiation(other) }, 'filerA', 'filerB', ms(5_100))?.verdict.tone).toBe('waiting');
  });

  it('says how the countdown ended: shut down in time, forced, cancelled', () => {
    const done = { ...monitor({ pending: false, answer: 'please-shutdown' }), faults: [] };
    const taken = { kind: 'negotiated', trigger: 'fault:nvram-battery', atMs: 5_509, servingAtMs: 5_534, steps: '', failed: null };
    const inTime = { 'filerA.ha.monitor': done, 'filerB.ha.negotiation': negotiation(accepted, { state: 'idle', starts: 1, startedAtMs: 5_000, endsAtMs: 35_000 }), 'filerB.ha.lastTakeover': taken };
    expect(negotiationPicture(inTime, 'filerA', 'filerB', ms(6_000))?.outcome).toBe('shut down in time: taken over');
    const forced = { 'filerA.ha.monitor': monitor({ answer: 'please-shutdown' }), 'filerB.ha.negotiation': negotiation(accepted, { ...running, state: 'expired' }) };
    expect(negotiationPicture(forced, 'filerA', 'filerB', ms(36_000))).toMatchObject({ ring: undefined, outcome: 'countdown ran out: takeover forced' });
    const cancelled = { 'filerA.ha.monitor': { ...monitor({ pending: false }), faults: [] }, 'filerB.ha.negotiation': negotiation(accepted, { ...running, state: 'cancelled' }) };
    expect(negotiationPicture(cancelled, 'filerA', 'filerB', ms(10_000))?.outcome).toBe('countdown cancelled');
  });

  it('fades NEGOTIATION_SHOWN_MS after the last moment once nothing is pending, and shows nothing without a request', () => {
    const done = { 'filerA.ha.monitor': { ...monitor({ pending: false }), faults: [] }, 'filerB.ha.negotiation': negotiation(accepted, { state: 'idle', starts: 1 }) };
    expect(negotiationPicture(done, 'filerA', 'filerB', ms(5_000 + NEGOTIATION_SHOWN_MS))).toBeDefined();
    expect(negotiationPicture(done, 'filerA', 'filerB', ms(5_001 + NEGOTIATION_SHOWN_MS))).toBeUndefined();
    expect(negotiationPicture({ 'filerA.ha.monitor': { faults: [], diagnosis: 'none', request: null } }, 'filerA', 'filerB', 0)).toBeUndefined();
    expect(negotiationPicture({}, 'filerA', 'filerB', 0)).toBeUndefined();
  });
});

describe('published values, narrowed', () => {
  it('keeps known fault classes and drops malformed entries', () => {
    const view = monitorOf({ 'f.ha.monitor': { faults: [{ type: 'fan', class: 'warning', text: 'fan failed' }, { type: 'x', class: 'bogus' }, 7], diagnosis: 'warning', request: { faultType: 1 } } }, 'f');
    expect(view).toEqual({ faults: [{ type: 'fan', class: 'warning', text: 'fan failed' }], diagnosis: 'warning', request: null });
    expect(monitorOf({}, 'f')).toBeUndefined();
    expect(negotiationOf({ 'f.ha.negotiation': { countdown: { state: 'weird' } } }, 'f')).toEqual({
      partnerFaultType: null, lastRefusal: null, verdict: null, countdown: { state: 'idle', starts: 0, startedAtMs: null, endsAtMs: null },
    });
  });
});

describe('stay-down requests and pairs', () => {
  it('are sent by a filer in takeover while its partner is down or waiting for giveback', () => {
    expect(sendsStayDown({ 'filerB.ha.state': 'takeover', 'filerA.ha.state': 'down' }, 'filerB', 'filerA')).toBe(true);
    expect(sendsStayDown({ 'filerB.ha.state': 'takeover', 'filerA.ha.state': 'waiting-for-giveback' }, 'filerB', 'filerA')).toBe(true);
    expect(sendsStayDown({ 'filerB.ha.state': 'takeover' }, 'filerB', 'filerA')).toBe(true);
    expect(sendsStayDown({ 'filerB.ha.state': 'giving-back', 'filerA.ha.state': 'waiting-for-giveback' }, 'filerB', 'filerA')).toBe(false);
    expect(sendsStayDown({ 'filerB.ha.state': 'up', 'filerA.ha.state': 'down' }, 'filerB', 'filerA')).toBe(false);
  });

  it('finds each pair once from the filers’ partner', () => {
    const actors = [
      { id: 'filerA', kind: 'filer', config: { partner: 'filerB' } }, { id: 'filerB', kind: 'filer', config: { partner: 'filerA' } },
      { id: 'filerC', kind: 'filer', config: { partner: 'filerD' } }, { id: 'filerD', kind: 'filer', config: { partner: 'filerC' } },
      { id: 'solo', kind: 'filer', config: {} }, { id: 'sw1', kind: 'switch', config: {} },
    ];
    expect(haPairs(actors)).toEqual([['filerA', 'filerB'], ['filerC', 'filerD']]);
  });
});

describe('the inspector’s words', () => {
  it('says the answer to the filer’s own request, and the countdown with what is left', () => {
    expect(answerText(request())).toBe('no answer yet');
    expect(answerText(request({ answer: 'please-shutdown' }))).toBe('please shut down');
    expect(answerText(request({ answer: 'refused', reason: 'NVRAM not in sync' }))).toBe('refused: NVRAM not in sync');
    expect(countdownText(countdown(running), ms(25_500))).toBe('running, 10 s left');
    expect(countdownText(countdown({ ...running, state: 'expired' }), ms(40_000))).toBe('expired: takeover forced');
    expect(countdownText(countdown(), 0)).toBe('idle');
  });
});
