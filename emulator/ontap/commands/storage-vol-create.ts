// `vol create|size|options` and `snap reserve`: flexible volumes made in an aggregate (with the product's
// default snapshot schedule), resized (df follows), their options and snapshot reserve kept in the fsinfo
// so they survive a reboot. The other `snap` commands are storage-snap.ts's.
import type { CommandContext, CommandDefinition, CommandOutcome } from '../console/command.ts';
import { serveCreatedVolume } from '../fileservice/vserver-service.ts';
import { markVolumeVserver, VSERVER_MARK } from '../fileservice/volume-vserver.ts';
import { createFlexVolume, resizeVolume } from '../storage/storage-admin.ts';
import { layoutError, OPTIONS_LINE_WIDTH } from './storage-aggr-admin.ts';
import { foldOptions } from './storage-aggr-verbose.ts';
import { fileServiceOf } from './fileservice-cifs.ts';
import { storageEnvOf, volumeOf, withView } from './storage-view.ts';
import { volumeSnapReserve } from './storage-volumes.ts';

const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** `100m`, `2g`, `+50m`: bytes and the sign typed; null when not a size. */
export function parseSize(text: string): { bytes: number; sign: '' | '+' | '-' } | null {
  const match = /^([+-]?)(\d{1,15})([kmgt]?)$/i.exec(text);
  if (!match) return null;
  return { bytes: Number(match[2]) * UNITS[match[3].toLowerCase()], sign: match[1] as '' | '+' | '-' };
}

/** A size as the product prints it: in the largest unit that divides it (`150m`, `4g`). */
export function formatSize(bytes: number): string {
  for (const unit of ['t', 'g', 'm', 'k']) if (bytes >= UNITS[unit] && bytes % UNITS[unit] === 0) return `${bytes / UNITS[unit]}${unit}`;
  return String(bytes);
}

/**
 * The vserver a new volume joins: the one named by `-vserver` (clustered ONTAP's word; the lab's
 * vservers are seed 004's), else the filer's own identity. It must be one of this filer's home vservers,
 * whose volumes live on this filer's storage. Null (and a message) when the name is not one of them;
 * undefined when `-vserver` has no name (the usage line).
 */
function vserverForNewVolume(ctx: CommandContext, words: string[]): string | null | undefined {
  const at = words.indexOf('-vserver');
  const own = ctx.filer.config.name;
  if (at < 0) return own;
  const name = words[at + 1] ?? '-';
  if (name.startsWith('-')) return undefined;
  words.splice(at, 2);
  if (ctx.filer.config.vservers.some((vserver) => vserver.name === name)) return name;
  const homes = ctx.filer.config.vservers.map((vserver) => vserver.name).join(', ');
  ctx.print(`vol create: vserver '${name.slice(0, 32)}' is not served from ${own}'s storage (its vservers: ${homes || 'none'}).`);
  return null;
}

function volCreate(args: readonly string[], ctx: CommandContext): CommandOutcome {
  const words = [...args];
  const name = words.shift();
  // -l <language> and -s <guarantee> are accepted; the lab's volumes are guarantee=volume, one language.
  for (const flag of ['-l', '-s']) {
    const at = words.indexOf(flag);
    if (at >= 0) {
      if (flag === '-s' && !['none', 'file', 'volume'].includes(words[at + 1] ?? '')) return ctx.usage();
      words.splice(at, 2);
    }
  }
  const vserver = vserverForNewVolume(ctx, words);
  if (vserver === undefined) return ctx.usage();
  if (vserver === null) return 'done';
  const size = words.length === 2 ? parseSize(words[1]) : null;
  if (!name || !/^[A-Za-z_][A-Za-z0-9_]{0,254}$/.test(name) || !size || size.sign !== '' || words[0].startsWith('-')) return ctx.usage();
  return withView(ctx, 'vol create', (view) => {
    const result = createFlexVolume(view.state, storageEnvOf(ctx), name, words[0], size.bytes);
    if (typeof result === 'string') return layoutError(ctx, 'vol create', result === 'exists' ? name : words[0], result);
    markVolumeVserver(result, vserver);
    const fs = fileServiceOf(ctx);
    if (fs) serveCreatedVolume(fs, ctx.filer, ctx.actor, vserver, name);
    ctx.printLines([`Creation of volume '${name}' with size ${formatSize(size.bytes)} on containing aggregate`, `'${words[0]}' has completed.`]);
    return 'done';
  });
}

function volSize(args: readonly string[], ctx: CommandContext): CommandOutcome {
  const size = args[1] === undefined ? null : parseSize(args[1]);
  if (args.length < 1 || args.length > 2 || args[0].startsWith('-') || (args.length === 2 && !size)) return ctx.usage();
  return withView(ctx, 'vol size', (view) => {
    const volume = volumeOf(ctx, view, 'vol size', args[0]);
    if (!volume) return 'done';
    if (!size) { ctx.print(`vol size: Flexible volume '${volume.name}' has size ${formatSize(volume.sizeBytes)}.`); return 'done'; }
    const bytes = size.sign === '+' ? volume.sizeBytes + size.bytes : size.sign === '-' ? volume.sizeBytes - size.bytes : size.bytes;
    const error = resizeVolume(view.state, storageEnvOf(ctx), volume, bytes);
    if (error) return layoutError(ctx, 'vol size', error === 'below-used' ? volume.name : volume.aggregate, error);
    ctx.print(`vol size: Flexible volume '${volume.name}' size set to ${formatSize(bytes)}.`);
    return 'done';
  });
}

