// A bay's right-click menu (issue 19): a disk there can be pulled out or faulted; an empty bay takes a
// new disk and offers no disk faults; before the shelf says what the bay holds, neither.
import { describe, expect, it } from 'vitest';
import { bayAction, diskFaultChoices } from '../../../renderer/src/composables/part-actions.ts';

describe('a bay’s menu', () => {
  it('offers to pull a disk that is there, failed or not, and to insert one into an empty bay', () => {
    expect(bayAction('ok')?.action).toBe('pull');
    expect(bayAction('failed')?.action).toBe('pull');
    expect(bayAction('empty')).toMatchObject({ action: 'insert', label: 'Insert a new disk' });
    expect(bayAction(undefined)).toBeUndefined();
  });

  it('offers no disk faults for an empty bay', () => {
    expect(diskFaultChoices('empty')).toEqual([]);
    expect(diskFaultChoices('failed').find((choice) => choice.fault === 'fail')?.active).toBe(true);
  });
});
