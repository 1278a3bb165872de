// Lab scripts (DESIGN.md §8): one timed action a line, `at <time> <action>`, comments with #. Parsing
// is pure syntax and refuses a malformed line with its number and what was expected; resolving against
// a lab (does filerA exist, is `nvram-battery` a fault of it) is a second step, resolveScript().
import type { Micros, PortRef } from '../engine/actor.ts';
import type { LabInput, LabSpec } from '../engine/lab-spec.ts';
import { faultInput, powerInput, validateInput } from './components.ts';
import { EXPECT_OPERATORS } from './expect.ts';
import type { ExpectOperator } from './expect.ts';
import { compileLinearRegex } from './linear-regex.ts';

export type ScriptAction =
  | { readonly kind: 'console'; readonly filer: string; readonly text: string }
  | { readonly kind: 'key'; readonly filer: string; readonly key: string }
  | { readonly kind: 'cable'; readonly end: PortRef; readonly plugged: boolean }
  /** `pull shelf1.7` takes a disk out of its bay, `insert shelf1.7` pushes a new one in (the `pulled` disk fault). */
  | { readonly kind: 'bay'; readonly component: string; readonly inserted: boolean }
  | { readonly kind: 'fault' | 'clear'; readonly component: string; readonly fault: string; readonly args: readonly string[] }
  | { readonly kind: 'power'; readonly component: string; readonly on: boolean }
  | { readonly kind: 'client'; readonly client: string; readonly action: 'start' | 'stop' }
  | { readonly kind: 'speed'; readonly speed: number | 'max' }
  | { readonly kind: 'mark'; readonly text: string }
  | { readonly kind: 'expect'; readonly path: string; readonly op: ExpectOperator; readonly value: unknown };

export interface ScriptLine {
  /** 1-based line number in the script file. */
  readonly line: number;
  readonly atUs: Micros;
  /** The line as written, without its comment. */
  readonly text: string;
  readonly action: ScriptAction;
}

export type ScriptResult = { ok: true; lines: ScriptLine[] } | { ok: false; errors: string[] };

/** Keys a script can press, as the bytes a terminal sends. */
export const SCRIPT_KEYS: Readonly<Record<string, string>> = {
  'ctrl-c': '\x03', 'ctrl-d': '\x04', 'ctrl-z': '\x1a', 'ctrl-u': '\x15', 'enter': '\r', 'tab': '\t',
  'backspace': '\x7f', 'escape': '\x1b', 'up': '\x1b[A', 'down': '\x1b[B',
};

const TIME_UNITS: Readonly<Record<string, number>> = { us: 1, ms: 1_000, s: 1_000_000, m: 60_000_000, h: 3_600_000_000 };
const MAX_LINES = 100_000;

/** `500ms`, `5s`, `1.5s`, `2m`, `1h`, `1m30s`: microseconds, or undefined when malformed. */
export function parseDuration(text: string): Micros | undefined {
  const parts = /^(?:\d+(?:\.\d+)?(?:us|ms|s|m|h))+$/.test(text) ? text.match(/\d+(?:\.\d+)?(?:us|ms|s|m|h)/g) : null;
  if (!parts) return undefined;
  let total = 0;
  for (const part of parts) {
    const [, amount, unit] = /^(\d+(?:\.\d+)?)(us|ms|s|m|h)$/.exec(part)!;
    total += Number(amount) * TIME_UNITS[unit];
  }
  return Number.isSafeInteger(Math.round(total)) ? Math.round(total) : undefined;
}

export function parseScript(text: string): ScriptResult {
  const lines: ScriptLine[] = [];
  const errors: string[] = [];
  const rows = text.split(/\r?\n/);
  if (rows.length > MAX_LINES) return { ok: false, errors: [`a script has at most ${MAX_LINES} lines`] };
  rows.forEach((row, index) => {
    const parsed = parseLine(row);
    if (parsed === undefined) return;
    if (typeof parsed === 'string') errors.push(`line ${index + 1}: ${parsed}`);
    else lines.push({ line: index + 1, ...parsed });
  });
  if (errors.length > 0) return { ok: false, errors };
  // Stable: lines at the same time keep their order in the file.
  return { ok: true, lines: lines.map((line, order) => ({ line, order })).sort((a, b) => a.line.atUs - b.line.atUs || a.order - b.order).map(({ line }) => line) };
}

type Token = { readonly text: string; readonly quoted: boolean; readonly start: number };

