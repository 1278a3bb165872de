// Repair (issue 19, forgiving): the inputs that put a part right are the menu's own, checked by the host.
import { describe, expect, it } from 'vitest';
import { repairAllInputs, repairInputs } from '../../../renderer/src/composables/repair.ts';
import type { LabView } from '../../../renderer/src/stores/lab-types.ts';

const view = (state: Record<string, unknown>, unplugged: string[] = []): LabView => ({
  lab: 'ha-pair', seed: 1, atUs: 0, pace: { mode: 'paused', speed: 1 }, ems: [], unplugged, state,
  topology: { actors: [{ id: 'filerA', kind: 'filer', config: {} }, { id: 'shelf1', kind: 'shelf', config: {} }, { id: 'sw1', kind: 'switch', config: {} }], cables: [] },
});

describe('repair', () => {
  it('clears a filer’s faults, powers it on and plugs its cables back', () => {
    const lab = view({ 'filerA.faults': ['fan', 'overtemp'], 'filerA.power': 'off' }, ['filerA:0a', 'shelf1:A']);
    expect(repairInputs(lab, 'filerA')).toEqual([
      { kind: 'actor', actor: 'filerA', input: { kind: 'clear', fault: 'fan', args: [] } },
      { kind: 'actor', actor: 'filerA', input: { kind: 'clear', fault: 'overtemp', args: [] } },
      { kind: 'actor', actor: 'filerA', input: { kind: 'power', on: true } },
      { kind: 'cable', end: { actor: 'filerA', port: '0a' }, plugged: true },
    ]);
  });

  it('repairs a shelf’s power supply and its disks, or one disk alone', () => {
    const lab = view({ 'shelf1.psus': [false, true], 'shelf1.power': 'on', 'shelf1.bays.3.state': 'failed', 'shelf1.bays.4.state': 'ok', 'shelf1.bays.9.state': 'slow' });
    expect(repairInputs(lab, 'shelf1').map((input) => (input.kind === 'actor' && input.input.kind === 'clear' ? `${input.input.fault}${input.input.args.join()}` : input.kind))).toEqual(['psu', 'fail3', 'slow9']);
    expect(repairInputs(lab, 'shelf1', 9)).toEqual([{ kind: 'actor', actor: 'shelf1', input: { kind: 'clear', fault: 'slow', args: ['9'] } }]);
  });

  it('has nothing to do for a whole lab, and brings a downed switch back', () => {
    expect(repairAllInputs(view({ 'filerA.faults': [], 'filerA.power': 'on', 'sw1.state': 'up', 'shelf1.psus': [true, true] }))).toEqual([]);
    expect(repairInputs(view({ 'sw1.state': 'down' }), 'sw1')).toEqual([{ kind: 'actor', actor: 'sw1', input: { kind: 'clear', fault: 'down', args: [] } }]);
  });
});
