// Hostile corpus (issue 21): lab files and lab scripts. Every input is refused with a reason naming its
// line, or survives; none throws, none takes seconds. Regression tests of the defects it found: the
// billion laughs, deep nesting, oversized labs, switching loops, backtracking patterns in `matches`.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtinLabPath, resolveLabText } from '../../../emulator/lab/catalog.ts';
import { LAB_LIMITS } from '../../../emulator/lab/cross-check.ts';
import { evaluateExpectation } from '../../../emulator/lab/expect.ts';
import { parseScript, resolveScript } from '../../../emulator/lab/script.ts';
import { judge, mutations, newTally, PROTO_NAMES, report } from './corpus.ts';

const HA_PAIR = readFileSync(builtinLabPath('ha-pair'), 'utf8');
const spec = (() => {
  const resolved = resolveLabText('ha-pair', HA_PAIR);
  if (!resolved.ok) throw new Error(resolved.errors.join('\n'));
  return resolved.spec;
})();

function billionLaughs(levels: number): string {
  const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
  for (let level = 1; level <= levels; level++) {
    const previous = String.fromCharCode(96 + level);
    lines.push(`${String.fromCharCode(97 + level)}: &${String.fromCharCode(97 + level)} [${Array(10).fill(`*${previous}`).join(',')}]`);
  }
  return `${lines.join('\n')}\n`;
}

function filers(count: number): string {
  const entries = Array.from({ length: count }, (_, i) => `  f${i}: { systemId: "${String(1_000_000_000 + i)}", fcPorts: [0a], ethernet: {} }`);
  return `name: big\nfilers:\n${entries.join('\n')}\n`;
}

function switchLab(cables: string): string {
  return `name: loop\nfilers:\n  fA: { systemId: "1000000001", fcPorts: [0a], ethernet: {} }\nswitches:\n  s1: { ports: 4 }\n  s2: { ports: 4 }\n  s3: { ports: 4 }\ncables:\n${cables}`;
}

