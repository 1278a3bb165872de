// `vol offline|online <vol>` and `snap list`: an operator takes a volume out of service (its clients'
// handles go stale, NFS3ERR_STALE / STATUS_INVALID_HANDLE, until it is online again) and lists its
// snapshots (storage-snap.ts prints the table; aggregates have none in the lab).
import type { CommandContext, CommandDefinition } from '../console/command.ts';
import type { VolumeState } from '../storage/types.ts';
import { snapshotTable } from './storage-snap.ts';
import { viewOf, volumeUsedKb, type StorageView } from './storage-view.ts';

function volumeNamed(ctx: CommandContext, command: string, name: string): { view: StorageView; volume: VolumeState } | null {
  const view = viewOf(ctx);
  if (!view || view.state.status !== 'online') { ctx.print(`${command}: storage is not online.`); return null; }
  const volume = view.state.volumes[name];
  if (!volume) { ctx.print(`${command}: No volume named '${name.slice(0, 64)}' exists.`); return null; }
  return { view, volume };
}

const volOffline: CommandDefinition = {
  name: 'vol offline',
  synopsis: 'take a volume offline',
  usage: ['vol offline <volume-name>'],
  privilege: 'admin',
  run(args, ctx) {
    if (args.length !== 1 || args[0].startsWith('-')) return ctx.usage();
    const found = volumeNamed(ctx, 'vol offline', args[0]);
    if (!found) return 'done';
    const { view, volume } = found;
    if (volume.name === view.rootVolume) { ctx.print(`vol offline: Cannot offline root volume '${volume.name}'.`); return 'done'; }
    if (volume.status !== 'online') { ctx.print(`vol offline: Volume '${volume.name}' is already offline.`); return 'done'; }
    volume.status = 'offline';
    volume.adminOffline = true;
    ctx.print(`Volume '${volume.name}' is now offline.`);
    ctx.ems('wafl.vvol.offline', 'info', `Volume '${volume.name}' has been set temporarily offline`);
    return 'done';
  },
};

const volOnline: CommandDefinition = {
  name: 'vol online',
  synopsis: 'bring a volume online',
  usage: ['vol online <volume-name>'],
  privilege: 'admin',
  run(args, ctx) {
    if (args.length !== 1 || args[0].startsWith('-')) return ctx.usage();
    const found = volumeNamed(ctx, 'vol online', args[0]);
    if (!found) return 'done';
    const { view, volume } = found;
    if (volume.status === 'online') { ctx.print(`vol online: Volume '${volume.name}' is already online.`); return 'done'; }
    if (!volume.adminOffline || view.state.aggregates[volume.aggregate]?.status !== 'online') {
      ctx.print(`vol online: Volume '${volume.name}' cannot be brought online: its aggregate ${volume.aggregate} is not online.`);
      return 'done';
    }
    volume.status = 'online';
    volume.adminOffline = false;
    ctx.print(`Volume '${volume.name}' is now online.`);
    ctx.ems('wafl.vvol.online', 'info', `Volume '${volume.name}' is online.`);
    return 'done';
  },
};

const snapList: CommandDefinition = {
  name: 'snap list',
  synopsis: 'list the snapshots of volumes',
  usage: ['snap list [-A | -V] [-n] [-l] [-b] [<vol-name> | <aggr-name>]'],
  privilege: 'admin',
  completions: ['-A', '-V', '-n'],
  run(args, ctx) {
    const flags = args.filter((arg) => arg.startsWith('-'));
    const names = args.filter((arg) => !arg.startsWith('-'));
    if (names.length > 1 || flags.some((flag) => !['-A', '-V', '-n', '-l', '-b'].includes(flag))) return ctx.usage();
    const view = viewOf(ctx);
    if (!view || view.state.status !== 'online') { ctx.print('snap list: storage is not online.'); return 'done'; }
    const aggregates = flags.includes('-A');
    const all = aggregates ? Object.keys(view.state.aggregates) : Object.keys(view.state.volumes);
    const chosen = names.length === 0 ? [...all].sort() : all.filter((name) => name === names[0]);
    if (chosen.length === 0) { ctx.print(`snap list: No ${aggregates ? 'aggregate' : 'volume'} named '${names[0].slice(0, 64)}' exists.`); return 'done'; }
    for (const name of chosen) {
      const offline = aggregates ? view.state.aggregates[name].status !== 'online' : view.state.volumes[name].status !== 'online';
      ctx.print(`${aggregates ? 'Aggregate' : 'Volume'} ${name}`);
      if (offline) { ctx.printLines([`snap list: ${name} is offline`, '']); continue; }
      // The lab keeps no aggregate snapshots: only volumes have them.
      const table = aggregates ? ['No snapshots exist.'] : snapshotTable(view.state.volumes[name], volumeUsedKb(view.state.volumes[name]) / 4);
      ctx.printLines(['working...', '', ...table, '']);
    }
    return 'done';
  },
};

export const volumeAdminCommands: readonly CommandDefinition[] = [
  volOffline,
  volOnline,
  snapList,
];
