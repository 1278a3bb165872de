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

export function parseLabText(file: string, text: string): ParseResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return { ok: false, errors: doc.errors.map((e) => `${file}:${lineCounter.linePos(e.pos[0]).line}: ${firstLine(e.message)}`) };
  }
  const finder = lineFinder(doc, lineCounter);
  const json: unknown = doc.toJS({ maxAliasCount: 100 }) ?? {};
  // zod drops a `__proto__` key without a word: refuse it here, where its line is known.
  const protoKeys = protoKeyPaths(json);
  if (protoKeys.length > 0) {
    return { ok: false, errors: protoKeys.map((path) => formatError(file, finder.lineOf(path), path, "'__proto__' cannot be a name or a key")) };
  }
  const parsed = labFileSchema.safeParse(json);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((issue) => {
      const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
      return formatError(file, finder.lineOf(path), path, issueMessage(issue));
    });
    return { ok: false, errors };
  }
  const problems = crossCheck(parsed.data);
  if (problems.length > 0) {
    return { ok: false, errors: problems.map((p) => formatError(file, finder.lineOf(p.path), p.path, p.message)) };
  }
  return { ok: true, lab: parsed.data };
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

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
