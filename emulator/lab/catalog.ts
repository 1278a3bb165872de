// The labs a user can open by name, and the one door from a name or a path to a LabSpec. The core does
// no I/O: the caller hands in readText (Node's readFileSync in the host and the CLI, a bundled table in
// a browser). Built-in labs are real files next to this one, in labs/<name>.lab.yaml.
import type { LabSpec } from '../engine/lab-spec.ts';
import { parseLabText } from './parse.ts';
import { buildLabSpec } from './resolve.ts';
import type { LabFile } from './schema.ts';

export const BUILTIN_LABS = ['ha-pair', 'cluster-4'] as const;
export const DEFAULT_LAB = 'ha-pair';

export type ResolvedLab =
  | { ok: true; spec: LabSpec; source: string; lab: LabFile }
  | { ok: false; errors: string[] };

export function listBuiltinLabs(): string[] {
  return [...BUILTIN_LABS];
}

/** The file path of a built-in lab (a plain path for file: URLs, else the URL itself). */
export function builtinLabPath(name: string): string {
  const url = new URL(`./labs/${name}.lab.yaml`, import.meta.url);
  if (url.protocol !== 'file:') return url.href;
  const path = decodeURIComponent(url.pathname);
  // On Windows a file URL's path is /C:/…: drop the leading slash.
  return /^\/[A-Za-z]:\//.test(path) ? path.slice(1) : path;
}

/** A built-in lab's name, or a path to a `*.lab.yaml` file. `source` is the path that was read. */
export function resolveLab(nameOrPath: string, readText: (path: string) => string): ResolvedLab {
  const source = (BUILTIN_LABS as readonly string[]).includes(nameOrPath) ? builtinLabPath(nameOrPath) : nameOrPath;
  let text: string;
  try {
    text = readText(source);
  } catch (error) {
    return { ok: false, errors: [`${source}: cannot read the lab file (${(error as Error).message})`] };
  }
  return resolveLabText(source, text);
}

/** Parses and checks lab text; `source` names it in error messages. */
export function resolveLabText(source: string, text: string): ResolvedLab {
  const parsed = parseLabText(source, text);
  if (!parsed.ok) return parsed;
  return { ok: true, spec: buildLabSpec(parsed.lab), source, lab: parsed.lab };
}
