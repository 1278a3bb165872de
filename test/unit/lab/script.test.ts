import { describe, expect, it } from 'vitest';
import { parseDuration, parseScript, resolveScript } from '../../../emulator/lab/script.ts';
import type { ScriptLine } from '../../../emulator/lab/script.ts';
import { evaluateExpectation, readPath } from '../../../emulator/lab/expect.ts';
import type { LabSpec } from '../../../emulator/engine/lab-spec.ts';

function lines(text: string): ScriptLine[] {
  const result = parseScript(text);
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.lines;
}

describe('lab script parser', () => {
  it('reads times in us, ms, s, m, h and combinations', () => {
    expect(parseDuration('500ms')).toBe(500_000);
    expect(parseDuration('5s')).toBe(5_000_000);
    expect(parseDuration('1.5s')).toBe(1_500_000);
    expect(parseDuration('2m')).toBe(120_000_000);
    expect(parseDuration('1h')).toBe(3_600_000_000);
    expect(parseDuration('1m30s')).toBe(90_000_000);
    expect(parseDuration('5')).toBeUndefined();
    expect(parseDuration('5 s')).toBeUndefined();
    expect(parseDuration('-1s')).toBeUndefined();
  });

  it('parses every action, skips comments and blank lines, and sorts by time keeping file order', () => {
    const parsed = lines([
      '# a scenario',
      '',
      'at 5s console filerA "cf takeover"   # the operator',
      'at 1s key filerB ctrl-c',
      'at 8s pull filerA:0a',
      'at 9s plug filerA:0a',
      'at 10s fault filerA nvram-battery',
      'at 10s fault shelf1.3 media-error 100',
      'at 11s clear filerA nvram-battery',
      'at 12s power shelf2 off',
      'at 13s client c1 stop',
      'at 14s speed 10x',
      'at 14s speed max',
      'at 15s mark "takeover # done"',
      'at 16s expect filers.filerB.serving contains "filerA"',
      'at 16s expect clients.c1.lostWrites == 0',
      'at 16s expect filers.filerB.serving == ["filerA", "filerB"]  # both',
      'at 16s expect filers.filerB.serving.length >= 2',
      'at 16s expect filers.filerA.cf !contains "takeover"',
      'at 16s expect filers.filerA.cf matches "^wait"',
    ].join('\n'));
    expect(parsed.map((line) => line.line)).toEqual([4, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    expect(parsed[0].action).toEqual({ kind: 'key', filer: 'filerB', key: 'ctrl-c' });
    expect(parsed[1]).toEqual({ line: 3, atUs: 5_000_000, text: 'at 5s console filerA "cf takeover"', action: { kind: 'console', filer: 'filerA', text: 'cf takeover' } });
    expect(parsed[2].action).toEqual({ kind: 'cable', end: { actor: 'filerA', port: '0a' }, plugged: false });
    expect(parsed[5].action).toEqual({ kind: 'fault', component: 'shelf1.3', fault: 'media-error', args: ['100'] });
    expect(parsed[7].action).toEqual({ kind: 'power', component: 'shelf2', on: false });
    expect(parsed[9].action).toEqual({ kind: 'speed', speed: 10 });
    expect(parsed[10].action).toEqual({ kind: 'speed', speed: 'max' });
    expect(parsed[11].action).toEqual({ kind: 'mark', text: 'takeover # done' });
    expect(parsed[13].action).toEqual({ kind: 'expect', path: 'clients.c1.lostWrites', op: '==', value: 0 });
    expect(parsed[14].action).toEqual({ kind: 'expect', path: 'filers.filerB.serving', op: '==', value: ['filerA', 'filerB'] });
    expect(parsed[17].action).toEqual({ kind: 'expect', path: 'filers.filerA.cf', op: 'matches', value: '^wait' });
  });

  it('refuses malformed lines with their line number and what was expected', () => {
    const result = parseScript([
      'at 1s console filerA cf takeover',
      'at soon pull filerA:0a',
      'console filerA "x"',
      'at 2s pull filerA',
      'at 3s teleport filerA',
      'at 4s expect filers.filerA.cf == up',
      'at 5s expect filers.filerA.cf ~= "up"',
      'at 6s power filerA sideways',
      'at 7s key filerA ctrl-q',
      'at 8s speed 1000',
      'at 9s mark "unterminated',
      'at 10s expect clients.c1.lostWrites < "zero"',
      'at 11s expect filers.filerA.cf matches "("',
      'at 12s',
      '# fine',
    ].join('\n'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      'line 1: expected: console <filer> "<line>"',
      "line 2: expected a time like 500ms, 5s, 2m or 1h, found 'soon'",
      "line 3: expected 'at <time> <action>', found 'console'",
      'line 4: expected: pull <device>:<port> (a cable) or pull <shelf>.<bay> (a disk)',
      "line 5: unknown action 'teleport'; expected console, key, pull, plug, insert, fault, clear, power, client, speed, mark or expect",
      'line 6: expected a JSON value after \'==\' ("text", 12, true, [], ["filerB"]), found \'up\'',
      "line 7: unknown operator '~='; expected: expect <path> <op> <JSON value>, op one of == != < <= > >= contains !contains matches",
      'line 8: expected: power <component> off|on',
      "line 9: unknown key 'ctrl-q'; known: ctrl-c, ctrl-d, ctrl-z, ctrl-u, enter, tab, backspace, escape, up, down",
      'line 10: expected: speed <x|max> with x from 0.1 to 100 (e.g. speed 10, speed 0.5x, speed max)',
      'line 11: unterminated string starting at column 12',
      'line 12: \'<\' compares with a number, not "zero"',
      expect.stringMatching(/^line 13: bad regular expression: /),
      'line 14: expected an action after the time: console, key, pull, plug, insert, fault, clear, power, client, speed, mark or expect',
    ]);
  });

  it('resolves actions against a lab and refuses names it does not have', () => {
    const spec: LabSpec = {
      name: 'tiny',
      actors: [{ id: 'filerA', kind: 'filer', config: {} }, { id: 'c1', kind: 'client', config: {} }],
      cables: [{ id: 'filerA:e0a-c1:e0', kind: 'ethernet', a: { actor: 'filerA', port: 'e0a' }, b: { actor: 'c1', port: 'e0' } }],
    };
    const ok = resolveScript(lines('at 1s console filerA "cf status"\nat 2s key filerA ctrl-c\nat 3s pull filerA:e0a\nat 4s mark "m"'), spec);
    expect(ok).toEqual({ ok: true, steps: expect.any(Array) });
    if (!ok.ok) return;
    expect(ok.steps.map((step) => step.kind === 'input' ? step.input : step.kind)).toEqual([
      { kind: 'actor', actor: 'filerA', input: { kind: 'console', data: 'cf status\r' } },
      { kind: 'actor', actor: 'filerA', input: { kind: 'console', data: '\x03' } },
      { kind: 'cable', end: { actor: 'filerA', port: 'e0a' }, plugged: false },
      { kind: 'mark', text: 'm' },
    ]);
    const bad = resolveScript(lines('at 1s console filerZ "x"\nat 2s pull filerA:e0b\nat 3s console c1 "x"\nat 4s pull shelf1.3\nat 5s insert filerA.1'), spec);
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.errors).toEqual([
      "line 1: no actor named 'filerZ'; valid: filerA, c1",
      'line 2: no cable in filerA:e0b; cabled ports: e0a',
      'line 3: c1 is a client: only filers have a console',
      expect.stringMatching(/^line 4: no component 'shelf1.3' in lab tiny/),
      expect.stringMatching(/^line 5: no component 'filerA.1' in lab tiny/),
    ]);
  });

  it('reads a disk pulled out of its bay and a new one inserted', () => {
    const parsed = parseScript('at 1s pull shelf1.7\nat 2s insert shelf1.7\nat 3s insert shelf1');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toEqual(['line 3: expected: insert <shelf>.<bay> (a new disk into an empty bay)']);
    const good = parseScript('at 1s pull shelf1.7\nat 2s insert shelf1.7');
    expect(good.ok && good.lines.map((line) => line.action)).toEqual([
      { kind: 'bay', component: 'shelf1.7', inserted: false },
      { kind: 'bay', component: 'shelf1.7', inserted: true },
    ]);
  });
});

describe('expectations', () => {
  const summary = { filers: { filerB: { serving: ['filerB', 'filerA'], cf: 'takeover' } }, clients: { c1: { lostWrites: 0, opsOk: 12 } } };

  it('reads paths, list lengths and missing values', () => {
    expect(readPath(summary, 'filers.filerB.serving.length')).toBe(2);
    expect(readPath(summary, 'filers.filerB.serving.1')).toBe('filerA');
    expect(readPath(summary, 'filers.filerB.cf.length')).toBe(8);
    expect(readPath(summary, 'filers.filerC.cf')).toBeUndefined();
  });

  it('compares with every operator', () => {
    const check = (path: string, op: Parameters<typeof evaluateExpectation>[2], value: unknown) => evaluateExpectation(summary, path, op, value).passed;
    expect(check('filers.filerB.serving', 'contains', 'filerA')).toBe(true);
    expect(check('filers.filerB.serving', '!contains', 'filerA')).toBe(false);
    expect(check('filers.filerB.serving', '==', ['filerB', 'filerA'])).toBe(true);
    expect(check('filers.filerB.serving', '==', ['filerA', 'filerB'])).toBe(false);
    expect(check('clients.c1.lostWrites', '==', 0)).toBe(true);
    expect(check('clients.c1.lostWrites', '!=', 0)).toBe(false);
    expect(check('clients.c1.opsOk', '>', 11)).toBe(true);
    expect(check('clients.c1.opsOk', '>=', 13)).toBe(false);
    expect(check('clients.c1.opsOk', '<', 13)).toBe(true);
    expect(check('clients.c1.opsOk', '<=', 11)).toBe(false);
    expect(check('filers.filerB.cf', 'matches', '^take')).toBe(true);
    expect(check('filers.filerB.cf', 'contains', 'over')).toBe(true);
    expect(check('filers.filerX.cf', '!=', 'up')).toBe(true);
    expect(check('filers.filerX.cf', '==', 'up')).toBe(false);
    expect(evaluateExpectation(summary, 'filers.filerB.cf', '==', 'up')).toEqual({ passed: false, actual: 'takeover' });
  });
});
