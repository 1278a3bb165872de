// `disk assign|remove|unfail|swap|unswap` (na_disk(1) of 7.3 for the usage lines): software ownership
// of spares, unloading a spare to pull it, bringing a failed disk back as a spare. The disks of the lab
// are on FC loops, where disks are hot-swapped without `disk swap`, which says so.
import type { CommandContext, CommandDefinition, CommandOutcome } from '../console/command.ts';
import { haEnvDuringEvent } from '../ha/ha-env.ts';
import { operatorDiskOwner } from '../ha/operator.ts';
import { assignDisk, releaseDisk, removeSpare, unfailDisk, unownedDisks, type DiskAdminError } from '../storage/disk-admin.ts';
import { diskSerial, resolveDiskName, storageEnvOf, withView, type DiskPlace, type StorageView } from './storage-view.ts';

const DISK_ERRORS: Record<DiskAdminError, (command: string, disk: string) => string> = {
  'not-a-spare': (command, disk) => `${command}: Disk ${disk} is not a spare disk.`,
  owned: (command, disk) => `${command}: Disk ${disk} is already owned by this filer.`,
  'not-unowned': (command, disk) => `${command}: Disk ${disk} is not unowned.`,
  'not-broken': (command, disk) => `${command}: Disk ${disk} is not a failed disk.`,
  busy: (command, disk) => `${command}: Disk ${disk} is being zeroed; try again when it is done.`,
};

/** The lab id of a disk name typed, which may also be an unowned disk (`shelf1.6`, `0a.22`). */
function diskNamed(ctx: CommandContext, view: StorageView, name: string): string | null {
  const owned = resolveDiskName(view, ctx.filer, name);
  if (owned) return owned;
  return unownedDisks(view.state).find((disk) => disk === name || view.place(disk).name === name) ?? null;
}

interface AssignRequest {
  readonly disks: string[];
  readonly all: boolean;
  readonly count: number | null;
  readonly owner: string | null;
  readonly sysid: string | null;
  readonly force: boolean;
}

function parseAssign(args: readonly string[]): AssignRequest | null {
  const disks: string[] = [];
  let all = false;
  let count: number | null = null;
  let owner: string | null = null;
  let sysid: string | null = null;
  let force = false;
  for (let index = 0; index < args.length; index++) {
    const word = args[index];
    const value = args[index + 1];
    if (word === '-f') { force = true; continue; }
    if (['-n', '-o', '-s', '-p', '-c'].includes(word)) {
      if (value === undefined) return null;
      index += 1;
      if (word === '-n') { if (!/^\d{1,3}$/.test(value)) return null; count = Number(value); }
      if (word === '-o') owner = value;
      if (word === '-s') sysid = value;
      if (word === '-p' && value !== '0') return null;
      if (word === '-c' && !['block', 'zoned'].includes(value)) return null;
      continue;
    }
    if (word.startsWith('-')) return null;
    if (word === 'all') all = true; else disks.push(word);
  }
  const targets = (all ? 1 : 0) + (count !== null ? 1 : 0) + (disks.length > 0 ? 1 : 0);
  return targets === 1 ? { disks, all, count, owner, sysid, force } : null;
}

/** The partner's `disk show` follows an ownership change: it is told over the interconnect. */
function tellPartner(ctx: CommandContext, disk: string, change: 'taken' | 'released'): void {
  const partner = ctx.filer.config.partner;
  if (partner === undefined) return;
  const env = haEnvDuringEvent(ctx.filer, ctx.actor);
  if (!env || !operatorDiskOwner(env, disk, change)) {
    ctx.print(`disk assign: the partner ${partner} cannot be reached over the interconnect: its disk show does not know of this change.`);
  }
}

function diskAssign(args: readonly string[], ctx: CommandContext): CommandOutcome {
  const request = parseAssign(args);
  if (!request) return ctx.usage();
  return withView(ctx, 'disk assign', (view) => {
    const self = `${view.filerName} (ID ${view.systemId})`;
    if (request.sysid === 'unowned') {
      if (request.disks.length === 0) return ctx.usage();
      if (!request.force) { ctx.print('disk assign: Changing the owner of a disk needs -f.'); return 'done'; }
      for (const name of request.disks) {
        const disk = resolveDiskName(view, ctx.filer, name);
        if (!disk) { ctx.print(`disk assign: Disk ${name.slice(0, 32)} not found`); continue; }
        const place = view.place(disk);
        const error = releaseDisk(view.state, storageEnvOf(ctx), disk);
        if (error) { ctx.print(DISK_ERRORS[error]('disk assign', place.name)); continue; }
        ctx.ems('diskown.changingOwner', 'info', `changing ownership for disk ${place.name} (S/N ${diskSerial(place)}) from ${self} to unowned (ID -1)`);
        tellPartner(ctx, disk, 'released');
      }
      return 'done';
    }
    if ((request.owner !== null && request.owner !== view.filerName) || (request.sysid !== null && request.sysid !== view.systemId)) {
      ctx.print(`disk assign: The lab assigns disks to the filer they are assigned on (${view.filerName}) only.`);
      return 'done';
    }
    const unowned = unownedDisks(view.state);
    const chosen = request.all ? unowned : request.count !== null ? unowned.slice(0, request.count) : request.disks;
    if (chosen.length === 0 || (request.count !== null && unowned.length < request.count)) {
      ctx.print(unowned.length === 0 ? 'disk assign: No unassigned disks' : `disk assign: Only ${unowned.length} unassigned disks are available.`);
      return 'done';
    }
    for (const name of chosen) {
      const disk = diskNamed(ctx, view, name);
      if (!disk) { ctx.print(`disk assign: Disk ${name.slice(0, 32)} not found`); continue; }
      const error = assignDisk(view.state, storageEnvOf(ctx), disk);
      const place = view.place(disk);
      if (error) { ctx.print(DISK_ERRORS[error]('disk assign', place.name)); continue; }
      ctx.ems('diskown.changingOwner', 'info', `changing ownership for disk ${place.name} (S/N ${diskSerial(place)}) from unowned (ID -1) to ${self}`);
      tellPartner(ctx, disk, 'taken');
    }
    return 'done';
  });
}