/** 7.3's flexible volume options and their defaults, in the order `vol options` lists them. */
const VOLUME_OPTION_DEFAULTS: Readonly<Record<string, string>> = {
  nosnap: 'off', nosnapdir: 'off', minra: 'off', no_atime_update: 'off', nvfail: 'off', ignore_inconsistent: 'off',
  snapmirrored: 'off', create_ucode: 'off', convert_ucode: 'off', maxdirsize: '9175', schedsnapname: 'ordinal',
  fs_size_fixed: 'off', guarantee: 'volume', svo_enable: 'off', svo_checksum: 'off', svo_allow_rman: 'off',
  svo_reject_errors: 'off', no_i2p: 'off', fractional_reserve: '100', extent: 'off', try_first: 'volume_grow',
  read_realloc: 'off', snapshot_clone_dependency: 'off',
};

const CHOICES: Readonly<Record<string, readonly string[]>> = {
  guarantee: ['none', 'file', 'volume'], schedsnapname: ['ordinal', 'create_time'], try_first: ['volume_grow', 'snap_delete'],
  read_realloc: ['on', 'off', 'space_optimized'],
};

function volumeOptionError(option: string, value: string): string | null {
  const shown = value.slice(0, 16);
  if (!(option in VOLUME_OPTION_DEFAULTS)) return `vol options: Unknown option '${option.slice(0, 32)}'.`;
  if (option === 'maxdirsize' || option === 'fractional_reserve') {
    const number = Number(value);
    const ok = /^\d{1,9}$/.test(value) && (option === 'maxdirsize' ? number > 0 : number <= 100);
    return ok ? null : `vol options: Invalid value '${shown}' for option ${option}.`;
  }
  const choices = CHOICES[option] ?? ['on', 'off'];
  return choices.includes(value) ? null : `vol options: Invalid value '${shown}' for option ${option}: ${choices.join(', ')}.`;
}

function volOptions(args: readonly string[], ctx: CommandContext): CommandOutcome {
  if ((args.length !== 1 && args.length !== 3) || args.some((arg) => arg.startsWith('-'))) return ctx.usage();
  return withView(ctx, 'vol options', (view) => {
    const volume = volumeOf(ctx, view, 'vol options', args[0]);
    if (!volume) return 'done';
    if (args.length === 1) {
      // The vserver mark rides in the option map (volume-vserver.ts); it is no option of the product's.
      const { [VSERVER_MARK]: _vserver, ...set } = volume.options ?? {};
      const values = { ...VOLUME_OPTION_DEFAULTS, ...set };
      const list = [...(volume.name === view.rootVolume ? ['root'] : []), ...Object.entries(values).map(([option, value]) => `${option}=${value}`)];
      ctx.printLines(foldOptions(list, OPTIONS_LINE_WIDTH));
      return 'done';
    }
    const error = volumeOptionError(args[1], args[2]);
    if (error) { ctx.print(error); return 'done'; }
    volume.options = { ...volume.options, [args[1]]: args[2] };
    volume.dirty = true;
    return 'done';
  });
}

function snapReserve(args: readonly string[], ctx: CommandContext): CommandOutcome {
  const words = args.filter((arg) => arg !== '-V');
  if (words.length > 2 || words.some((word) => word.startsWith('-')) || (words[1] !== undefined && !/^\d{1,3}%?$/.test(words[1]))) return ctx.usage();
  return withView(ctx, 'snap reserve', (view) => {
    const volumes = words[0] === undefined ? Object.values(view.state.volumes).sort((a, b) => (a.name < b.name ? -1 : 1)) : [volumeOf(ctx, view, 'snap reserve', words[0])];
    if (words[1] !== undefined && volumes[0]) {
      const percent = Number(words[1].replace('%', ''));
      if (percent > 100) { ctx.print('snap reserve: Snapshot reserve must be between 0 and 100 percent.'); return 'done'; }
      volumes[0].snapReserve = percent;
      volumes[0].dirty = true;
      return 'done';
    }
    for (const volume of volumes) {
      if (!volume) continue;
      const kb = Math.floor((volume.sizeBytes / 1024) * volumeSnapReserve(volume));
      ctx.print(`Volume ${volume.name}: current snapshot reserve is ${Math.round(volumeSnapReserve(volume) * 100)}% or ${kb} k-bytes.`);
    }
    return 'done';
  });
}

export const volumeLayoutCommands: readonly CommandDefinition[] = [
  { name: 'vol create', synopsis: 'create a flexible volume in an aggregate', usage: ['vol create <vol-name> [-l <language_code>] [-s {none | file | volume}] [-vserver <vserver>] <hosting-aggr-name> <size>[k|m|g|t]'], privilege: 'admin', completions: ['-l', '-s', '-vserver'], run: volCreate },
  { name: 'vol size', synopsis: 'display or set the size of a flexible volume', usage: ['vol size <vol-name> [[+|-]<size>[k|m|g|t]]'], privilege: 'admin', run: volSize },
  { name: 'vol options', synopsis: 'display or set the options of a volume', usage: ['vol options <vol-name> [<optname> <optval>]'], privilege: 'admin', run: volOptions },
  { name: 'snap reserve', synopsis: 'display or set the snapshot reserve of volumes', usage: ['snap reserve [-V] [<vol-name> [<percent>]]'], privilege: 'admin', run: snapReserve },
];
