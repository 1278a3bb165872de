// The `matches` operator of lab scripts (issue 21): a regular expression run in time linear in the text.
// JavaScript's RegExp backtracks — `^(a+)+$` on 32 characters took 91 s — and a script is input. So
// patterns are compiled here to a small program for a Pike VM (Thompson's construction, simulated
// breadth-first as RE2 does): at most (program size × text length) steps, whatever the pattern. The
// syntax is the part of JavaScript's that needs no backtracking: literals, `.`, classes `[a-z]` `[^…]`,
// the escapes \d \D \w \W \s \S and escaped punctuation, groups `(…)` `(?:…)`, `|`, `* + ? {n} {n,}
// {n,m}` (a lazy `?` after them is accepted: it cannot change whether a text matches), `^` and `$`.
// Backreferences, lookaround and word boundaries are refused at parse time with why.

/** A pattern's length, at most; and its program's (counted repetitions multiply it). */
export const PATTERN_MAX_CHARS = 1_000;
export const PROGRAM_MAX_STEPS = 2_000;
/**
 * The text a pattern is run on, at most: longer texts are tested on their first this many characters
 * (where `$` does not match).
 * With the program cap, one test is at most ~10^8 cheap steps (well under a second), never exponential.
 */
export const SUBJECT_MAX_CHARS = 65_536;
const REPEAT_MAX = 1_000;

type CharTest = (code: number) => boolean;
type Node =
  | { readonly type: 'char'; readonly test: CharTest }
  | { readonly type: 'start' | 'end' | 'empty' }
  | { readonly type: 'concat' | 'alt'; readonly items: readonly Node[] }
  | { readonly type: 'repeat'; readonly item: Node; readonly min: number; readonly max: number };
type Instruction =
  | { op: 'char'; test: CharTest }
  | { op: 'split'; next: number; alt: number }
  | { op: 'jump'; next: number }
  | { op: 'start' | 'end' | 'match' };

export interface LinearRegex {
  /** Whether the pattern matches anywhere in `text` (as RegExp.prototype.test without flags). */
  test(text: string): boolean;
}

export class RegexSyntaxError extends Error {
  constructor(message: string, readonly at: number) {
    super(`${message} (at character ${at + 1})`);
    this.name = 'RegexSyntaxError';
  }
}

/** Compiles a pattern, or throws RegexSyntaxError saying what is not supported and where. */
export function compileLinearRegex(pattern: string): LinearRegex {
  if (pattern.length > PATTERN_MAX_CHARS) throw new RegexSyntaxError(`a pattern has at most ${PATTERN_MAX_CHARS} characters`, PATTERN_MAX_CHARS);
  const parser = new Parser(pattern);
  const tree = parser.parseAll();
  const program: Instruction[] = [];
  emit(tree, program);
  program.push({ op: 'match' });
  // A longer text is tested on its start, where `$` never matches (its end is not there).
  return { test: (text) => run(program, text.length > SUBJECT_MAX_CHARS ? text.slice(0, SUBJECT_MAX_CHARS) : text, text.length > SUBJECT_MAX_CHARS) };
}

class Parser {
  private at = 0;
  private depth = 0;

  constructor(private readonly pattern: string) {}

  parseAll(): Node {
    const node = this.alternation();
    if (this.at < this.pattern.length) throw new RegexSyntaxError(`unmatched '${this.pattern[this.at]}'`, this.at);
    return node;
  }

