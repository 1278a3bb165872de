// `cifs sessions` and `nfsstat` until the file service registers its own (these are placeholders that
// give way to them): the real shapes, with empty tables and zero counters, saying why.
import type { CommandDefinition } from '../console/command.ts';

const NOT_RUNNING = '(file service is not running on this filer yet: no clients have connected)';

export const fileServiceCommands: readonly CommandDefinition[] = [
  {
    name: 'cifs',
    synopsis: 'summary of cifs commands',
    usage: ['cifs sessions [-s | -c | -t] [<user> | <machine>]'],
    privilege: 'admin',
    run(_args, ctx) {
      return ctx.usage();
    },
  },
  {
    name: 'cifs sessions',
    synopsis: 'show open CIFS sessions',
    usage: ['cifs sessions [-s | -c | -t] [<user> | <machine>]'],
    privilege: 'admin',
    placeholder: true,
    completions: ['-s', '-c', '-t'],
    run(args, ctx) {
      if (args.length > 2) return ctx.usage();
      const name = ctx.hostname.toUpperCase();
      ctx.printLines([
        `Server Registers as '${name}' in workgroup 'WORKGROUP'`,
        'Root volume language is not set. Use vol lang.',
        'Using Local Users authentication',
        '====================================================',
        'PC IP(PC Name) (user)         #shares  #files',
        NOT_RUNNING,
      ]);
      return 'done';
    },
  },
  {
    name: 'nfsstat',
    synopsis: 'display NFS statistics',
    usage: ['nfsstat [-h | -l | -z | -c | -t | -d | -C]'],
    privilege: 'admin',
    placeholder: true,
    completions: ['-h', '-l', '-z', '-c', '-t', '-d', '-C'],
    run(args, ctx) {
      if (args.length > 1 || (args.length === 1 && !/^-[hlzctdC]$/.test(args[0]))) return ctx.usage();
      if (args[0] === '-z') return 'done';
      ctx.printLines([
        '',
        'Server rpc:',
        'TCP:',
        'calls      badcalls   nullrecv   badlen     xdrcall',
        '0          0          0          0          0',
        '',
        'UDP:',
        'calls      badcalls   nullrecv   badlen     xdrcall',
        '0          0          0          0          0',
        '',
        'Server nfs:',
        'calls      badcalls',
        '0          0',
        '',
        'Server nfs V3: (0 calls)',
        'null       getattr    setattr    lookup     access     readlink   read',
        '0 0%       0 0%       0 0%       0 0%       0 0%       0 0%       0 0%',
        'write      create     mkdir      symlink    mknod      remove     rmdir',
        '0 0%       0 0%       0 0%       0 0%       0 0%       0 0%       0 0%',
        'rename     link       readdir    readdir+   fsstat     fsinfo     pathconf',
        '0 0%       0 0%       0 0%       0 0%       0 0%       0 0%       0 0%',
        'commit',
        '0 0%',
        NOT_RUNNING,
      ]);
      return 'done';
    },
  },
];
