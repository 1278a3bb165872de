// The storage layer's console commands (DESIGN.md §7): `sysconfig -r`, `aggr status [-r|-s]`,
// `vol status`, `df [-h|-A]`, `disk show -v`, `disk fail`, `disk replace start`, `disk zero spares`,
// `storage show disk -p`. They read the storage slot and act through the storage OS's public API.
import type { CommandContext, CommandDefinition, CommandOutcome } from '../console/command.ts';
import type { DiskRecord } from '../storage/types.ts';
import { isAvailableSpare } from '../storage/raid-ops.ts';
import { adminFailDisk, isBeingCopied, replaceDisk, zeroSpares } from '../storage/index.ts';
import { diskFailWarning, diskInventoryLines, diskLocation, diskPathLines, diskShowLines } from './storage-disks.ts';
import { aggrStatusLines, aggregateLines, raidStatusLines, spareLines } from './storage-raid-status.ts';
import { resolveDiskName, storageEnvOf as envOf, viewOf, withView, type StorageView } from './storage-view.ts';
import { dfAggregateLines, dfLines, volStatusLines, type DfUnit } from './storage-volumes.ts';
import { aggrVerboseLines } from './storage-aggr-verbose.ts';
import { deviceLines, diskOwnerLines, ownedDisks, partnerDiskLines } from './storage-ownership.ts';
import { storageShowCommands } from './storage-show.ts';
import { snapshotCommands } from './storage-snap.ts';
import { volumeAdminCommands } from './storage-vol-admin.ts';
import { aggregateAdminCommands, AGGR_USAGE } from './storage-aggr-admin.ts';
import { volumeLayoutCommands } from './storage-vol-create.ts';
import { diskAdminCommands, diskIdentity } from './storage-disk-admin.ts';

/** `disk show`: this filer's disks (-v too), another owner's (-o name, -s sysid), unowned (-n), all (-a). */
function diskShow(args: readonly string[], ctx: CommandContext): CommandOutcome {
  const [flag, value, ...rest] = args;
  const needsValue = flag === '-o' || flag === '-s';
  if (rest.length > 0 || (needsValue ? value === undefined : value !== undefined) || (flag !== undefined && !['-o', '-s', '-n', '-v', '-a'].includes(flag))) return ctx.usage();
  return withView(ctx, 'disk show', (view) => {
    if (flag === undefined || flag === '-v') { ctx.printLines(diskShowLines(view)); return 'done'; }
    const disks = ownedDisks(view, ctx.filer).filter((disk) => {
      if (flag === '-o') return disk.ownerName === value;
      if (flag === '-s') return disk.owner.endsWith(`(${value})`);
      if (flag === '-n') return disk.owner === 'Not Owned';
      return true;
    });
    if (disks.length === 0) { ctx.print(flag === '-n' ? 'disk show: No unassigned disks' : `disk show: No disks match option ${flag} ${value ?? ''}.`.replace(' .', '.')); return 'done'; }
    ctx.printLines(diskOwnerLines(disks));
    return 'done';
  });
}

function aggrStatus(args: readonly string[], ctx: CommandContext): CommandOutcome {
  const flags = args.filter((arg) => arg.startsWith('-'));
  const names = args.filter((arg) => !arg.startsWith('-'));
  if (names.length > 1 || flags.length > 1 || flags.some((flag) => !['-r', '-s', '-v'].includes(flag))) return ctx.usage();
  return withView(ctx, 'aggr status', (view) => {
    const only = names[0] === undefined ? undefined : view.state.aggregates[names[0]];
    if (names[0] !== undefined && !only) { ctx.print(`aggr status: No aggregate named '${names[0]}' exists.`); return 'done'; }
    if (flags[0] === '-s') ctx.printLines(spareLines(view));
    else if (flags[0] === '-r') ctx.printLines(only ? aggregateLines(view, only) : [...raidStatusLines(view), ...partnerDiskLines(view, ctx.filer)]);
    else if (flags[0] === '-v') ctx.printLines(aggrVerboseLines(view, ctx.filer, only));
    else ctx.printLines(aggrStatusLines(view, only));
    return 'done';
  });
}