/** Splits on blanks, keeping "quoted strings" (JSON escapes) whole and dropping a # comment. */
function tokenize(row: string): { tokens: Token[]; bodyEnd: number } | string {
  const tokens: Token[] = [];
  let index = 0;
  while (index < row.length) {
    const char = row[index];
    if (char === ' ' || char === '\t') { index++; continue; }
    if (char === '#') break;
    const start = index;
    if (char === '"') {
      index++;
      while (index < row.length && row[index] !== '"') index += row[index] === '\\' ? 2 : 1;
      if (index >= row.length) return `unterminated string starting at column ${start + 1}`;
      index++;
      let value: string;
      try { value = JSON.parse(row.slice(start, index)) as string; } catch { return `bad escape in the string at column ${start + 1}`; }
      tokens.push({ text: value, quoted: true, start });
      continue;
    }
    while (index < row.length && row[index] !== ' ' && row[index] !== '\t' && row[index] !== '#') {
      // A quote inside a bare word (a JSON array such as ["filerA","x y"]) runs to its closing quote.
      if (row[index] === '"') {
        const opened = index++;
        while (index < row.length && row[index] !== '"') index += row[index] === '\\' ? 2 : 1;
        if (index >= row.length) return `unterminated string starting at column ${opened + 1}`;
      }
      index++;
    }
    tokens.push({ text: row.slice(start, index), quoted: false, start });
  }
  return { tokens, bodyEnd: index };
}

function parseLine(row: string): { atUs: Micros; text: string; action: ScriptAction } | string | undefined {
  const tokenized = tokenize(row);
  if (typeof tokenized === 'string') return tokenized;
  const { tokens, bodyEnd } = tokenized;
  const body = row.slice(0, bodyEnd).trim();
  if (tokens.length === 0) return undefined;
  if (tokens[0].text !== 'at' || tokens[0].quoted) return `expected 'at <time> <action>', found '${tokens[0].text}'`;
  if (tokens.length < 2) return "expected a time after 'at' (like 500ms, 5s, 2m, 1h)";
  const atUs = parseDuration(tokens[1].text);
  if (atUs === undefined || tokens[1].quoted) return `expected a time like 500ms, 5s, 2m or 1h, found '${tokens[1].text}'`;
  if (tokens.length < 3) return 'expected an action after the time: console, key, pull, plug, insert, fault, clear, power, client, speed, mark or expect';
  const action = parseAction(tokens.slice(2), row.slice(0, bodyEnd));
  return typeof action === 'string' ? action : { atUs, text: body, action };
}

/** `body` is the line without its comment. */
function parseAction(tokens: Token[], body: string): ScriptAction | string {
  const [verb, ...args] = tokens;
  const bare = (token: Token | undefined): token is Token => token !== undefined && !token.quoted;
  switch (verb.text) {
    case 'console':
      if (args.length !== 2 || !bare(args[0]) || !args[1].quoted) return 'expected: console <filer> "<line>"';
      return { kind: 'console', filer: args[0].text, text: args[1].text };
    case 'key':
      if (args.length !== 2 || !bare(args[0]) || !bare(args[1])) return 'expected: key <filer> <key> (ctrl-c, enter, …)';
      if (!Object.hasOwn(SCRIPT_KEYS, args[1].text)) return `unknown key '${args[1].text}'; known: ${Object.keys(SCRIPT_KEYS).join(', ')}`;
      return { kind: 'key', filer: args[0].text, key: args[1].text };
    case 'pull':
    case 'plug': {
      const end = args.length === 1 && bare(args[0]) ? /^([^:\s]+):([^:\s]+)$/.exec(args[0].text) : null;
      if (!end && verb.text === 'pull' && args.length === 1 && bare(args[0]) && /^[^.:\s]+\.\d+$/.test(args[0].text)) {
        return { kind: 'bay', component: args[0].text, inserted: false };
      }
      if (!end) return verb.text === 'pull' ? 'expected: pull <device>:<port> (a cable) or pull <shelf>.<bay> (a disk)' : 'expected: plug <device>:<port>';
      return { kind: 'cable', end: { actor: end[1], port: end[2] }, plugged: verb.text === 'plug' };
    }
    case 'insert':
      if (args.length !== 1 || !bare(args[0]) || !/^[^.:\s]+\.\d+$/.test(args[0].text)) return 'expected: insert <shelf>.<bay> (a new disk into an empty bay)';
      return { kind: 'bay', component: args[0].text, inserted: true };
    case 'fault':
    case 'clear':
      if (args.length < 2 || !args.every(bare)) return `expected: ${verb.text} <component> <kind> [args]`;
      return { kind: verb.text, component: args[0].text, fault: args[1].text, args: args.slice(2).map((arg) => arg.text) };
    case 'power':
      if (args.length !== 2 || !bare(args[0]) || !['on', 'off'].includes(args[1].text)) return 'expected: power <component> off|on';
      return { kind: 'power', component: args[0].text, on: args[1].text === 'on' };
    case 'client':
      if (args.length !== 2 || !bare(args[0]) || !['start', 'stop'].includes(args[1].text)) return 'expected: client <client> start|stop';
      return { kind: 'client', client: args[0].text, action: args[1].text as 'start' | 'stop' };
    case 'speed': {
      const speed = args.length === 1 ? parseSpeed(args[0].text) : undefined;
      if (speed === undefined) return 'expected: speed <x|max> with x from 0.1 to 100 (e.g. speed 10, speed 0.5x, speed max)';
      return { kind: 'speed', speed };
    }
    case 'mark':
      if (args.length !== 1 || !args[0].quoted) return 'expected: mark "<text>"';
      return { kind: 'mark', text: args[0].text };
    case 'expect':
      return parseExpect(args, body);
    default:
      return `unknown action '${verb.text}'; expected console, key, pull, plug, insert, fault, clear, power, client, speed, mark or expect`;
  }
}

