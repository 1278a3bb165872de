import { describe, expect, it } from 'vitest';
import { addressHomes, addressTags } from '../../../renderer/src/composables/address-tags.ts';
import { boxesOverlap, cablePoints, lineCrossesBox } from '../../../renderer/src/composables/cable-geometry.ts';
import { filerBanner } from '../../../renderer/src/composables/filer-banner.ts';
import { haConsoleInput, haMenuChoices } from '../../../renderer/src/composables/ha-commands.ts';
import { filerHa, formatDuration, haStateText, partnerOf, takeoverSummary } from '../../../renderer/src/composables/ha-view.ts';
import { filterTimeline } from '../../../renderer/src/composables/timeline-filter.ts';
import type { EmsRecord } from '../../../emulator/protocol/channels.ts';

const filerConfig = (home: string, partner: string, addresses: string[]) => ({
  partner, vservers: [{ name: home, home, addresses: addresses.map((address, i) => ({ address, port: `e0${'ab'[i]}` })) }],
});
const actors = [
  { id: 'filerA', kind: 'filer', config: filerConfig('filerA', 'filerB', ['10.1.1.10/24', '10.1.2.10/24']) },
  { id: 'filerB', kind: 'filer', config: filerConfig('filerB', 'filerA', ['10.1.1.11/24', '10.1.2.11/24']) },
  { id: 'sw1', kind: 'switch', config: {} },
];

describe('HA on the filer banner', () => {
  it('shows each HA state in HA_STATE_LABELS words, with the state for its own look', () => {
    const banner = (ha: string) => filerBanner({ 'f.state': 'running', 'f.fileservice': 'serving', 'f.ha.state': ha }, 'f', 0);
    expect(banner('taking-over')).toMatchObject({ label: 'taking over', tone: 'ha', ha: 'taking-over' });
    expect(banner('takeover')).toMatchObject({ label: 'in takeover', tone: 'ha', ha: 'takeover' });
    expect(banner('giving-back')).toMatchObject({ label: 'giving back', tone: 'ha', ha: 'giving-back' });
    expect(filerBanner({ 'f.state': 'booting', 'f.ha.state': 'waiting-for-giveback' }, 'f', 0)).toMatchObject({ label: 'waiting for giveback', ha: 'waiting-for-giveback' });
  });

  it('leaves up and down (empty labels) and unknown states to the boot and file-service banner', () => {
    expect(filerBanner({ 'f.state': 'running', 'f.fileservice': 'serving', 'f.ha.state': 'up' }, 'f', 0)).toEqual({ label: 'serving', tone: 'ok' });
    expect(filerBanner({ 'f.state': 'loader', 'f.ha.state': 'down' }, 'f', 0).label).toBe('at LOADER');
    expect(filerBanner({ 'f.state': 'running', 'f.fileservice': 'serving', 'f.ha.state': 'bogus' }, 'f', 0).label).toBe('serving');
  });
});

describe('address tags', () => {
  it('knows each address’s home filer from the vservers in the topology', () => {
    const homes = addressHomes(actors);
    expect(homes.get('10.1.1.10')).toBe('filerA');
    expect(homes.get('10.1.2.11')).toBe('filerB');
    expect(homes.size).toBe(4);
  });

  it('marks the partner’s addresses on the taker’s port with their filer, and unmarks them back home', () => {
    const homes = addressHomes(actors);
    const anchors = [{ actor: 'filerA', port: 'e0a', x: 100, y: 250 }, { actor: 'filerB', port: 'e0a', x: 700, y: 250 }];
    const taken = addressTags(anchors, { 'filerB.ports.e0a.addresses': ['10.1.1.11', '10.1.1.10'], 'filerA.ports.e0a.addresses': [] }, homes);
    expect(taken.map((tag) => [tag.label, `${tag.anchor.actor}:${tag.anchor.port}`, tag.moved])).toEqual([
      ['10.1.1.11', 'filerB:e0a', false],
      ['10.1.1.10 (filerA)', 'filerB:e0a', true],
    ]);
    expect(taken[1].y).toBeLessThan(taken[0].y);
    expect(taken[1].width).toBeGreaterThan(taken[0].width);
    const home = addressTags(anchors, { 'filerA.ports.e0a.addresses': ['10.1.1.10'], 'filerB.ports.e0a.addresses': ['10.1.1.11'] }, homes);
    expect(home.map((tag) => [tag.label, tag.anchor.actor, tag.moved])).toEqual([['10.1.1.10', 'filerA', false], ['10.1.1.11', 'filerB', false]]);
  });

  it('grows the left port’s tags leftward and the right port’s rightward, so neighbours do not overlap', () => {
    const anchors = [{ actor: 'filerB', port: 'e0a', x: 700, y: 250 }, { actor: 'filerB', port: 'e0b', x: 780, y: 250 }];
    const tags = addressTags(anchors, { 'filerB.ports.e0a.addresses': ['10.1.1.10'], 'filerB.ports.e0b.addresses': ['10.1.2.10'] }, addressHomes(actors));
    expect(tags[0].x + tags[0].width).toBeLessThanOrEqual(700);
    expect(tags[1].x).toBeGreaterThanOrEqual(780);
  });
});

