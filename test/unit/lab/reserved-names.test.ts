// Lab files that name a part like an Object.prototype member (issue 21): `vserver: toString` crashed
// the checks, `switch: constructor` was accepted. Each is refused with the field and its line.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resolveLabText } from '../../../emulator/lab/catalog.ts';
import { parseScript } from '../../../emulator/lab/script.ts';

const base = readFileSync(fileURLToPath(new URL('../../../emulator/lab/labs/ha-pair.lab.yaml', import.meta.url)), 'utf8');

const cases: [label: string, edit: (text: string) => string, error: RegExp][] = [
  ['vserver: toString', (t) => t.replace(/vserver: \w+/, 'vserver: toString'), /^x\.lab\.yaml:\d+: clients\.c1\.vserver: 'toString' is reserved/],
  ['switch: constructor', (t) => t.replace(/switch: \w+/, 'switch: constructor'), /^x\.lab\.yaml:\d+: subnets\.net1\.switch: 'constructor' is reserved/],
  ['a filer named constructor', (t) => t.replace(/\n {2}filerA:/, '\n  constructor:'), /^x\.lab\.yaml:\d+: filers\.constructor: bad name: 'constructor' is reserved/],
  ['home: hasOwnProperty', (t) => t.replace(/home: \w+/, 'home: hasOwnProperty'), /vservers\.\w+\.home: 'hasOwnProperty' is reserved/],
  ['partner: valueOf', (t) => t.replace(/partner: \w+/, 'partner: valueOf'), /filers\.filerA\.partner: 'valueOf' is reserved/],
  ['owner: toString', (t) => t.replace(/owner: \w+/, 'owner: toString'), /shelves\.shelf1\.owner: 'toString' is reserved/],
  ['subnet: constructor', (t) => t.replace(/subnet: \w+/, 'subnet: constructor'), /ethernet\.e0a\.subnet: 'constructor' is reserved/],
  ['an Ethernet port named __proto__', (t) => t.replace(/e0a:/, '__proto__:'), /filers\.filerA\.ethernet\.__proto__: '__proto__' cannot be a name or a key/],
  ['an option named constructor', (t) => t.replace(/\n {4}options:\n/, '\n    options:\n      constructor: on\n'), /options\.constructor: bad name: 'constructor' is not an option name/],
  ['an option named __proto__', (t) => t.replace(/\n {4}options:\n/, '\n    options:\n      __proto__: on\n'), /options\.__proto__: '__proto__' cannot be a name or a key/],
];

describe('reserved names in lab files', () => {
  it.each(cases)('%s is refused with its field and line', (_label, edit, error) => {
    const text = edit(base);
    expect(text).not.toBe(base);
    const resolved = resolveLabText('x.lab.yaml', text);
    expect(resolved.ok).toBe(false);
    if (resolved.ok) return;
    expect(resolved.errors.some((line) => error.test(line)), resolved.errors.join('\n')).toBe(true);
    for (const line of resolved.errors) expect(line).toMatch(/^x\.lab\.yaml:\d+: /);
  });

  it('still opens the built-in lab unchanged', () => {
    expect(resolveLabText('x.lab.yaml', base).ok).toBe(true);
  });

  it('refuses a script key named like an Object.prototype member', () => {
    const parsed = parseScript('at 1s key filerA constructor\n');
    expect(parsed).toMatchObject({ ok: false });
    if (!parsed.ok) expect(parsed.errors[0]).toMatch(/^line 1: unknown key 'constructor'/);
  });
});