/** `10`, `10x`, `0.5x`, `max` → a speed, or undefined. */
export function parseSpeed(text: string): number | 'max' | undefined {
  if (text === 'max') return 'max';
  const match = /^(\d+(?:\.\d+)?)x?$/.exec(text);
  const speed = match ? Number(match[1]) : NaN;
  return speed >= 0.1 && speed <= 100 ? speed : undefined;
}

function parseExpect(args: Token[], body: string): ScriptAction | string {
  const usage = `expected: expect <path> <op> <JSON value>, op one of ${EXPECT_OPERATORS.join(' ')}`;
  if (args.length < 3 || args[0].quoted || args[1].quoted) return usage;
  const op = args[1].text as ExpectOperator;
  if (!EXPECT_OPERATORS.includes(op)) return `unknown operator '${args[1].text}'; ${usage}`;
  if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_:-]+)*$/.test(args[0].text)) return `bad path '${args[0].text}': names joined by dots, like filers.filerB.serving`;
  // The value is the rest of the line (minus its comment), read as JSON: "text", 12, true, [], ["filerB"].
  const valueText = body.slice(args[2].start).trim();
  let value: unknown;
  try { value = JSON.parse(valueText); } catch {
    return `expected a JSON value after '${op}' ("text", 12, true, [], ["filerB"]), found '${valueText}'`;
  }
  if ((op === '<' || op === '<=' || op === '>' || op === '>=') && typeof value !== 'number') return `'${op}' compares with a number, not ${JSON.stringify(value)}`;
  if (op === 'matches') {
    if (typeof value !== 'string') return "'matches' takes a regular expression in a string";
    // Compiled by the linear-time engine the run uses: a pattern it cannot run in linear time is refused here.
    try { compileLinearRegex(value); } catch (error) { return `bad regular expression: ${(error as Error).message}`; }
  }
  return { kind: 'expect', path: args[0].text, op, value };
}

export type ResolvedStep =
  | { readonly line: ScriptLine; readonly kind: 'input'; readonly input: LabInput }
  | { readonly line: ScriptLine; readonly kind: 'speed'; readonly speed: number | 'max' }
  | { readonly line: ScriptLine; readonly kind: 'expect'; readonly path: string; readonly op: ExpectOperator; readonly value: unknown };

/** Turns parsed lines into inputs for one lab, refusing names the lab does not have. */
export function resolveScript(lines: readonly ScriptLine[], spec: LabSpec): { ok: true; steps: ResolvedStep[] } | { ok: false; errors: string[] } {
  const steps: ResolvedStep[] = [];
  const errors: string[] = [];
  for (const line of lines) {
    const step = resolveLine(line, spec);
    if (typeof step === 'string') errors.push(`line ${line.line}: ${step}`);
    else steps.push(step);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, steps };
}

function resolveLine(line: ScriptLine, spec: LabSpec): ResolvedStep | string {
  const action = line.action;
  const input = (labInput: LabInput): ResolvedStep | string => validateInput(spec, labInput) ?? { line, kind: 'input', input: labInput };
  switch (action.kind) {
    case 'console': return input({ kind: 'actor', actor: action.filer, input: { kind: 'console', data: `${action.text}\r` } });
    case 'key': return input({ kind: 'actor', actor: action.filer, input: { kind: 'console', data: SCRIPT_KEYS[action.key] } });
    case 'cable': return input({ kind: 'cable', end: action.end, plugged: action.plugged });
    case 'fault':
    case 'clear': {
      const result = faultInput(spec, action.kind, action.component, action.fault, action.args);
      return result.ok ? { line, kind: 'input', input: result.input } : result.error;
    }
    case 'bay': {
      const result = faultInput(spec, action.inserted ? 'clear' : 'fault', action.component, 'pulled');
      return result.ok ? { line, kind: 'input', input: result.input } : result.error;
    }
    case 'power': {
      const result = powerInput(spec, action.component, action.on);
      return result.ok ? { line, kind: 'input', input: result.input } : result.error;
    }
    case 'client': return input({ kind: 'actor', actor: action.client, input: { kind: 'client', action: action.action } });
    case 'mark': return { line, kind: 'input', input: { kind: 'mark', text: action.text } };
    case 'speed': return { line, kind: 'speed', speed: action.speed };
    case 'expect': return { line, kind: 'expect', path: action.path, op: action.op, value: action.value };
  }
}
