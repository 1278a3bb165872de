// `aggr create|add|offline|online|options`: the operator makes aggregates from spares, grows them (the last
// RAID group up to raidsize, then new groups), takes them out of service and sets their options, through
// the storage OS (storage-admin.ts).
// Messages follow 7-Mode's (docs/fidelity.md says which were checked against a public source).
import type { CommandContext, CommandDefinition, CommandOutcome } from '../console/command.ts';
import {
  addDisksToAggregate, createAggregateOnSpares, offlineAggregate, onlineAggregate, raidSizeOf, setAggregateOption,
  RAID4_SIZE_DEFAULT, RAID4_SIZE_MAX, RAID4_SIZE_MIN, type LayoutError,
} from '../storage/storage-admin.ts';
import type { AddTarget } from '../storage/aggregate-grow.ts';
import type { AggregateState } from '../storage/types.ts';
import { AGGREGATE_OPTION_DEFAULTS, aggregateOptionList, foldOptions } from './storage-aggr-verbose.ts';

/** `aggr options` and `vol options` fold their lists at about 80 columns. */
export const OPTIONS_LINE_WIDTH = 76;
import { resolveDiskName, storageEnvOf, withView, type StorageView } from './storage-view.ts';

/** What `aggr create|add` was asked for: a count of spares or named disks, and the flags. */
interface DiskRequest {
  readonly count: number;
  readonly named: string[] | null;
  readonly raidSize: number | null;
  readonly raidType: string | null;
  readonly preview: boolean;
  readonly group: string | null;
}

/** Parses `[-f] [-n] [-t type] [-r size] [-g group] {N | -d disk ...}`; null on a bad word. */
function parseDiskRequest(args: readonly string[], allowed: readonly string[]): DiskRequest | null {
  let count = 0;
  let named: string[] | null = null;
  let raidSize: number | null = null;
  let raidType: string | null = null;
  let group: string | null = null;
  let preview = false;
  for (let index = 0; index < args.length; index++) {
    const word = args[index];
    if (named) { if (word.startsWith('-')) return null; named.push(word); continue; }
    if (!word.startsWith('-')) {
      if (count !== 0 || !/^\d{1,3}$/.test(word) || Number(word) < 1) return null;
      count = Number(word);
      continue;
    }
    if (!allowed.includes(word)) return null;
    if (word === '-f') continue;
    if (word === '-n') { preview = true; continue; }
    if (word === '-d') { if (count !== 0) return null; named = []; continue; }
    const value = args[index + 1];
    if (value === undefined) return null;
    index += 1;
    if (word === '-r') { if (!/^\d{1,3}$/.test(value)) return null; raidSize = Number(value); }
    if (word === '-t') raidType = value;
    if (word === '-g') group = value;
  }
  if ((named === null && count === 0) || (named !== null && named.length === 0)) return null;
  return { count: named?.length ?? count, named, raidSize, raidType, preview, group };
}

/** The named disks as lab ids, or prints which one is unknown. */
function resolveNamed(ctx: CommandContext, view: StorageView, command: string, named: readonly string[] | null): string[] | null | 'unknown' {
  if (!named) return null;
  const ids: string[] = [];
  for (const name of named) {
    const id = resolveDiskName(view, ctx.filer, name);
    if (!id) { ctx.print(`${command}: Disk ${name.slice(0, 32)} not found`); return 'unknown'; }
    ids.push(id);
  }
  return ids;
}

const LAYOUT_ERRORS: Record<LayoutError, (command: string, name: string) => string> = {
  exists: (command, name) => `${command}: An aggregate or volume named '${name}' already exists.`,
  'no-such-aggregate': (command, name) => `${command}: No aggregate named '${name}' exists.`,
  'not-enough-spares': (command) => `${command}: There are not enough spare disks of the requested size available.`,
  'not-a-spare': (command) => `${command}: One or more of the disks specified is not a spare disk.`,
  'too-small': (command) => `${command}: The size specified is smaller than the minimum size of a flexible volume (20m).`,
  'too-large': (command) => `${command}: The size specified is larger than the maximum size of a flexible volume (16t).`,
  'no-space': (command, name) => `${command}: Not enough space in aggregate '${name}' for the requested size.`,
  'not-online': (command, name) => `${command}: Aggregate '${name}' is not online.`,
  root: (command, name) => `${command}: Cannot offline the root aggregate '${name}'.`,
  'has-online-volumes': (command, name) => `${command}: Cannot offline aggregate '${name}' because it contains one or more online flexible volumes.`,
  partner: (command, name) => `${command}: Aggregate '${name}' belongs to the partner.`,
  'below-used': (command, name) => `${command}: Volume '${name}' uses more than the size specified.`,
  'too-few-disks': (command) => `${command}: A raid4 RAID group needs at least 2 disks (data and parity).`,
  'group-full': (command, name) => `${command}: Adding the disks to RAID group ${name} would exceed its raidsize.`,
  'no-such-group': (command, name) => `${command}: No RAID group named '${name}' exists.`,
  'group-degraded': (command, name) => `${command}: RAID group ${name} is degraded or being reconstructed: disks cannot be added to it now.`,
};

