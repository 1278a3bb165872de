// `?`, `<cmd> ?` and `help [<cmd>]`: the list of commands in columns as Data ONTAP prints it, a
// command's usage, or the sub-commands of a group (`disk ?`).
import type { CommandContext, CommandDefinition } from './command.ts';
import { resolveCommand, topLevelWords, visibleUnder } from './registry.ts';

const TERMINAL_WIDTH = 80;

/** Lays words out in columns, left to right then down, as `?` does. */
export function columns(words: readonly string[], width = TERMINAL_WIDTH): string[] {
  if (words.length === 0) return [];
  const cell = Math.max(...words.map((word) => word.length)) + 2;
  const perLine = Math.max(1, Math.floor(width / cell));
  const lines: string[] = [];
  for (let index = 0; index < words.length; index += perLine) {
    lines.push(words.slice(index, index + perLine).map((word) => word.padEnd(cell)).join('').trimEnd());
  }
  return lines;
}

/** Help for the typed words (without the `?`). */
export function helpForWords(words: readonly string[], ctx: CommandContext): void {
  if (words.length === 0) {
    ctx.printLines(columns(topLevelWords(ctx.table, ctx.privilege)));
    return;
  }
  const resolved = resolveCommand(ctx.table, words, ctx.privilege);
  if (resolved.kind === 'unknown') {
    ctx.print(`${resolved.word} not found.  Type '?' for a list of commands`);
    return;
  }
  if (resolved.kind === 'command' && resolved.args.length === 0) {
    const members = visibleUnder(ctx.table, resolved.definition.name, ctx.privilege);
    printUsage(ctx, [resolved.definition, ...members]);
    return;
  }
  if (resolved.kind === 'command') {
    printUsage(ctx, [resolved.definition]);
    return;
  }
  printUsage(ctx, resolved.members);
}

function printUsage(ctx: CommandContext, definitions: readonly CommandDefinition[]): void {
  const lines = definitions.flatMap((definition) => definition.usage);
  if (lines.length === 0) return;
  ctx.print(`usage: ${lines[0]}`);
  for (const line of lines.slice(1)) ctx.print(`       ${line}`);
}

export const helpCommands: readonly CommandDefinition[] = [
  {
    name: 'help',
    synopsis: 'print summary of commands and help strings',
    usage: ['help [<command>]'],
    privilege: 'admin',
    run(args, ctx) {
      if (args.length === 0) {
        ctx.print('? [<command>]');
        ctx.print('help [<command>]');
        ctx.print('For more information, type the command with ? or see help <command>.');
        ctx.printLines(columns(topLevelWords(ctx.table, ctx.privilege)));
        return 'done';
      }
      const resolved = resolveCommand(ctx.table, args, ctx.privilege);
      if (resolved.kind === 'command') {
        ctx.print(`${resolved.definition.name} - ${resolved.definition.synopsis}`);
        printUsage(ctx, [resolved.definition]);
        return 'done';
      }
      helpForWords(args, ctx);
      return 'done';
    },
  },
];