/** Hand-made hostile lab files, by what they attack. */
function labCorpus(): { label: string; text: string }[] {
  const corpus = [
    { label: 'billion laughs (9 levels)', text: billionLaughs(8) },
    { label: 'a few aliases', text: billionLaughs(1) },
    { label: 'flow nesting 100,000 deep', text: `name: x\nfilers: ${'['.repeat(100_000)}\n` },
    { label: 'block nesting 3,000 deep', text: Array.from({ length: 3_000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') },
    { label: '300 filers', text: filers(300) },
    { label: `${LAB_LIMITS.filers + 1} filers`, text: filers(LAB_LIMITS.filers + 1) },
    { label: 'a switch cabled to itself', text: switchLab('  - [s1:p1, s1:p2]\n') },
    { label: 'a ring of three switches', text: switchLab('  - [s1:p1, s2:p1]\n  - [s2:p2, s3:p1]\n  - [s3:p2, s1:p2]\n') },
    { label: 'two cables between two switches', text: switchLab('  - [s1:p1, s2:p1]\n  - [s1:p2, s2:p2]\n') },
    { label: '1,000 cables', text: `${HA_PAIR}\n${Array.from({ length: 1_000 }, (_, i) => `  - [x${i}:p1, y${i}:p1]`).join('\n')}\n` },
    { label: 'a YAML scalar', text: 'just a string\n' },
    { label: 'a YAML list', text: '- 1\n- 2\n' },
    { label: 'empty', text: '' },
    { label: 'binary', text: '\u0000\u0001\u0002\uffff\ud800' },
    { label: 'a 2 MB line', text: `name: ${'x'.repeat(2_000_000)}\n` },
    { label: 'duplicate keys', text: 'name: a\nname: b\n' },
    { label: 'tabs for indentation', text: 'name: a\nfilers:\n\tfA: {}\n' },
    { label: 'a dotfile with secrets', text: 'AWS_SECRET_ACCESS_KEY=hunter2\nexport TOKEN=abc\n' },
    { label: 'custom tags', text: 'name: !!js/function "x"\nfilers: !!binary aGVsbG8=\n' },
  ];
  for (const name of PROTO_NAMES) {
    corpus.push({ label: `filer named ${name}`, text: HA_PAIR.replace(/\bfilerA\b/g, name) });
    corpus.push({ label: `switch named ${name}`, text: HA_PAIR.replace(/\bsw1\b/g, name) });
    corpus.push({ label: `top-level key ${name}`, text: `${name}: 1\n${HA_PAIR}` });
  }
  return corpus;
}

describe('hostile lab files', () => {
  it('refuses each with a reason naming its line, or survives it, quickly', () => {
    const tally = newTally();
    const corpus = [...labCorpus(), ...mutations(HA_PAIR, 300, 21, ['&a x', '*a', '[[[[', '{', '__proto__: 1', 'constructor:', '\t', ': :', '"', "'", '%YAML 9', '---\n---', 'sw1:p1', '!!str'])];
    for (const { label, text } of corpus) {
      judge(tally, label, 2_000, () => {
        const resolved = resolveLabText('hostile.lab.yaml', text);
        if (resolved.ok) return undefined;
        for (const error of resolved.errors) expect(error, label).toMatch(/^hostile\.lab\.yaml:\d+: /);
        return resolved.errors.join('\n');
      });
    }
    report('lab files', tally);
  });

  it('says why for the defects issue 21 found', () => {
    const errors = (text: string) => { const resolved = resolveLabText('x.lab.yaml', text); return resolved.ok ? [] : resolved.errors; };
    expect(errors(billionLaughs(8))).toEqual(['x.lab.yaml:1: its aliases expand too far (at most 100 alias uses)']);
    expect(errors(`filers: ${'['.repeat(1_000)}`)[0]).toContain('nests 1000 levels deep');
    expect(errors(filers(300))).toEqual(['x.lab.yaml:3: filers: a lab has at most 16 filers; this one has 300']);
    expect(errors(switchLab('  - [s1:p1, s1:p2]\n'))).toContain('x.lab.yaml:9: cables.0: s1 is cabled to itself: a switching loop (broadcasts would multiply)');
    expect(errors(switchLab('  - [s1:p1, s2:p1]\n  - [s2:p2, s3:p1]\n  - [s3:p2, s1:p2]\n'))).toContain('x.lab.yaml:11: cables.2: this cable closes a loop of switches through s3 and s1 (broadcasts would multiply)');
    // Secrets in a file that is not a lab file are not quoted back.
    expect(errors('AWS_SECRET_ACCESS_KEY=hunter2\n').join('\n')).not.toContain('hunter2');
  });
});

/** Hand-made hostile scripts. */
function scriptCorpus(): { label: string; text: string }[] {
  const corpus = [
    { label: 'ReDoS ^(a+)+$', text: 'at 1s expect filers.filerA.state matches "^(a+)+$"' },
    { label: 'ReDoS (a|a)*b', text: 'at 1s expect filers.filerA.state matches "(a|a)*b"' },
    { label: 'ReDoS (a*)*b', text: 'at 1s expect filers.filerA.state matches "(a*)*b"' },
    { label: 'a backreference', text: 'at 1s expect filers.filerA.state matches "(a)\\\\1"' },
    { label: 'a lookahead', text: 'at 1s expect filers.filerA.state matches "(?=a)"' },
    { label: 'a count of a million', text: 'at 1s expect filers.filerA.state matches "a{1000000}"' },
    { label: 'nested counts', text: 'at 1s expect filers.filerA.state matches "((a{100}){100}){100}"' },
    { label: 'a time past safe integers', text: 'at 99999999999999999h mark "x"' },
    { label: 'an unterminated string', text: 'at 1s console filerA "sysconfig' },
    { label: '100,001 lines', text: 'at 1s mark "x"\n'.repeat(100_001) },
    { label: 'a 1 MB console line', text: `at 1s console filerA "${'x'.repeat(1_000_000)}"` },
    { label: 'a deep JSON value', text: `at 1s expect lab == ${'['.repeat(5_000)}${']'.repeat(5_000)}` },
    { label: 'control characters', text: 'at 1s console filerA "\\u0000\\u001b[2J"' },
  ];
  for (const name of PROTO_NAMES) {
    corpus.push({ label: `console to ${name}`, text: `at 1s console ${name} "x"` });
    corpus.push({ label: `fault on ${name}`, text: `at 1s fault ${name} ${name}` });
    corpus.push({ label: `pull ${name}:${name}`, text: `at 1s pull ${name}:${name}` });
    corpus.push({ label: `key ${name}`, text: `at 1s key filerA ${name}` });
    corpus.push({ label: `client ${name}`, text: `at 1s client ${name} stop` });
    corpus.push({ label: `expect path ${name}`, text: `at 1s expect ${name}.${name} == 1` });
  }
  return corpus;
}

const VALID_SCRIPT = [
  'at 1s console filerA "cf status"', 'at 2s key filerA ctrl-c', 'at 3s pull filerA:0a', 'at 4s plug filerA:0a',
  'at 5s fault sw1 down', 'at 6s clear sw1 down', 'at 7s power shelf1 off', 'at 8s client c1 stop', 'at 9s speed 10',
  'at 10s mark "here"', 'at 11s expect filers.filerA.cf matches "^(en|dis)abled"',
].join('\n');

describe('hostile lab scripts', () => {
  it('refuses each with a reason naming its line, or survives it; matches never backtracks', () => {
    const tally = newTally();
    for (const { label, text } of [...scriptCorpus(), ...mutations(VALID_SCRIPT, 300, 22, ['"', '\\', 'at', '#', '(a+)+', '\\1', '{99999}', '[', 'constructor', 'ms', '-1s'])]) {
      judge(tally, label, 2_000, () => {
        const parsed = parseScript(text);
        if (!parsed.ok) return parsed.errors.join('\n');
        const resolved = resolveScript(parsed.lines, spec);
        if (!resolved.ok) return resolved.errors.join('\n');
        // Survived: each expectation is evaluated against a hostile summary, within the bound too.
        for (const step of resolved.steps) {
          if (step.kind === 'expect') evaluateExpectation({ filers: { filerA: { state: 'a'.repeat(65_536), cf: 'a'.repeat(65_536) } } }, step.path, step.op, step.value);
        }
        return undefined;
      });
    }
    report('scripts', tally);
  });

  it('runs ^(a+)+$ on a long text in linear time and refuses backtracking-only syntax with why', () => {
    const started = performance.now();
    expect(evaluateExpectation({ p: `${'a'.repeat(65_536)}b` }, 'p', 'matches', '^(a+)+$').passed).toBe(false);
    expect(evaluateExpectation({ p: 'a'.repeat(32) }, 'p', 'matches', '^(a+)+$').passed).toBe(true);
    expect(performance.now() - started).toBeLessThan(1_000);
    const parsed = parseScript('at 1s expect p matches "(a)\\\\1"');
    expect(parsed).toEqual({ ok: false, errors: ['line 1: bad regular expression: backreferences are not supported (they need backtracking) (at character 4)'] });
  });
});
