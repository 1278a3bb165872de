// `exportfs`, `nfs status` and `cifs shares`: what the file service serves now. Each served vserver's
// volumes are its NFS exports and its CIFS shares (a share is named after its volume); after a takeover
// the partner's are served here too. The lab exports every volume read-write to every client.
import type { CommandContext, CommandDefinition } from '../console/command.ts';
import { fileServiceOf } from './fileservice-cifs.ts';

/** Every volume served now, once, in name order. */
function servedVolumes(ctx: CommandContext): string[] {
  const state = fileServiceOf(ctx);
  if (!state || state.status === 'stopped') return [];
  return [...new Set(state.served.flatMap((served) => served.volumes))].sort();
}

function running(ctx: CommandContext): boolean {
  const state = fileServiceOf(ctx);
  return state !== undefined && state.status !== 'stopped';
}

export const fileServiceExportCommands: readonly CommandDefinition[] = [
  {
    name: 'exportfs',
    synopsis: 'list the exported file systems',
    usage: ['exportfs [ -v | -q <path> ]'],
    privilege: 'admin',
    run(args, ctx) {
      if (args.length > 1 || (args.length === 1 && args[0] !== '-v')) return ctx.usage();
      ctx.printLines(servedVolumes(ctx).map((volume) => `/vol/${volume}\t-sec=sys,rw,nosuid`));
      return 'done';
    },
  },
  {
    name: 'nfs',
    synopsis: 'NFS server control',
    usage: ['nfs status'],
    privilege: 'admin',
    run: (_args, ctx) => ctx.usage(),
  },
  {
    name: 'nfs status',
    synopsis: 'whether the NFS server is running',
    usage: ['nfs status'],
    privilege: 'admin',
    run(args, ctx) {
      if (args.length > 0) return ctx.usage();
      ctx.print(running(ctx) ? 'NFS server is running.' : 'NFS server is NOT running.');
      return 'done';
    },
  },
  {
    name: 'cifs shares',
    synopsis: 'list the CIFS shares',
    usage: ['cifs shares [<share>]'],
    privilege: 'admin',
    run(args, ctx) {
      if (args.length > 1) return ctx.usage();
      if (!running(ctx) || fileServiceOf(ctx)?.cifsTerminated) { ctx.print('CIFS not running.'); return 'done'; }
      const volumes = servedVolumes(ctx).filter((volume) => args.length === 0 || volume === args[0]);
      if (volumes.length === 0) { ctx.print(`No share is matching that name.`); return 'done'; }
      ctx.printLines(['Name         Mount Point                       Description', '----         -----------                       -----------']);
      for (const volume of volumes) ctx.printLines([`${volume.padEnd(13)}/vol/${volume}`, '\t\t\teveryone / Full Control']);
      return 'done';
    },
  },
];
