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
  const parsed = labFileSchema.safeParse(doc.toJS({ maxAliasCount: 100 }) ?? {});
  if (!parsed.success) {
    const errors = parsed.error.issues.map((issue) => {
      const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
      return formatError(file, finder.lineOf(path), path, issue.message);
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

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
