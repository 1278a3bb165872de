import { describe, expect, it } from 'vitest';
import { faultInput, listComponents, powerInput, validateInput } from '../../../emulator/lab/components.ts';
import { builtinSpec } from '../hardware/probe.ts';

const spec = builtinSpec('ha-pair');

describe('components and their faults', () => {
  it('turns fault commands into actor inputs', () => {
    expect(faultInput(spec, 'fault', 'filerA', 'nvram-battery')).toEqual({ ok: true, input: { kind: 'actor', actor: 'filerA', input: { kind: 'fault', fault: 'nvram-battery', args: [] } } });
    expect(faultInput(spec, 'fault', 'shelf1.3', 'media-error', ['100'])).toEqual({ ok: true, input: { kind: 'actor', actor: 'shelf1', input: { kind: 'fault', fault: 'media-error', args: ['3', '100'] } } });
    expect(faultInput(spec, 'clear', 'filerA:e0a', 'down')).toEqual({ ok: true, input: { kind: 'actor', actor: 'filerA', input: { kind: 'clear', fault: 'down', args: ['e0a'] } } });
    expect(faultInput(spec, 'fault', 'sw1', 'down')).toMatchObject({ ok: true });
    expect(powerInput(spec, 'shelf2', false)).toEqual({ ok: true, input: { kind: 'actor', actor: 'shelf2', input: { kind: 'power', on: false } } });
  });

  it('refuses an unknown component or kind with the valid ones', () => {
    expect(faultInput(spec, 'fault', 'filerA', 'smoke')).toEqual({ ok: false, error: "unknown fault 'smoke' for filerA; valid: panic, hang, nvram-battery, overtemp, fan, psu, panic-at, fs-corrupt" });
    expect(faultInput(spec, 'fault', 'shelf1.3', 'panic')).toEqual({ ok: false, error: "unknown fault 'panic' for shelf1.3; valid: fail, media-error, slow, pulled" });
    expect(faultInput(spec, 'fault', 'filerA:e9z', 'down')).toEqual({ ok: false, error: "filerA has no port 'e9z'; valid: 0a, 0b, e0a, e0b, ic0, ic1" });
    const unknown = faultInput(spec, 'fault', 'filerZ', 'panic');
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.error).toMatch(/^no component 'filerZ' in lab ha-pair; valid: filerA, filerB, shelf1, shelf2, sw1, sw2, c1/);
    expect(faultInput(spec, 'fault', 'c1', 'panic')).toEqual({ ok: false, error: "unknown fault 'panic' for c1; valid: none" });
  });

  it('pulls a disk out of its bay and inserts a new one: the pulled disk fault, set and cleared', () => {
    expect(faultInput(spec, 'fault', 'shelf1.7', 'pulled')).toEqual({ ok: true, input: { kind: 'actor', actor: 'shelf1', input: { kind: 'fault', fault: 'pulled', args: ['7'] } } });
    expect(faultInput(spec, 'clear', 'shelf1.7', 'pulled')).toEqual({ ok: true, input: { kind: 'actor', actor: 'shelf1', input: { kind: 'clear', fault: 'pulled', args: ['7'] } } });
    expect(faultInput(spec, 'fault', 'filerA', 'pulled')).toMatchObject({ ok: false, error: expect.stringMatching(/^unknown fault 'pulled' for filerA/) });
    expect(listComponents(spec).find((c) => c.component === 'shelf2.3')?.faults).toContain('pulled');
  });

  it('validates inputs the host queues', () => {
    expect(validateInput(spec, { kind: 'actor', actor: 'shelf1', input: { kind: 'fault', fault: 'fail', args: ['3'] } })).toBeUndefined();
    expect(validateInput(spec, { kind: 'actor', actor: 'shelf1', input: { kind: 'fault', fault: 'fail', args: ['14'] } })).toMatch(/no component 'shelf1.14'|bay 14/);
    expect(validateInput(spec, { kind: 'actor', actor: 'filerB', input: { kind: 'fault', fault: 'down', args: ['ic1'] } })).toBeUndefined();
    expect(validateInput(spec, { kind: 'actor', actor: 'filerB', input: { kind: 'fault', fault: 'melt', args: [] } })).toMatch(/^unknown fault 'melt' for filerB; valid: /);
    expect(validateInput(spec, { kind: 'actor', actor: 'sw1', input: { kind: 'console', data: 'x' } })).toBe('sw1 is a switch: only filers have a console');
    expect(validateInput(spec, { kind: 'cable', end: { actor: 'filerA', port: 'ic0' }, plugged: false })).toBeUndefined();
    expect(validateInput(spec, { kind: 'cable', end: { actor: 'sw1', port: 'p8' }, plugged: false })).toMatch(/^no cable in sw1:p8; cabled ports: p1, p2, p3, p4$/);
  });

  it('lists every component for the UI', () => {
    const names = listComponents(spec).map((c) => c.component);
    expect(names).toContain('shelf2.13');
    expect(names).toContain('filerA:ic1');
    expect(names).toContain('shelf1:B.out');
    expect(names.filter((n) => /^shelf1\.\d+$/.test(n))).toHaveLength(14);
  });
});
