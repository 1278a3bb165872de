// `vol offline|online <vol>`: an operator takes a volume out of service (its clients' handles go stale,
// NFS3ERR_STALE / STATUS_INVALID_HANDLE, until it is online again).
import type { CommandContext, CommandDefinition } from '../console/command.ts';
import type { VolumeState } from '../storage/types.ts';
import { viewOf, type StorageView } from './storage-view.ts';

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

export const volumeAdminCommands: readonly CommandDefinition[] = [
  volOffline,
  volOnline,
];