export function layoutError(ctx: CommandContext, command: string, name: string, error: LayoutError): 'done' {
  ctx.print(LAYOUT_ERRORS[error](command, name.slice(0, 64)));
  return 'done';
}

function checkRaid(ctx: CommandContext, command: string, request: DiskRequest): boolean {
  if (request.raidType !== null && request.raidType !== 'raid4') {
    ctx.print(request.raidType === 'raid_dp'
      ? `${command}: RAID-DP is not available in this lab: its aggregates are RAID-4.`
      : `${command}: Invalid RAID type '${request.raidType.slice(0, 16)}'.`);
    return false;
  }
  if (request.raidSize !== null && (request.raidSize < RAID4_SIZE_MIN || request.raidSize > RAID4_SIZE_MAX)) {
    ctx.print(`${command}: Invalid raidsize ${request.raidSize}: it must be between ${RAID4_SIZE_MIN} and ${RAID4_SIZE_MAX} for raid4.`);
    return false;
  }
  return true;
}

function plural(count: number): string {
  return `${count} disk${count === 1 ? '' : 's'}`;
}

function aggrCreate(args: readonly string[], ctx: CommandContext): CommandOutcome {
  const [name, ...rest] = args;
  const request = name === undefined || name.startsWith('-') ? null : parseDiskRequest(rest, ['-f', '-n', '-t', '-r', '-d']);
  if (!request || !/^[A-Za-z_][A-Za-z0-9_]{0,254}$/.test(name)) return ctx.usage();
  if (!checkRaid(ctx, 'aggr create', request)) return 'done';
  return withView(ctx, 'aggr create', (view) => {
    const named = resolveNamed(ctx, view, 'aggr create', request.named);
    if (named === 'unknown') return 'done';
    const raidSize = request.raidSize ?? RAID4_SIZE_DEFAULT;
    if (request.preview) {
      ctx.print(`aggr create ${name} -t raid4 -r ${raidSize} ${named ? `-d ${named.map((id) => view.place(id).name).join(' ')}` : request.count}`);
      return 'done';
    }
    const result = createAggregateOnSpares(view.state, storageEnvOf(ctx), name, request.count, named, raidSize);
    if (typeof result === 'string') return layoutError(ctx, 'aggr create', name, result);
    ctx.print(`Creation of an aggregate with ${plural(request.count)} has completed.`);
    return 'done';
  });
}

/** `-g new | all | rgN` as a target for the added disks; null when not one of them. */
function parseTarget(group: string | null): AddTarget | null {
  if (group === null) return 'last';
  if (group === 'new' || group === 'all') return group;
  const match = /^rg(\d{1,3})$/.exec(group);
  return match ? Number(match[1]) : null;
}

function aggrAdd(args: readonly string[], ctx: CommandContext): CommandOutcome {
  const [name, ...rest] = args;
  const request = name === undefined || name.startsWith('-') ? null : parseDiskRequest(rest, ['-f', '-n', '-g', '-d']);
  const target = request ? parseTarget(request.group) : null;
  if (!request || target === null) return ctx.usage();
  return withView(ctx, 'aggr add', (view) => {
    const aggregate = view.state.aggregates[name];
    if (!aggregate) return layoutError(ctx, 'aggr add', name, 'no-such-aggregate');
    const named = resolveNamed(ctx, view, 'aggr add', request.named);
    if (named === 'unknown') return 'done';
    const raidSize = raidSizeOf(aggregate, ctx.filer.config.aggregates.find((config) => config.name === name)?.raidGroupSize);
    if (request.preview) {
      ctx.print(`aggr add ${name}${request.group === null ? '' : ` -g ${request.group}`} ${named ? `-d ${named.map((id) => view.place(id).name).join(' ')}` : request.count}`);
      return 'done';
    }
    const added = addDisksToAggregate(view.state, storageEnvOf(ctx), aggregate, request.count, named, raidSize, target);
    if (typeof added === 'string') return layoutError(ctx, 'aggr add', added === 'exists' || added === 'no-such-aggregate' ? name : request.group ?? name, added);
    for (const disk of added) {
      const place = view.place(disk);
      const group = view.state.disks[disk].raidGroup;
      ctx.ems('raid.vol.disk.add.done', 'notice',
        `Addition of Disk /${name}/plex0/rg${group}/${place.name} Shelf ${place.shelfId} Bay ${place.bay} to aggregate ${name} has completed successfully`);
    }
    ctx.print(`Addition of ${plural(added.length)} to the aggregate has completed.`);
    return 'done';
  });
}

