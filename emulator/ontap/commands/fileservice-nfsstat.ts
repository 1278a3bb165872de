// `nfsstat [-z]`: the server's RPC and NFS V3 counters, in the 7-Mode shape, from the file service.
import type { CommandDefinition } from '../console/command.ts';
import type { FileServiceState } from '../fileservice/state.ts';
import { fileServiceOf } from './fileservice-cifs.ts';

/** NFS V3 procedures in the order the real table shows them, seven to a row. */
const V3_ROWS: readonly (readonly string[])[] = [
  ['null', 'getattr', 'setattr', 'lookup', 'access', 'readlink', 'read'],
  ['write', 'create', 'mkdir', 'symlink', 'mknod', 'remove', 'rmdir'],
  ['rename', 'link', 'readdir', 'readdir+', 'fsstat', 'fsinfo', 'pathconf'],
  ['commit'],
];

function cell(text: string): string {
  return text.padEnd(11);
}

export function nfsstatLines(state: FileServiceState): string[] {
  const calls = state.counters.nfsCalls;
  const countOf = (proc: string) => calls[proc.toUpperCase()] ?? 0;
  const v3Total = V3_ROWS.flat().reduce((sum, proc) => sum + countOf(proc), 0);
  const mounts = calls['MNT'] ?? 0;
  const total = v3Total + mounts;
  const lines = [
    '',
    'Server rpc:',
    'TCP:',
    'calls      badcalls   nullrecv   badlen     xdrcall',
    '0          0          0          0          0',
    '',
    'UDP:',
    'calls      badcalls   nullrecv   badlen     xdrcall',
    `${cell(String(total))}${cell(String(state.counters.nfsBadCalls))}${cell('0')}${cell('0')}0`,
    '',
    'Server nfs:',
    'calls      badcalls',
    `${cell(String(v3Total))}${state.counters.nfsBadCalls}`,
    '',
    `Server nfs V3: (${v3Total} calls)`,
  ];
  for (const row of V3_ROWS) {
    lines.push(row.map(cell).join('').trimEnd());
    lines.push(row.map((proc) => {
      const count = countOf(proc);
      const percent = v3Total === 0 ? 0 : Math.round((count * 100) / v3Total);
      return cell(`${count} ${percent}%`);
    }).join('').trimEnd());
  }
  lines.push('');
  lines.push(`Duplicate request cache: ${Object.keys(state.drc.entries).length} entries, ${state.drc.hits} hits, ${state.drc.inProgressDrops} in progress`);
  return lines;
}

export const fileServiceNfsstatCommands: readonly CommandDefinition[] = [
  {
    name: 'nfsstat',
    synopsis: 'display NFS statistics',
    usage: ['nfsstat [-h | -l | -z | -c | -t | -d | -C]'],
    privilege: 'admin',
    completions: ['-h', '-l', '-z', '-c', '-t', '-d', '-C'],
    run(args, ctx) {
      if (args.length > 1 || (args.length === 1 && !/^-[hlzctdC]$/.test(args[0]))) return ctx.usage();
      const state = fileServiceOf(ctx);
      if (!state) {
        ctx.print('nfsstat: NFS is not licensed on this filer.');
        return 'done';
      }
      if (args[0] === '-z') {
        state.counters.nfsCalls = {};
        state.counters.nfsByClient = {};
        state.counters.nfsBadCalls = 0;
        return 'done';
      }
      if (args[0] === '-l') {
        const clients = Object.entries(state.counters.nfsByClient).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        for (const [client, count] of clients) ctx.print(`${client.padEnd(16)} NFSOPS = ${count}`);
        if (clients.length === 0) ctx.print('(no recent clients)');
        return 'done';
      }
      ctx.printLines(nfsstatLines(state));
      return 'done';
    },
  },
];