describe('the inspector’s HA view', () => {
  const published = {
    'filerB.ha.state': 'takeover', 'filerB.ha.enabled': true,
    'filerB.ha.partnerHeartbeat': { ic: 'lost', mailbox: 'ok' },
    'filerB.ha.lastTakeover': { kind: 'operator', trigger: 'operator@filerB', atMs: 10_002, servingAtMs: 10_027, steps: 'op>please-shutdown>hb-lost>serve', failed: null },
  };

  it('reads a filer’s HA paths, taking an absent takeoverImpossible (null dropped by a delta) as possible', () => {
    const ha = filerHa(published, 'filerB');
    expect(ha).toMatchObject({ state: 'takeover', enabled: true, takeoverImpossible: null, heartbeat: { ic: 'lost', mailbox: 'ok' } });
    expect(filerHa({ 'filerA.ha.state': 'up', 'filerA.ha.takeoverImpossible': 'cf is disabled', 'filerA.ha.enabled': false }, 'filerA'))
      .toMatchObject({ enabled: false, takeoverImpossible: 'cf is disabled', heartbeat: undefined, lastTakeover: undefined });
    expect(filerHa({ 'sw1.state': 'up' }, 'sw1')).toBeUndefined();
    expect(haStateText('up')).toBe('up');
    expect(haStateText('takeover')).toBe('in takeover');
    expect(partnerOf(actors, 'filerB')).toBe('filerA');
    expect(partnerOf(actors, 'sw1')).toBeUndefined();
  });

  it('summarises the last takeover: virtual time, time to serve and its step tokens', () => {
    const summary = takeoverSummary(filerHa(published, 'filerB')!.lastTakeover!);
    expect(summary).toEqual({ kind: 'operator', trigger: 'operator@filerB', at: '00:00:10.002', timeToServe: '25 ms', steps: ['op', 'please-shutdown', 'hb-lost', 'serve'], failed: null });
    expect(takeoverSummary({ kind: 'hard', trigger: 'heartbeat', atMs: 0, servingAtMs: null, steps: '', failed: 'no disks' })).toMatchObject({ timeToServe: undefined, steps: [], failed: 'no disks' });
    expect(formatDuration(1_500)).toBe('1.50 s');
    expect(formatDuration(16_000)).toBe('16.0 s');
  });
});

