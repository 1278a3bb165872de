// `cifs sessions` and `cifs stat`, in the 7-Mode shapes, from the file service's live state.
import { subsystemState } from '../../hardware/filer/subsystem.ts';
import type { CommandContext, CommandDefinition } from '../console/command.ts';
import { FILESERVICE_SUBSYSTEM } from '../fileservice/fileservice-subsystem.ts';
import { persistentStateOn } from '../fileservice/cifs-nvram.ts';
import type { CifsServerState } from '../fileservice/cifs-state.ts';
import type { FileServiceState } from '../fileservice/state.ts';

export function fileServiceOf(ctx: CommandContext): FileServiceState | undefined {
  return subsystemState<FileServiceState>(ctx.filer, FILESERVICE_SUBSYSTEM);
}

function notRunning(ctx: CommandContext): boolean {
  const state = fileServiceOf(ctx);
  if (state && state.status !== 'stopped' && !state.cifsTerminated) return false;
  ctx.print('CIFS not running.');
  return true;
}

/**
 * Our own sessions, then those adopted from a partner at takeover. With persistent state on each line
 * names the session id (uid), the same before and after a reboot or takeover, and where it is served.
 */
function sessionLines(state: FileServiceState, filter: string | undefined, showIds: boolean): string[] {
  const lines: string[] = [];
  const states: [string | null, CifsServerState][] = [[null, state.cifs], ...Object.entries(state.persist.adopted).sort(([a], [b]) => a.localeCompare(b))];
  for (const [adoptedFrom, cifs] of states) lines.push(...stateLines(cifs, filter, showIds, adoptedFrom));
  return lines;
}

function stateLines(cifs: CifsServerState, filter: string | undefined, showIds: boolean, adoptedFrom: string | null): string[] {
  const lines: string[] = [];
  for (const session of Object.values(cifs.sessions).sort((a, b) => a.uid - b.uid)) {
    const connection = cifs.connections[session.connection];
    const address = connection?.clientAddress ?? '?';
    if (filter && filter !== address && filter.toUpperCase() !== session.workstation.toUpperCase() && filter !== session.user) continue;
    const shares = Object.keys(session.trees).length;
    const files = Object.values(cifs.opens).filter((open) => open.uid === session.uid).length;
    const id = showIds ? `  uid ${session.uid}${adoptedFrom ? ` (vserver ${adoptedFrom}, restored at takeover)` : ''}` : '';
    lines.push(`${address}(${session.workstation}) (${session.user} - pcuser)${id}`);
    lines.push(`${String(shares).padStart(34)}${String(files).padStart(9)}`);
  }
  return lines;
}

/** The CIFS users connected now (own and adopted sessions) and their open files, for `halt`'s warning. */
export function connectedCifsUsers(ctx: CommandContext): { users: number; files: number; lines: string[] } {
  const state = fileServiceOf(ctx);
  if (!state || state.status === 'stopped') return { users: 0, files: 0, lines: [] };
  const all = [state.cifs, ...Object.values(state.persist.adopted)];
  const users = all.reduce((sum, cifs) => sum + Object.keys(cifs.sessions).length, 0);
  const files = all.reduce((sum, cifs) => sum + Object.keys(cifs.opens).length, 0);
  return { users, files, lines: sessionLines(state, undefined, false) };
}

const PERCENT_ROWS: readonly [string, readonly string[]][] = [
  ['Negotiate', ['NEGOTIATE']], ['SessSetup', ['SESSION_SETUP']], ['Logoff', ['LOGOFF']],
  ['TreeConn', ['TREE_CONNECT']], ['TreeDisc', ['TREE_DISCONNECT']], ['Open/Create', ['CREATE']], ['Close', ['CLOSE']],
  ['Read', ['READ']], ['Write', ['WRITE']], ['SetInfo', ['SET_EOF']], ['Lock', ['LOCK', 'UNLOCK']],
  ['Rename', ['RENAME']], ['Delete', ['DELETE']], ['Echo', ['ECHO']],
];

function statLines(state: FileServiceState): string[] {
  const counts = state.counters.cifsCommands;
  const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
  const cifs = state.cifs;
  const lines = [
    `            reqs      %`,
    ...PERCENT_ROWS.map(([label, commands]) => {
      const count = commands.reduce((sum, command) => sum + (counts[command] ?? 0), 0);
      const percent = total === 0 ? 0 : Math.round((count * 100) / total);
      return `${label.padEnd(12)}${String(count).padStart(8)} ${String(percent).padStart(5)}%`;
    }),
    `${'Total'.padEnd(12)}${String(total).padStart(8)}`,
    `${'BadCalls'.padEnd(12)}${String(state.counters.cifsBadCalls).padStart(8)}`,
    '',
    `    sessions: ${Object.keys(cifs.sessions).length}   connections: ${Object.keys(cifs.connections).length}` +
      `   open files: ${Object.keys(cifs.opens).length}   locks: ${cifs.locks.length}`,
    `    sessions opened: ${state.counters.sessionsOpened}   sessions dropped by shutdown: ${state.counters.sessionsDropped}`,
  ];
  return lines;
}

export const fileServiceCifsCommands: readonly CommandDefinition[] = [
  {
    name: 'cifs sessions',
    synopsis: 'show open CIFS sessions',
    usage: ['cifs sessions [-s | -c | -t] [<user> | <machine>]'],
    privilege: 'admin',
    completions: ['-s', '-c', '-t'],
    run(args, ctx) {
      const flags = args.filter((arg) => arg.startsWith('-'));
      const names = args.filter((arg) => !arg.startsWith('-'));
      if (flags.some((flag) => !['-s', '-c', '-t'].includes(flag)) || names.length > 1) return ctx.usage();
      if (notRunning(ctx)) return 'done';
      const state = fileServiceOf(ctx) as FileServiceState;
      if (flags.includes('-t')) {
        ctx.print(`Using Local Users authentication`);
        ctx.print(`${Object.keys(state.cifs.sessions).length} users, ${Object.keys(state.cifs.opens).length} open files`);
        return 'done';
      }
      ctx.printLines([
        `Server Registers as '${ctx.hostname.toUpperCase()}' in workgroup 'WORKGROUP'`,
        'Root volume language is not set. Use vol lang.',
        'Using Local Users authentication',
        '====================================================',
        'PC IP(PC Name) (user)            #shares  #files',
      ]);
      const lines = sessionLines(state, names[0], persistentStateOn(ctx.filer) || Object.keys(state.persist.adopted).length > 0);
      ctx.printLines(lines.length > 0 ? lines : ['(no sessions)']);
      return 'done';
    },
  },
  {
    name: 'cifs stat',
    synopsis: 'print CIFS operating statistics',
    usage: ['cifs stat [-z]'],
    privilege: 'admin',
    completions: ['-z'],
    run(args, ctx) {
      if (args.length > 1 || (args.length === 1 && args[0] !== '-z')) return ctx.usage();
      if (notRunning(ctx)) return 'done';
      const state = fileServiceOf(ctx) as FileServiceState;
      if (args[0] === '-z') {
        state.counters.cifsCommands = {};
        state.counters.cifsBadCalls = 0;
        return 'done';
      }
      ctx.printLines(statLines(state));
      return 'done';
    },
  },
];
