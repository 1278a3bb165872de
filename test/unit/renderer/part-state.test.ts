import { describe, expect, it } from 'vitest';
import { createPartSlices } from '../../../renderer/src/composables/part-state.ts';

describe('per-part state slices for the diagram', () => {
  it('hands a part the same object while none of its paths changed, a new one when one did', () => {
    const slices = createPartSlices((part) => (part === 'shelf1' ? ['shelf1', 'filerA'] : [part]));
    const parts = ['filerA', 'filerB', 'shelf1'];
    const state = { 'filerA.state': 'running', 'filerA.ports.0a.link': true, 'filerB.state': 'running', 'shelf1.bays.0.state': 'ok', 'cables.x.up': true };
    const first = slices(state, parts);
    expect(first.get('filerA')).toEqual({ 'filerA.state': 'running', 'filerA.ports.0a.link': true });
    expect(first.get('shelf1')).toEqual({ 'shelf1.bays.0.state': 'ok', 'filerA.state': 'running', 'filerA.ports.0a.link': true });
    // A delta touching filerB only: filerA and shelf1 keep their objects (Vue skips them).
    const second = slices({ ...state, 'filerB.state': 'panicked' }, parts);
    expect(second.get('filerA')).toBe(first.get('filerA'));
    expect(second.get('shelf1')).toBe(first.get('shelf1'));
    expect(second.get('filerB')).toEqual({ 'filerB.state': 'panicked' });
    // A pull on filerA: filerA and the shelf that reads it change; a removed path counts as a change.
    const third = slices({ ...state, 'filerB.state': 'panicked', 'filerA.ports.0a.link': false }, parts);
    expect(third.get('filerA')).not.toBe(second.get('filerA'));
    expect(third.get('shelf1')).not.toBe(second.get('shelf1'));
    expect(third.get('filerB')).toBe(second.get('filerB'));
    const { 'filerB.state': _gone, ...without } = { ...state, 'filerB.state': 'panicked' };
    expect(slices(without, parts).get('filerB')).toEqual({});
  });
});
