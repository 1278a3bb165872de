// Reads a lab file: YAML with line numbers, then the zod schema, then the cross-checks. Every error
// reads `file:line: path.to.field: message`, so a trainee can find it in their editor.
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { crossCheck } from './cross-check.ts';
import { labFileSchema, type LabFile } from './schema.ts';

export type LabPath = readonly (string | number)[];

/** Finds the line of a path in the document (the nearest existing ancestor when the field is missing). */
export interface LineFinder {
  lineOf(path: LabPath): number;
}

export type ParseResult = { ok: true; lab: LabFile } | { ok: false; errors: string[] };

/** A lab file's text, at most (the host's file cap and the Transport's say the same). */
export const LAB_TEXT_MAX_CHARS = 1_048_576;
/** Aliases a lab file may expand (`*anchor`): a few for shared settings, never a billion laughs. */
export const LAB_ALIASES_MAX = 100;
/** How deep a lab file nests: the format is a few levels deep; deeper is not a lab file. */
const LAB_DEPTH_MAX = 64;

export function parseLabText(file: string, text: string): ParseResult {
  const read = readYamlDocument(file, text, 'a lab file');
  if (!read.ok) return read;
  const parsed = labFileSchema.safeParse(read.json);
  if (!parsed.success) return { ok: false, errors: schemaErrors(file, read.finder, parsed.error.issues) };
  const problems = crossCheck(parsed.data);
  if (problems.length > 0) {
    return { ok: false, errors: problems.map((p) => formatError(file, read.finder.lineOf(p.path), p.path, p.message)) };
  }
  return { ok: true, lab: parsed.data };
}

export type YamlRead = { ok: true; json: unknown; finder: LineFinder } | { ok: false; errors: string[] };

/**
 * YAML text as plain data with a way back to each field's line: the size, depth and alias bounds and the
 * `__proto__` refusal every FilerLab YAML file (labs, scenarios) gets. `what` names the kind of file.
 */
export function readYamlDocument(file: string, text: string, what: string): YamlRead {
  if (text.length > LAB_TEXT_MAX_CHARS) return { ok: false, errors: [`${file}:1: ${what} has at most ${LAB_TEXT_MAX_CHARS} characters (this one ${text.length})`] };
  const depth = nestingDepth(text);
  if (depth > LAB_DEPTH_MAX) return { ok: false, errors: [`${file}:1: it nests ${depth} levels deep; ${what} nests at most ${LAB_DEPTH_MAX}`] };
  const lineCounter = new LineCounter();
  let doc: Document;
  let json: unknown;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
    if (doc.errors.length > 0) {
      return { ok: false, errors: doc.errors.map((e) => `${file}:${lineCounter.linePos(e.pos[0]).line}: ${firstLine(e.message)}`) };
    }
    // The yaml package refuses an alias that expands past the count with a ReferenceError: an answer here.
    json = doc.toJS({ maxAliasCount: LAB_ALIASES_MAX }) ?? {};
  } catch (error) {
    const reason = error instanceof ReferenceError ? `its aliases expand too far (at most ${LAB_ALIASES_MAX} alias uses)` : 'the YAML cannot be read';
    return { ok: false, errors: [`${file}:1: ${reason}`] };
  }
  const finder = lineFinder(doc, lineCounter);
  // zod drops a `__proto__` key without a word: refuse it here, where its line is known.
  const protoKeys = protoKeyPaths(json);
  if (protoKeys.length > 0) {
    return { ok: false, errors: protoKeys.map((path) => formatError(file, finder.lineOf(path), path, "'__proto__' cannot be a name or a key")) };
  }
  return { ok: true, json, finder };
}

/** zod's issues as `file:line: path: message`. */
export function schemaErrors(file: string, finder: LineFinder, issues: readonly ZodIssueLike[]): string[] {
  return issues.map((issue) => {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    return formatError(file, finder.lineOf(path), path, issueMessage(issue));
  });
}

interface ZodIssueLike {
  readonly code: string;
  readonly message: string;
  readonly path: readonly PropertyKey[];
  readonly issues?: readonly { message: string }[];
}

export function formatError(file: string, line: number, path: LabPath, message: string): string {
  const where = path.length > 0 ? `${path.join('.')}: ` : '';
  return `${file}:${line}: ${where}${message}`;
}

function lineFinder(doc: Document, lineCounter: LineCounter): LineFinder {
  return {
    lineOf(path) {
      // Walk down as far as the path exists; report the deepest node found (its key line for a field).
      for (let depth = path.length; depth >= 0; depth -= 1) {
        const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
        if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
      }
      return 1;
    },
  };
}

/** A record key that does not fit says why (zod's own message is only 'Invalid key in record'). */
function issueMessage(issue: { code: string; message: string; issues?: readonly { message: string }[] }): string {
  if (issue.code === 'invalid_key' && issue.issues && issue.issues.length > 0) return `bad name: ${issue.issues.map((inner) => inner.message).join('; ')}`;
  return issue.message;
}

/** Paths (the key included) of every own `__proto__` key in a parsed document; bounded in depth. */
function protoKeyPaths(value: unknown, path: LabPath = [], found: LabPath[] = [], depth = 0): LabPath[] {
  if (value === null || typeof value !== 'object' || depth > 32 || found.length >= 20) return found;
  if (Array.isArray(value)) {
    value.forEach((item, index) => protoKeyPaths(item, [...path, index], found, depth + 1));
    return found;
  }
  for (const key of Object.keys(value)) {
    if (key === '__proto__') found.push([...path, key]);
    else protoKeyPaths((value as Record<string, unknown>)[key], [...path, key], found, depth + 1);
  }
  return found;
}

/**
 * The deepest nesting of flow brackets (`[`, `{`) and of indented blocks, in one linear pass with no
 * parser. Quotes are not followed: brackets inside strings count too, which can only overstate it.
 */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let indent = 0;
  let lineStart = true;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === '\n') { lineStart = true; indent = 0; continue; }
    if (lineStart && (char === ' ' || char === '-')) { indent++; continue; }
    if (lineStart) { lineStart = false; deepest = Math.max(deepest, Math.floor(indent / 2)); }
    if (char === '[' || char === '{') deepest = Math.max(deepest, ++depth);
    else if (char === ']' || char === '}') depth = Math.max(0, depth - 1);
  }
  return deepest;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