  private alternation(): Node {
    const items = [this.sequence()];
    while (this.pattern[this.at] === '|') {
      this.at++;
      items.push(this.sequence());
    }
    return items.length === 1 ? items[0]! : { type: 'alt', items };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.at < this.pattern.length && this.pattern[this.at] !== '|' && this.pattern[this.at] !== ')') {
      items.push(this.quantified(this.atom()));
    }
    return items.length === 1 ? items[0]! : items.length === 0 ? { type: 'empty' } : { type: 'concat', items };
  }

  private quantified(item: Node): Node {
    const char = this.pattern[this.at];
    let min: number;
    let max: number;
    if (char === '*' || char === '+' || char === '?') {
      this.at++;
      [min, max] = char === '*' ? [0, Infinity] : char === '+' ? [1, Infinity] : [0, 1];
    } else if (char === '{' && /^\{\d+(,\d*)?\}/.test(this.pattern.slice(this.at))) {
      const [, low, comma, high] = /^\{(\d+)(,(\d*))?\}/.exec(this.pattern.slice(this.at))!;
      const start = this.at;
      this.at += this.pattern.slice(this.at).indexOf('}') + 1;
      min = Number(low);
      max = comma === undefined ? min : high === '' || high === undefined ? Infinity : Number(high);
      if (min > REPEAT_MAX || (max !== Infinity && max > REPEAT_MAX)) throw new RegexSyntaxError(`a count above ${REPEAT_MAX}`, start);
      if (max < min) throw new RegexSyntaxError('numbers out of order in {}', start);
    } else {
      return item;
    }
    if (item.type === 'start' || item.type === 'end') throw new RegexSyntaxError('nothing to repeat', this.at - 1);
    if (this.pattern[this.at] === '?') this.at++;
    const after = this.pattern[this.at];
    if (after === '*' || after === '+' || after === '?') throw new RegexSyntaxError('nothing to repeat', this.at);
    return { type: 'repeat', item, min, max };
  }

  private atom(): Node {
    const start = this.at;
    const char = this.pattern[this.at++]!;
    switch (char) {
      case '^': return { type: 'start' };
      case '$': return { type: 'end' };
      case '.': return { type: 'char', test: (code) => !isLineTerminator(code) };
      case '[': return { type: 'char', test: this.charClass() };
      case '\\': return { type: 'char', test: this.escape(false) };
      case '*': case '+': case '?': throw new RegexSyntaxError('nothing to repeat', start);
      case '(': {
        if (this.pattern.startsWith('?:', this.at)) this.at += 2;
        else if (this.pattern[this.at] === '?') throw new RegexSyntaxError('lookaround and named groups are not supported (they need backtracking)', start);
        if (++this.depth > 100) throw new RegexSyntaxError('groups nest more than 100 deep', start);
        const inner = this.alternation();
        this.depth--;
        if (this.pattern[this.at] !== ')') throw new RegexSyntaxError("unterminated group: no ')'", start);
        this.at++;
        return inner;
      }
      case ')': throw new RegexSyntaxError("unmatched ')'", start);
      default: {
        const code = this.pattern.codePointAt(start)!;
        if (code > 0xffff) this.at++;
        return { type: 'char', test: (other) => other === code };
      }
    }
  }

  /** After `\`: a class escape or one literal character; `inClass` allows \b as backspace. */
  private escape(inClass: boolean): CharTest {
    const start = this.at - 1;
    const char = this.pattern[this.at++];
    switch (char) {
      case undefined: throw new RegexSyntaxError('\\ at the end of the pattern', start);
      case 'd': return isDigit;
      case 'D': return (code) => !isDigit(code);
      case 'w': return isWord;
      case 'W': return (code) => !isWord(code);
      case 's': return isSpace;
      case 'S': return (code) => !isSpace(code);
      case 'n': return (code) => code === 0x0a;
      case 'r': return (code) => code === 0x0d;
      case 't': return (code) => code === 0x09;
      case 'b': if (inClass) return (code) => code === 0x08;
        throw new RegexSyntaxError('\\b (a word boundary) is not supported', start);
      default:
        if (/[1-9]/.test(char)) throw new RegexSyntaxError('backreferences are not supported (they need backtracking)', start);
        if (/[A-Za-z0-9]/.test(char)) throw new RegexSyntaxError(`\\${char} is not supported`, start);
        return (code) => code === char.charCodeAt(0);
    }
  }

  private charClass(): CharTest {
    const start = this.at - 1;
    const negated = this.pattern[this.at] === '^';
    if (negated) this.at++;
    const tests: CharTest[] = [];
    let first = true;
    while (this.pattern[this.at] !== ']' || first) {
      first = false;
      if (this.at >= this.pattern.length) throw new RegexSyntaxError("unterminated class: no ']'", start);
      const low = this.classAtom();
      if (this.pattern[this.at] === '-' && this.pattern[this.at + 1] !== ']' && this.at + 1 < this.pattern.length && typeof low === 'number') {
        this.at++;
        const high = this.classAtom();
        if (typeof high !== 'number' || high < low) throw new RegexSyntaxError('a range out of order in a class', start);
        tests.push((code) => code >= low && code <= high);
      } else {
        tests.push(typeof low === 'number' ? (code) => code === low : low);
      }
    }
    this.at++;
    return (code) => tests.some((test) => test(code)) !== negated;
  }

  /** One character of a class (its code) or a class escape (its test). */
  private classAtom(): number | CharTest {
    const char = this.pattern[this.at++]!;
    if (char !== '\\') return char.charCodeAt(0);
    const next = this.pattern[this.at];
    if (next !== undefined && !/[dDwWsSb]/.test(next) && !/[A-Za-z0-9]/.test(next)) {
      this.at++;
      return next.charCodeAt(0);
    }
    if (next === 'n' || next === 'r' || next === 't' || next === 'b') {
      this.at++;
      return { n: 0x0a, r: 0x0d, t: 0x09, b: 0x08 }[next];
    }
    return this.escape(true);
  }
}