describe('takeover and giveback on the right-click menu', () => {
  const ha = (state: string, more: Record<string, unknown> = {}) => filerHa({ 'f.ha.state': state, ...more }, 'f');
  const offered = (choices: ReturnType<typeof haMenuChoices>) => Object.fromEntries(choices.map((choice) => [choice.command, choice.enabled]));

  it('offers take over and force takeover when up, give back when in takeover', () => {
    expect(offered(haMenuChoices(ha('up')))).toEqual({ takeover: true, giveback: false, forcetakeover: true });
    expect(offered(haMenuChoices(ha('takeover'), 'waiting-for-giveback'))).toEqual({ takeover: false, giveback: true, forcetakeover: false });
    expect(offered(haMenuChoices(ha('taking-over')))).toEqual({ takeover: false, giveback: false, forcetakeover: false });
    expect(haMenuChoices(undefined)).toEqual([]);
  });

  it('says why: takeover impossible or cf disabled greys take over; a partner not yet waiting notes the giveback', () => {
    const impossible = haMenuChoices(ha('up', { 'f.ha.takeoverImpossible': 'NVRAM mirror not in sync' }));
    expect(impossible[0]).toMatchObject({ command: 'takeover', enabled: false, why: 'NVRAM mirror not in sync' });
    expect(impossible[2]).toMatchObject({ command: 'forcetakeover', enabled: true });
    expect(haMenuChoices(ha('up', { 'f.ha.enabled': false }))[0]).toMatchObject({ enabled: false, why: 'cf is disabled' });
    expect(haMenuChoices(ha('takeover'), 'down')[1]).toMatchObject({ command: 'giveback', enabled: true, why: 'partner not waiting for giveback yet' });
  });

  it('types the command on the console: Ctrl-U clears a half-typed line, Enter runs it', () => {
    expect(haConsoleInput('takeover')).toBe('\x15cf takeover\r');
    expect(haConsoleInput('giveback')).toBe('\x15cf giveback\r');
    expect(haConsoleInput('forcetakeover')).toBe('\x15cf forcetakeover -f\r');
  });
});

describe('HA events on the timeline', () => {
  it('the cf state-machine events show under the default filter (all parts, debug and worse)', () => {
    const events: EmsRecord[] = ['cf.fsm.stateTransit:warning', 'cf.fm.takeoverStarted:warning', 'cf.fm.takeoverComplete:notice', 'cf.fm.givebackStarted:notice', 'cf.fm.givebackComplete:notice']
      .map((tag, index) => {
        const [source, severity] = tag.split(':');
        return { atUs: index, actor: 'filerB', source, severity, text: source };
      });
    expect(filterTimeline(events, { actor: '', atLeast: 'debug' }).map((record) => record.source)).toEqual(events.map((record) => record.source).reverse());
    expect(filterTimeline(events, { actor: 'filerB', atLeast: 'notice' })).toHaveLength(5);
  });
});

describe('address tags keep off the cables', () => {
  it('moves a tag off a cable that crosses its usual spot, and not onto another tag', () => {
    const port = { actor: 'filerA', port: 'e0a', x: 100, y: 200 };
    const homes = new Map([['10.1.1.10', 'filerA'], ['10.1.1.20', 'filerA']]);
    const state = { 'filerA.ports.e0a.addresses': ['10.1.1.10', '10.1.1.20'] };
    const [usual] = addressTags([port], state, homes);
    // A level cable through the usual spot of the first tag (right of the port, 19 above it).
    const across = { a: { actor: 'x', port: 'p', x: 0, y: usual.y + 7 }, b: { actor: 'y', port: 'p', x: 400, y: usual.y + 7 } };
    const tags = addressTags([port], state, homes, new Set(), [across]);
    for (const tag of tags) {
      const box = { x: tag.x, y: tag.y, width: tag.width, height: 15 };
      expect(lineCrossesBox(cablePoints(across.a, across.b), box)).toBe(false);
    }
    const [first, second] = tags;
    expect(boxesOverlap({ x: first.x, y: first.y, width: first.width, height: 15 }, { x: second.x, y: second.y, width: second.width, height: 15 })).toBe(false);
    // Without a cable in the way the usual spot holds.
    expect(addressTags([port], state, homes, new Set(), [])[0]).toMatchObject({ x: usual.x, y: usual.y });
  });

  it('finds a Bézier cable through a box it curves across, and not one that passes beside it', () => {
    const line = cablePoints({ actor: 'a', port: 'p', x: 0, y: 100 }, { actor: 'b', port: 'p', x: 200, y: 0 });
    expect(lineCrossesBox(line, { x: 90, y: 40, width: 20, height: 20 })).toBe(true);
    expect(lineCrossesBox(line, { x: 150, y: 80, width: 20, height: 15 })).toBe(false);
  });
});
