// The command table: resolves typed words to a definition (longest registered name first), lists what
// a privilege level may see, and offers completions. Built once from the module list in commands.ts.
import { privilegeAllows, splitWords } from './command.ts';
import type { CommandDefinition, PrivilegeLevel } from './command.ts';

export interface CommandTable {
  /** Definitions by name; a placeholder already replaced by its real definition. */
  readonly byName: ReadonlyMap<string, CommandDefinition>;
  /** All names, sorted. */
  readonly names: readonly string[];
}

export function buildCommandTable(definitions: readonly CommandDefinition[]): CommandTable {
  const byName = new Map<string, CommandDefinition>();
  for (const definition of definitions) {
    const name = splitWords(definition.name).join(' ');
    if (name !== definition.name || name.length === 0) throw new Error(`command name '${definition.name}' is not normalized`);
    const existing = byName.get(name);
    if (existing && !existing.placeholder && !definition.placeholder) throw new Error(`command '${name}' registered twice`);
    if (existing && !existing.placeholder) continue;
    byName.set(name, definition);
  }
  return { byName, names: [...byName.keys()].sort() };
}

export type Resolution =
  | { readonly kind: 'command'; readonly definition: CommandDefinition; readonly args: readonly string[] }
  /** The words name a group (`disk`, `storage show`) with no definition of its own. */
  | { readonly kind: 'group'; readonly prefix: string; readonly members: readonly CommandDefinition[] }
  | { readonly kind: 'unknown'; readonly word: string };

/** Finds the definition with the longest name that prefixes the words, visible at this privilege. */
export function resolveCommand(table: CommandTable, words: readonly string[], privilege: PrivilegeLevel): Resolution {
  if (words.length === 0) return { kind: 'unknown', word: '' };
  const lowered = words.map((word) => word.toLowerCase());
  for (let length = Math.min(words.length, 6); length > 0; length--) {
    const name = lowered.slice(0, length).join(' ');
    const definition = table.byName.get(name);
    if (definition && privilegeAllows(privilege, definition.privilege)) {
      return { kind: 'command', definition, args: words.slice(length) };
    }
  }
  for (let length = Math.min(words.length, 6); length > 0; length--) {
    const prefix = lowered.slice(0, length).join(' ');
    const members = visibleUnder(table, prefix, privilege);
    if (members.length > 0) return { kind: 'group', prefix, members };
  }
  return { kind: 'unknown', word: words[0] };
}

/** Definitions whose names start with `prefix` as whole words, visible at this privilege. */
export function visibleUnder(table: CommandTable, prefix: string, privilege: PrivilegeLevel): CommandDefinition[] {
  const members: CommandDefinition[] = [];
  for (const name of table.names) {
    if (!name.startsWith(`${prefix} `)) continue;
    const definition = table.byName.get(name);
    if (definition && privilegeAllows(privilege, definition.privilege)) members.push(definition);
  }
  return members;
}

/** The distinct first words of every command visible at this privilege (the `?` listing). */
export function topLevelWords(table: CommandTable, privilege: PrivilegeLevel): string[] {
  const words = new Set<string>();
  for (const name of table.names) {
    const definition = table.byName.get(name);
    if (definition && privilegeAllows(privilege, definition.privilege)) words.add(name.split(' ')[0]);
  }
  return [...words].sort();
}

/**
 * The words that may come next after `before` (complete words already typed), at this privilege:
 * further words of registered names, and the completions a matched definition declares.
 */
export function nextWords(table: CommandTable, before: readonly string[], privilege: PrivilegeLevel): string[] {
  const lowered = before.map((word) => word.toLowerCase());
  const words = new Set<string>();
  const prefix = lowered.join(' ');
  for (const name of table.names) {
    const definition = table.byName.get(name);
    if (!definition || !privilegeAllows(privilege, definition.privilege)) continue;
    const parts = name.split(' ');
    if (parts.length > lowered.length && (prefix === '' || name.startsWith(`${prefix} `))) words.add(parts[lowered.length]);
  }
  const resolved = resolveCommand(table, before, privilege);
  if (resolved.kind === 'command') {
    for (const word of resolved.definition.completions ?? []) words.add(word);
  }
  return [...words].sort();
}