/** Thompson's construction; counted repeats are unrolled, and the program's size is capped. */
function emit(node: Node, program: Instruction[]): void {
  if (program.length > PROGRAM_MAX_STEPS) throw new RegexSyntaxError(`the pattern expands past ${PROGRAM_MAX_STEPS} steps (counted repeats multiply it)`, 0);
  switch (node.type) {
    case 'char': program.push({ op: 'char', test: node.test }); return;
    case 'start': case 'end': program.push({ op: node.type }); return;
    case 'empty': return;
    case 'concat': for (const item of node.items) emit(item, program); return;
    case 'alt': {
      const jumps: { op: 'jump'; next: number }[] = [];
      node.items.forEach((item, index) => {
        if (index === node.items.length - 1) return emit(item, program);
        const split: Instruction = { op: 'split', next: program.length + 1, alt: 0 };
        program.push(split);
        emit(item, program);
        const jump = { op: 'jump' as const, next: 0 };
        jumps.push(jump);
        program.push(jump);
        split.alt = program.length;
      });
      for (const jump of jumps) jump.next = program.length;
      return;
    }
    case 'repeat': {
      for (let count = 0; count < node.min; count++) emit(node.item, program);
      if (node.max === Infinity) {
        const split: Instruction = { op: 'split', next: program.length + 1, alt: 0 };
        const loop = program.length;
        program.push(split);
        emit(node.item, program);
        program.push({ op: 'jump', next: loop });
        split.alt = program.length;
        return;
      }
      const splits: { op: 'split'; next: number; alt: number }[] = [];
      for (let count = node.min; count < node.max; count++) {
        const split = { op: 'split' as const, next: program.length + 1, alt: 0 };
        splits.push(split);
        program.push(split);
        emit(node.item, program);
      }
      for (const split of splits) split.alt = program.length;
    }
  }
}

/** The Pike VM: the set of live program counters, advanced one character at a time. */
function run(program: readonly Instruction[], text: string, truncated: boolean): boolean {
  let current = new Int32Array(program.length);
  let next = new Int32Array(program.length);
  const seen = new Int32Array(program.length).fill(-1);
  const stack = new Int32Array(program.length * 2 + 2);
  let currentCount = 0;
  let generation = 0;
  /** Adds pc and what it reaches without reading a character; true when that reaches a match. */
  const add = (list: Int32Array, count: number, pc: number, position: number): { count: number; matched: boolean } => {
    let top = 0;
    stack[top++] = pc;
    let matched = false;
    while (top > 0) {
      const at = stack[--top]!;
      if (seen[at] === generation) continue;
      seen[at] = generation;
      const instruction = program[at]!;
      switch (instruction.op) {
        case 'jump': stack[top++] = instruction.next; break;
        case 'split': stack[top++] = instruction.alt; stack[top++] = instruction.next; break;
        case 'start': if (position === 0) stack[top++] = at + 1; break;
        case 'end': if (position === text.length && !truncated) stack[top++] = at + 1; break;
        case 'match': matched = true; break;
        case 'char': list[count++] = at; break;
      }
    }
    return { count, matched };
  };
  // One generation per position: the threads carried into a position and the one started there share it.
  generation = 1;
  for (let position = 0; position <= text.length; position++) {
    const started = add(current, currentCount, 0, position);
    if (started.matched) return true;
    currentCount = started.count;
    if (position === text.length) return false;
    const code = text.charCodeAt(position);
    generation++;
    let nextCount = 0;
    for (let index = 0; index < currentCount; index++) {
      const instruction = program[current[index]!]! as { op: 'char'; test: CharTest };
      if (!instruction.test(code)) continue;
      const added = add(next, nextCount, current[index]! + 1, position + 1);
      if (added.matched) return true;
      nextCount = added.count;
    }
    [current, next] = [next, current];
    currentCount = nextCount;
  }
  return false;
}

function isLineTerminator(code: number): boolean {
  return code === 0x0a || code === 0x0d || code === 0x2028 || code === 0x2029;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function isWord(code: number): boolean {
  return isDigit(code) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f;
}

function isSpace(code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d) || code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a)
    || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff;
}