/** `<command> [<flag>] <disk>`: runs `body` with the disk named, or prints the usage / not found. */
function withOneDisk(
  args: readonly string[], ctx: CommandContext, command: string, flag: string,
  body: (view: StorageView, disk: string, place: DiskPlace) => CommandOutcome,
): CommandOutcome {
  const names = args.filter((arg) => arg !== flag);
  if (names.length !== 1 || names[0].startsWith('-')) return ctx.usage();
  return withView(ctx, command, (view) => {
    const disk = resolveDiskName(view, ctx.filer, names[0]);
    if (!disk) { ctx.print(`${command}: Disk ${names[0].slice(0, 32)} not found`); return 'done'; }
    return body(view, disk, view.place(disk));
  });
}

/** How the product's disk events name a disk: place, shelf, bay, vendor and model, serial. */
export function diskIdentity(place: DiskPlace, location = place.name): string {
  return `Disk ${location} Shelf ${place.shelfId} Bay ${place.bay} [NETAPP   X279_FILERLAB] S/N [${diskSerial(place)}]`;
}

function diskRemove(args: readonly string[], ctx: CommandContext): CommandOutcome {
  return withOneDisk(args, ctx, 'disk remove', '-w', (view, disk, place) => {
    const error = removeSpare(view.state, disk);
    if (error) { ctx.print(DISK_ERRORS[error]('disk remove', place.name)); return 'done'; }
    ctx.ems('raid.disk.unload.done', 'info', `Unload of ${diskIdentity(place)} has completed successfully`);
    return 'done';
  });
}

function diskUnfail(args: readonly string[], ctx: CommandContext): CommandOutcome {
  return withOneDisk(args, ctx, 'disk unfail', '-s', (view, disk, place) => {
    const result = unfailDisk(view.state, storageEnvOf(ctx), disk);
    if (typeof result === 'string') { ctx.print(DISK_ERRORS[result]('disk unfail', place.name)); return 'done'; }
    if (result) {
      ctx.print(`disk unfail: Disk ${place.name} is still the missing member of RAID group ${result.group}; it can be unfailed once a spare has replaced it.`);
      return 'done';
    }
    ctx.ems('raid.disk.unfail.done', 'notice', `${diskIdentity(place)} unfailed: it is a spare (not zeroed).`);
    return 'done';
  });
}

/** `disk swap|unswap`: on FC loops a disk is pulled or inserted at any time; nothing to stall. */
function noSwapNeeded(command: string): CommandDefinition['run'] {
  return (args, ctx) => {
    if (args.length > 0) return ctx.usage();
    ctx.print(`${command}: This filer's disks are on FC loops, which take a disk pulled or inserted at any time: no I/O to stall.`);
    return 'done';
  };
}

export const diskAdminCommands: readonly CommandDefinition[] = [
  {
    name: 'disk assign', synopsis: 'assign unowned disks to this filer, or give a spare up (-s unowned)',
    usage: ['disk assign {<disk_name> | all | -n <count>} [-p <pool>] [-o <ownername>] [-s {<sysid> | unowned}] [-c {block | zoned}] [-f]'],
    privilege: 'admin', completions: ['all', '-n', '-o', '-s', '-f'], run: diskAssign,
  },
  { name: 'disk remove', synopsis: 'unload a spare disk so that it can be pulled', usage: ['disk remove [-w] <disk_name>'], privilege: 'admin', completions: ['-w'], run: diskRemove },
  { name: 'disk unfail', synopsis: 'make a failed disk a spare again', usage: ['disk unfail [-s] <disk_name>'], privilege: 'advanced', completions: ['-s'], run: diskUnfail },
  { name: 'disk swap', synopsis: 'prepare the bus to pull or insert a disk', usage: ['disk swap'], privilege: 'admin', run: noSwapNeeded('disk swap') },
  { name: 'disk unswap', synopsis: 'end a disk swap', usage: ['disk unswap'], privilege: 'admin', run: noSwapNeeded('disk unswap') },
];
