import { describe, expect, it } from 'vitest';
import type { LabDelta, LabView } from '../../../emulator/protocol/channels.ts';
import { EMS_KEPT, applyDelta } from '../../../renderer/src/stores/apply-delta.ts';
import { linkLight } from '../../../renderer/src/composables/link-state.ts';
import { filterTimeline } from '../../../renderer/src/composables/timeline-filter.ts';
import { formatVirtualTime } from '../../../renderer/src/composables/virtual-clock.ts';
import { faultChoices, isPowered } from '../../../renderer/src/composables/part-actions.ts';

const view: LabView = {
  lab: 'ha-pair',
  seed: 1,
  atUs: 1_000,
  pace: { mode: 'running', speed: 1 },
  topology: { actors: [], cables: [] },
  state: { 'filerA.state': 'booting', 'filerA.ports.0a.link': true },
  unplugged: [],
  ems: [],
};

function delta(patch: Partial<LabDelta>): LabDelta {
  return { atUs: 2_000, pace: { mode: 'running', speed: 1 }, patches: [], ems: [], console: {}, ...patch };
}

describe('applying host deltas to the snapshot', () => {
  it('patches, removes, and leaves the old snapshot untouched', () => {
    const next = applyDelta(view, delta({ patches: [['filerA.state', 'running'], ['filerA.ports.0a.link', null]] }));
    expect(next.state).toEqual({ 'filerA.state': 'running' });
    expect(next.atUs).toBe(2_000);
    expect(view.state['filerA.state']).toBe('booting');
    expect(next).not.toBe(view);
  });

  it('keeps the unplugged list unless the delta carries one, and bounds the EMS list', () => {
    expect(applyDelta(view, delta({ unplugged: ['filerA:0a'] })).unplugged).toEqual(['filerA:0a']);
    expect(applyDelta({ ...view, unplugged: ['x:y'] }, delta({})).unplugged).toEqual(['x:y']);
    const many = Array.from({ length: EMS_KEPT + 10 }, (_, index) => ({ atUs: index, actor: 'filerA', source: 's', severity: 'info', text: `${index}` }));
    const next = applyDelta(view, delta({ ems: many }));
    expect(next.ems).toHaveLength(EMS_KEPT);
    expect(next.ems.at(-1)?.text).toBe(String(EMS_KEPT + 9));
  });

  it('never moves the clock backwards', () => {
    expect(applyDelta({ ...view, atUs: 5_000 }, delta({ atUs: 4_000 })).atUs).toBe(5_000);
  });
});

describe('reading published state', () => {
  it('lights a cable end from its port link, and an unplugged end whatever the port says', () => {
    expect(linkLight(view.state, [], 'filerA', '0a')).toBe('up');
    expect(linkLight({ 'filerA.ports.0a.link': false }, [], 'filerA', '0a')).toBe('down');
    expect(linkLight(view.state, ['filerA:0a'], 'filerA', '0a')).toBe('unplugged');
    expect(linkLight(view.state, [], 'filerA', '0b')).toBe('unknown');
  });

  it('offers active faults to clear and reads power', () => {
    expect(faultChoices('filer', ['fan'])).toContainEqual({ fault: 'fan', active: true });
    expect(faultChoices('filer', undefined)).toContainEqual({ fault: 'panic', active: false });
    expect(isPowered('off')).toBe(false);
    expect(isPowered('on')).toBe(true);
  });
});

describe('clock and timeline', () => {
  it('formats virtual microseconds as hh:mm:ss.mmm', () => {
    expect(formatVirtualTime(0)).toBe('00:00:00.000');
    expect(formatVirtualTime(3_723_004_999)).toBe('01:02:03.004');
  });

  it('filters the timeline by part and least severity, newest first', () => {
    const records = [
      { atUs: 1, actor: 'filerA', source: 'a', severity: 'info', text: '1' },
      { atUs: 2, actor: 'filerB', source: 'b', severity: 'error', text: '2' },
      { atUs: 3, actor: 'filerA', source: 'c', severity: 'warning', text: '3' },
    ];
    expect(filterTimeline(records, { actor: '', atLeast: 'debug' }).map((record) => record.text)).toEqual(['3', '2', '1']);
    expect(filterTimeline(records, { actor: 'filerA', atLeast: 'warning' }).map((record) => record.text)).toEqual(['3']);
  });
});