const DF_UNITS: Record<string, DfUnit> = { '-k': 'k', '-m': 'm', '-g': 'g', '-h': 'h' };

function df(args: readonly string[], ctx: CommandContext): CommandOutcome {
  let unit: DfUnit = 'k';
  let aggregates = false;
  const names: string[] = [];
  for (const arg of args) {
    if (arg === '-A') aggregates = true;
    else if (DF_UNITS[arg]) unit = DF_UNITS[arg];
    else if (arg.startsWith('-')) return ctx.usage();
    else names.push(arg);
  }
  if (names.length > 1) return ctx.usage();
  return withView(ctx, 'df', (view) => {
    const name = names[0]?.replace(/^\/vol\//, '').replace(/\/$/, '');
    if (aggregates) {
      const only = name === undefined ? undefined : view.state.aggregates[name];
      if (name !== undefined && !only) { ctx.print(`df: ${names[0]}: No such aggregate`); return 'done'; }
      ctx.printLines(dfAggregateLines(view, unit, only));
      return 'done';
    }
    const only = name === undefined ? undefined : view.state.volumes[name];
    if (name !== undefined && !only) { ctx.print(`df: ${names[0]}: No such file or directory`); return 'done'; }
    ctx.printLines(dfLines(view, unit, only));
    return 'done';
  });
}

/**
 * Fails the disk through the storage OS and reports it as `disk fail` does: a file system disk without
 * `-i` is prefailed (copied onto a spare first, Rapid RAID Recovery), else failed at once.
 */
function failNow(ctx: CommandContext, disk: string, immediate: boolean): CommandOutcome {
  const view = viewOf(ctx);
  const record = view?.state.disks[disk];
  if (!view || !record) { ctx.print('disk fail: the disk is gone.'); return 'done'; }
  const place = view.place(disk);
  const location = diskLocation(view, record, place);
  const result = adminFailDisk(view.state, envOf(ctx), disk, immediate);
  if (result === 'already-failed') { ctx.print(`disk fail: Disk ${place.name} is already failed.`); return 'done'; }
  if (result === 'busy') { ctx.print(`disk fail: Disk ${place.name} is being copied to a replacement disk already.`); return 'done'; }
  if (result === 'copying') {
    ctx.print(`disk fail: The following disk was prefailed: ${place.name}`);
    ctx.printLines([`Disk ${place.name} has been prefailed.  Its contents will be copied to a`, 'replacement disk, and the prefailed disk will be failed out.']);
    return 'done';
  }
  if (result) { ctx.print(`disk fail: Disk ${place.name} could not be failed (${result}).`); return 'done'; }
  ctx.print(`disk fail: The following disk was failed: ${place.name}`);
  ctx.ems('raid.disk.fail.admin', 'notice', `${diskIdentity(place, location)} failed by administrator.`);
  return 'done';
}

/** Whether `disk fail` without `-i` can copy the disk first: a member of a healthy group, a spare to copy to. */
function canPrefail(view: StorageView, record: DiskRecord): boolean {
  if ((record.role !== 'data' && record.role !== 'parity') || record.aggregate === null) return false;
  const aggregate = view.state.aggregates[record.aggregate];
  const group = aggregate?.raidGroups[record.raidGroup ?? 0];
  if (!group || group.failed.length > 0 || group.reconstruction) return false;
  // The copy goes to a spare of the aggregate's owner (the partner's own, for its aggregate in takeover).
  return Object.values(view.state.disks).some((spare) => isAvailableSpare(spare, aggregate.partnerOf));
}

const diskFail: CommandDefinition = {
  name: 'disk fail',
  synopsis: 'fail a file system disk',
  usage: ['disk fail [-i] [-f] <disk_name>'],
  privilege: 'admin',
  completions: ['-i', '-f'],
  run(args, ctx) {
    const flags = args.filter((arg) => arg.startsWith('-'));
    const names = args.filter((arg) => !arg.startsWith('-'));
    if (names.length !== 1 || flags.some((flag) => flag !== '-i' && flag !== '-f')) return ctx.usage();
    return withView(ctx, 'disk fail', (view) => {
      const disk = resolveDiskName(view, ctx.filer, names[0]);
      if (!disk) { ctx.print(`disk fail: Disk ${names[0]} not found`); return ctx.usage(); }
      const record = view.state.disks[disk];
      const name = view.place(disk).name;
      if (record.role === 'broken') { ctx.print(`disk fail: Disk ${name} is already failed.`); return 'done'; }
      if (isBeingCopied(view.state, disk)) { ctx.print(`disk fail: Disk ${name} is being copied to a replacement disk already.`); return 'done'; }
      const immediate = flags.includes('-i') || !canPrefail(view, record);
      if (flags.includes('-f')) return failNow(ctx, disk, immediate);
      ctx.printLines(diskFailWarning(view, record, immediate));
      return ctx.ask(`Really ${immediate ? 'fail' : 'prefail'} disk ${name}? `, { kind: 'disk.fail', disk, immediate });
    });
  },
  answer(answer, resume, ctx) {
    const disk = typeof resume.disk === 'string' ? resume.disk : '';
    if (!/^y(es)?$/i.test(answer)) { ctx.print('disk fail: Disk not failed.'); return 'done'; }
    return failNow(ctx, disk, resume.immediate !== false);
  },
};

const REPLACE_ERRORS: Record<string, (disk: string, spare: string) => string> = {
  'not-a-member': (disk) => `disk replace: Disk ${disk} is not a file system disk.`,
  'not-a-spare': (_disk, spare) => `disk replace: Disk ${spare} is not a spare disk.`,
  busy: (disk) => `disk replace: The RAID group of disk ${disk} is degraded or reconstructing; try again later.`,
};

const diskReplaceStart: CommandDefinition = {
  name: 'disk replace start',
  synopsis: 'copy a file system disk onto a spare and take the spare in its place',
  usage: ['disk replace start [-f] [-m] <disk_name> <spare_disk_name>'],
  privilege: 'admin',
  completions: ['-f', '-m'],
  run(args, ctx) {
    const names = args.filter((arg) => arg !== '-f' && arg !== '-m');
    if (names.length !== 2 || names.some((name) => name.startsWith('-'))) return ctx.usage();
    return withView(ctx, 'disk replace', (view) => {
      const disk = resolveDiskName(view, ctx.filer, names[0]);
      const spare = resolveDiskName(view, ctx.filer, names[1]);
      if (!disk || !spare) { ctx.print(`disk replace: Disk ${disk ? names[1] : names[0]} not found`); return ctx.usage(); }
      const diskName = view.place(disk).name;
      const spareName = view.place(spare).name;
      const error = replaceDisk(view.state, envOf(ctx), disk, spare);
      if (error === 'no-such-disk') return ctx.usage();
      if (error) { ctx.print(REPLACE_ERRORS[error]?.(diskName, spareName) ?? `disk replace: ${error}`); return 'done'; }
      ctx.print(`disk replace: Disk ${diskName} was marked for replacing.`);
      ctx.print(`disk replace: Copying ${diskName} to ${spareName}; ${diskName} stays in its RAID group until the copy is done.`);
      return 'done';
    });
  },
};

export const storageCommands: readonly CommandDefinition[] = [
  {
    name: 'sysconfig -r',
    synopsis: 'display the RAID configuration: aggregates, spare and broken disks',
    usage: ['sysconfig -r'],
    privilege: 'admin',
    run(args, ctx) {
      if (args.length > 0) return ctx.usage();
      return withView(ctx, 'sysconfig', (view) => { ctx.printLines([...raidStatusLines(view), ...partnerDiskLines(view, ctx.filer)]); return 'done'; });
    },
  },
  {
    name: 'sysconfig -d',
    synopsis: 'display the devices on the loops',
    usage: ['sysconfig -d'],
    privilege: 'admin',
    run(args, ctx) {
      if (args.length > 0) return ctx.usage();
      return withView(ctx, 'sysconfig', (view) => { ctx.printLines(deviceLines(view, ctx.filer)); return 'done'; });
    },
  },
  {
    name: 'aggr',
    synopsis: 'manage aggregates',
    usage: AGGR_USAGE,
    privilege: 'admin',
    run: (_args, ctx) => ctx.usage(),
  },
  {
    name: 'aggr status',
    synopsis: 'display the state of aggregates (-r: RAID layout, -s: spares)',
    usage: ['aggr status [<aggrname>] [-r | -s | -v]'],
    privilege: 'admin',
    completions: ['-r', '-s', '-v'],
    run: aggrStatus,
  },
  {
    name: 'vol',
    synopsis: 'manage volumes',
    usage: [
      'vol create <vol-name> [-l <language_code>] [-s {none | file | volume}] <hosting-aggr-name> <size>[k|m|g|t]',
      'vol offline <volume-name>', 'vol online <volume-name>', 'vol options <vol-name> [<optname> <optval>]',
      'vol size <vol-name> [[+|-]<size>[k|m|g|t]]', 'vol status [<vol-name>] [-v | -r]',
    ],
    privilege: 'admin',
    run: (_args, ctx) => ctx.usage(),
  },
  {
    name: 'vol status',
    synopsis: 'display the state of volumes',
    usage: ['vol status [<vol-name>] [-v | -r]'],
    privilege: 'admin',
    completions: ['-v', '-r'],
    run(args, ctx) {
      const names = args.filter((arg) => arg !== '-v' && arg !== '-r');
      if (names.length > 1 || names.some((name) => name.startsWith('-'))) return ctx.usage();
      return withView(ctx, 'vol status', (view) => {
        const only = names[0] === undefined ? undefined : view.state.volumes[names[0]];
        if (names[0] !== undefined && !only) { ctx.print(`vol status: No volume named '${names[0]}' exists.`); return 'done'; }
        const containing = only ? view.state.aggregates[only.aggregate] : undefined;
        // -r: the RAID layout under the volumes, which for flexible volumes is their aggregates'.
        if (args.includes('-r')) ctx.printLines(containing ? aggregateLines(view, containing) : [...raidStatusLines(view), ...partnerDiskLines(view, ctx.filer)]);
        else ctx.printLines(volStatusLines(view, only));
        return 'done';
      });
    },
  },
  {
    name: 'df',
    synopsis: 'display free disk space',
    usage: ['df [ -i | -r | -s ] [-h | -k | -m | -g | -t] [-A | -V] [pathname | aggrname]'],
    privilege: 'admin',
    completions: ['-h', '-k', '-m', '-g', '-A'],
    run: df,
  },
  {
    name: 'disk show',
    synopsis: 'display disk ownership',
    usage: ['disk show [ -o <ownername> | -s <sysid> | -n | -v | -a ]'],
    privilege: 'admin',
    completions: ['-o', '-s', '-n', '-v', '-a'],
    run: diskShow,
  },
  diskFail,
  diskReplaceStart,
  ...volumeAdminCommands,
  ...aggregateAdminCommands,
  ...diskAdminCommands,
  ...volumeLayoutCommands,
  ...snapshotCommands,
  ...storageShowCommands,
  {
    name: 'disk zero spares',
    synopsis: 'zero all spare disks that are not zeroed',
    usage: ['disk zero spares'],
    privilege: 'admin',
    run(args, ctx) {
      if (args.length > 0) return ctx.usage();
      return withView(ctx, 'disk zero', (view) => { zeroSpares(view.state, envOf(ctx)); return 'done'; });
    },
  },
  {
    name: 'storage show disk',
    synopsis: 'display disks and their paths (-p)',
    usage: ['storage show disk [-p]'],
    privilege: 'admin',
    completions: ['-p'],
    run(args, ctx) {
      if (args.length > 1 || (args.length === 1 && args[0] !== '-p')) return ctx.usage();
      return withView(ctx, 'storage show disk', (view) => {
        ctx.printLines(args[0] === '-p' ? diskPathLines(view) : diskInventoryLines(view));
        return 'done';
      });
    },
  },
];