/** `aggr offline|online <aggr>`. */
function aggrState(online: boolean): CommandDefinition['run'] {
  const command = online ? 'aggr online' : 'aggr offline';
  return (args, ctx) => {
    if (args.length !== 1 || args[0].startsWith('-')) return ctx.usage();
    return withView(ctx, command, (view) => {
      const aggregate = view.state.aggregates[args[0]];
      if (!aggregate) return layoutError(ctx, command, args[0], 'no-such-aggregate');
      if (online && aggregate.status === 'online') { ctx.print(`${command}: Aggregate '${aggregate.name}' is already online.`); return 'done'; }
      if (!online && aggregate.status === 'offline') { ctx.print(`${command}: Aggregate '${aggregate.name}' is already offline.`); return 'done'; }
      const error = online ? onlineAggregate(view.state, storageEnvOf(ctx), aggregate) : offlineAggregate(view.state, storageEnvOf(ctx), aggregate);
      if (error) return layoutError(ctx, command, aggregate.name, error);
      ctx.print(`Aggregate '${aggregate.name}' is now ${online ? 'online' : 'offline'}.`);
      ctx.ems(online ? 'wafl.aggr.online' : 'wafl.aggr.offline', 'info', `Aggregate '${aggregate.name}' is now ${online ? 'online' : 'offline'}.`);
      return 'done';
    });
  };
}

/** Values an option takes: on/off switches, raidsize by range, raidtype raid4 only. */
function optionError(aggregate: AggregateState, option: string, value: string): string | null {
  if (!(option in AGGREGATE_OPTION_DEFAULTS)) return `aggr options: Unknown option '${option.slice(0, 32)}'.`;
  if (option === 'raidsize') {
    const size = Number(value);
    if (!/^\d{1,3}$/.test(value) || size < RAID4_SIZE_MIN || size > RAID4_SIZE_MAX) return `aggr options: Invalid raidsize ${value.slice(0, 16)}: it must be between ${RAID4_SIZE_MIN} and ${RAID4_SIZE_MAX} for raid4.`;
    const largest = Math.max(...aggregate.raidGroups.map((group) => group.members.length));
    if (size < largest) return `aggr options: Cannot make raidsize ${size} smaller than the largest RAID group (${largest} disks).`;
    return null;
  }
  if (option === 'raidtype') return value === 'raid4' ? null : 'aggr options: RAID-DP is not available in this lab: its aggregates are RAID-4.';
  if (option === 'resyncsnaptime' || option === 'ha_policy') return option === 'ha_policy' && !['cfo', 'sfo'].includes(value) ? `aggr options: Invalid value '${value.slice(0, 16)}' for option ha_policy.` : null;
  return value === 'on' || value === 'off' ? null : `aggr options: Invalid value '${value.slice(0, 16)}' for option ${option}: on or off.`;
}

function aggrOptions(args: readonly string[], ctx: CommandContext): CommandOutcome {
  if ((args.length !== 1 && args.length !== 3) || args.some((arg) => arg.startsWith('-'))) return ctx.usage();
  return withView(ctx, 'aggr options', (view) => {
    const aggregate = view.state.aggregates[args[0]];
    if (!aggregate) return layoutError(ctx, 'aggr options', args[0], 'no-such-aggregate');
    if (args.length === 1) {
      ctx.printLines(foldOptions(aggregateOptionList(aggregate, ctx.filer), OPTIONS_LINE_WIDTH));
      return 'done';
    }
    const [, option, value] = args;
    const error = optionError(aggregate, option, value);
    if (error) { ctx.print(error); return 'done'; }
    setAggregateOption(view.state, storageEnvOf(ctx), aggregate, option, value);
    return 'done';
  });
}

export const AGGR_USAGE = [
  'aggr create <aggr-name> [-f] [-n] [-t {raid4 | raid_dp}] [-r <raidsize>] { <ndisks> | -d <disk1> [<disk2> ...] }',
  'aggr add <aggr-name> [-f] [-n] [-g {<raid-group> | new | all}] { <ndisks> | -d <disk1> [<disk2> ...] }',
  'aggr offline <aggr-name>',
  'aggr online <aggr-name>',
  'aggr options <aggr-name> [<optname> <optval>]',
  'aggr status [<aggrname>] [-r | -s | -v]',
];

export const aggregateAdminCommands: readonly CommandDefinition[] = [
  { name: 'aggr create', synopsis: 'create an aggregate from spare disks', usage: [AGGR_USAGE[0]], privilege: 'admin', completions: ['-t', '-r', '-d', '-n'], run: aggrCreate },
  { name: 'aggr add', synopsis: 'add spare disks to an aggregate (its last RAID group first)', usage: [AGGR_USAGE[1]], privilege: 'admin', completions: ['-g', '-d', '-n'], run: aggrAdd },
  { name: 'aggr offline', synopsis: 'take an aggregate offline', usage: [AGGR_USAGE[2]], privilege: 'admin', run: aggrState(false) },
  { name: 'aggr online', synopsis: 'bring an aggregate online', usage: [AGGR_USAGE[3]], privilege: 'admin', run: aggrState(true) },
  { name: 'aggr options', synopsis: 'display or set the options of an aggregate', usage: [AGGR_USAGE[4]], privilege: 'admin', run: aggrOptions },
];
