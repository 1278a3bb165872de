// `snap create|delete|rename|restore|list|sched`: the volumes' snapshots, kept by the WAFL layer
// (storage/snapshot-tree.ts) and taken at a CP. docs/fidelity.md says which shapes were checked against
// a public source; most were not: the product's wording as remembered.
import type { CommandContext, CommandDefinition, CommandOutcome } from '../console/command.ts';
import type { Payload } from '../../engine/actor.ts';
import { civilTime, MONTHS } from '../console/clock.ts';
import { formatSchedule, parseSchedule } from '../storage/snapshot-schedule.ts';
import { deleteSnapshot, findSnapshot, renameSnapshot, type SnapshotError } from '../storage/snapshot-tree.ts';
import { requestSnapshot, restoreSnapshot, snapshotUsage } from '../storage/snapshot.ts';
import type { VolumeState } from '../storage/types.ts';
import { storageEnvOf, viewOf, volumeOf, volumeUsedKb, withView, type StorageView } from './storage-view.ts';

/** A volume that is online (snapshots of an offline volume can be neither taken nor read). */
function onlineVolume(ctx: CommandContext, view: StorageView, command: string, name: string): VolumeState | null {
  const volume = volumeOf(ctx, view, command, name);
  if (volume && volume.status !== 'online') { ctx.print(`${command}: Volume ${volume.name} is offline.`); return null; }
  return volume;
}

function snapshotError(ctx: CommandContext, command: string, volume: string, name: string, error: SnapshotError): 'done' {
  const shown = name.slice(0, 64);
  const messages: Record<SnapshotError, string> = {
    'bad-name': `${command}: Invalid snapshot name '${shown}'.`,
    exists: `${command}: Snapshot ${shown} already exists.`,
    'no-such-snapshot': `${command}: No snapshot named ${shown} exists in volume ${volume}.`,
    'too-many': `${command}: Volume ${volume} already has the maximum number of snapshots the lab's fsinfo block can name.`,
  };
  ctx.print(messages[error]);
  return 'done';
}

function snapCreate(args: readonly string[], ctx: CommandContext): CommandOutcome {
  const words = args.filter((arg) => arg !== '-V');
  if (words.length !== 2 || words.some((word) => word.startsWith('-'))) return ctx.usage();
  return withView(ctx, 'snap create', (view) => {
    const volume = onlineVolume(ctx, view, 'snap create', words[0]);
    if (!volume) return 'done';
    const error = requestSnapshot(view.state, storageEnvOf(ctx), volume, words[1]);
    if (error) return snapshotError(ctx, 'snap create', volume.name, words[1], error);
    ctx.print('creating snapshot...');
    return 'done';
  });
}

function snapDelete(args: readonly string[], ctx: CommandContext): CommandOutcome {
  const all = args.includes('-a');
  const words = args.filter((arg) => arg !== '-V' && arg !== '-a' && arg !== '-f');
  if (words.length !== (all ? 1 : 2) || words.some((word) => word.startsWith('-'))) return ctx.usage();
  return withView(ctx, 'snap delete', (view) => {
    const volume = onlineVolume(ctx, view, 'snap delete', words[0]);
    if (!volume) return 'done';
    const names = all ? (volume.snapshots ?? []).map((snapshot) => snapshot.name) : [words[1]];
    if (!all && !findSnapshot(volume, words[1])) return snapshotError(ctx, 'snap delete', volume.name, words[1], 'no-such-snapshot');
    for (const name of names) {
      ctx.print('deleting snapshot...');
      deleteSnapshot(volume, name);
      ctx.ems('wafl.snap.delete', 'info', `Snapshot copy ${name} on volume ${volume.name} was deleted by the Data ONTAP function snapcmd_delete.`);
    }
    if (all && names.length === 0) ctx.print(`snap delete: No snapshots exist in volume ${volume.name}.`);
    return 'done';
  });
}

function snapRename(args: readonly string[], ctx: CommandContext): CommandOutcome {
  const words = args.filter((arg) => arg !== '-V');
  if (words.length !== 3 || words.some((word) => word.startsWith('-'))) return ctx.usage();
  return withView(ctx, 'snap rename', (view) => {
    const volume = onlineVolume(ctx, view, 'snap rename', words[0]);
    if (!volume) return 'done';
    const error = renameSnapshot(volume, words[1], words[2]);
    return error ? snapshotError(ctx, 'snap rename', volume.name, error === 'no-such-snapshot' ? words[1] : words[2], error) : 'done';
  });
}

/** `snap restore [-f] [-t vol] -s <snapshot> <vol>`: parsed, or null (then the usage line). */
function parseRestore(args: readonly string[]): { force: boolean; type: string; snapshot: string; volume: string; asPath: boolean } | null {
  let force = false;
  let type = 'vol';
  let snapshot: string | null = null;
  let asPath = false;
  const rest: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const word = args[index];
    if (word === '-f') force = true;
    else if (word === '-t' || word === '-s' || word === '-r') {
      const value = args[index + 1];
      if (value === undefined) return null;
      index += 1;
      if (word === '-t') type = value;
      if (word === '-s') snapshot = value;
      if (word === '-r') asPath = true;
    } else if (word.startsWith('-')) return null;
    else rest.push(word);
  }
  if (rest.length !== 1 || snapshot === null || (type !== 'vol' && type !== 'file')) return null;
  return { force, type, snapshot, volume: rest[0], asPath };
}

function revert(ctx: CommandContext, volumeName: string, snapshot: string): CommandOutcome {
  return withView(ctx, 'snap restore', (view) => {
    const volume = onlineVolume(ctx, view, 'snap restore', volumeName);
    if (!volume) return 'done';
    const error = restoreSnapshot(view.state, storageEnvOf(ctx), volume, snapshot);
    if (error) return snapshotError(ctx, 'snap restore', volume.name, snapshot, error);
    ctx.print(`Volume ${volume.name}: revert successful.`);
    ctx.ems('wafl.snaprestore.revert', 'notice', `Reverting volume ${volume.name} to a previous snapshot.`);
    return 'done';
  });
}

const snapRestore: CommandDefinition = {
  name: 'snap restore',
  synopsis: 'revert a volume to one of its snapshots',
  usage: ['snap restore [-f] [-t vol | file] -s <snapshot-name> [-r <restore-as-path>] <vol-name> | <restore-from-path>'],
  privilege: 'admin',
  completions: ['-f', '-t', '-s'],
  run(args, ctx) {
    const request = parseRestore(args);
    if (!request) return ctx.usage();
    if (request.type === 'file' || request.asPath) {
      ctx.print('snap restore: The lab reverts whole volumes only (-t vol).');
      return 'done';
    }
    return withView(ctx, 'snap restore', (view) => {
      const volume = onlineVolume(ctx, view, 'snap restore', request.volume);
      if (!volume) return 'done';
      if (!findSnapshot(volume, request.snapshot)) return snapshotError(ctx, 'snap restore', volume.name, request.snapshot, 'no-such-snapshot');
      if (request.force) return revert(ctx, volume.name, request.snapshot);
      ctx.printLines([
        '', 'WARNING! This will revert the volume to a previous snapshot.', 'All modifications to the volume after the snapshot will be',
        'irrevocably lost.', '',
      ]);
      return ctx.ask('Are you sure you want to do this? ', { kind: 'snap-restore', step: 'sure', volume: volume.name, snapshot: request.snapshot });
    });
  },
  answer(line, resume: Payload, ctx) {
    if (!/^y(es)?$/i.test(line.trim())) { ctx.print('Volume not reverted.'); return 'done'; }
    if (resume.step === 'sure') {
      ctx.printLines(['', `You have selected volume ${String(resume.volume)}, snapshot ${String(resume.snapshot)}`, '']);
      return ctx.ask('Proceed with revert? ', { ...resume, step: 'proceed' });
    }
    return revert(ctx, String(resume.volume), String(resume.snapshot));
  },
};

function percent(part: number, whole: number): number {
  return whole > 0 ? Math.round((part * 100) / whole) : 0;
}

function pair(cumulative: number, alone: number): string {
  return `${String(cumulative).padStart(3)}% (${String(alone).padStart(2)}%)`;
}

function snapDate(timeUs: number): string {
  const time = civilTime(timeUs);
  const two = (value: number): string => String(value).padStart(2, '0');
  return `${MONTHS[time.month - 1]} ${two(time.day)} ${two(time.hour)}:${two(time.minute)}`;
}

/** The table of one volume's snapshots, newest first, as `snap list` prints it. */
function snapshotTable(volume: VolumeState, activeBlocks: number): string[] {
  const usage = snapshotUsage(volume);
  if (usage.length === 0) return ['No snapshots exist.'];
  const totalBlocks = volume.sizeBytes / 4096;
  const usedBlocks = activeBlocks + (usage[usage.length - 1]?.cumulativeBlocks ?? 0);
  return [
    '  %/used       %/total  date          name', '----------  ----------  ------------  --------',
    ...usage.map((row) => `${pair(percent(row.cumulativeBlocks, usedBlocks), percent(row.aloneBlocks, usedBlocks))}  `
      + `${pair(percent(row.cumulativeBlocks, totalBlocks), percent(row.aloneBlocks, totalBlocks))}  ${snapDate(row.snapshot.createdUs)}  ${row.snapshot.name}`),
  ];
}

function snapSched(args: readonly string[], ctx: CommandContext): CommandOutcome {
  const names = args.filter((arg) => arg !== '-V');
  if (names.length > 4 || names.some((name) => name.startsWith('-'))) return ctx.usage();
  const schedule = names.length > 1 ? parseSchedule(names.slice(1)) : null;
  if (names.length > 1 && !schedule) return ctx.usage();
  return withView(ctx, 'snap sched', (view) => {
    if (schedule) {
      const volume = volumeOf(ctx, view, 'snap sched', names[0]);
      if (!volume) return 'done';
      volume.snapSchedule = schedule;
      volume.dirty = true;
      return 'done';
    }
    const volumes = names[0] === undefined ? Object.values(view.state.volumes).sort((a, b) => (a.name < b.name ? -1 : 1)) : [volumeOf(ctx, view, 'snap sched', names[0])];
    for (const volume of volumes) {
      if (volume) ctx.print(`Volume ${volume.name}: ${volume.snapSchedule ? formatSchedule(volume.snapSchedule) : '0 0 0'}`);
    }
    return 'done';
  });
}

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

export const snapshotCommands: readonly CommandDefinition[] = [
  { name: 'snap create', synopsis: 'create a snapshot of a volume', usage: ['snap create [-V] <vol-name> <snapshot-name>'], privilege: 'admin', run: snapCreate },
  { name: 'snap delete', synopsis: 'delete a snapshot (or all of a volume\'s, -a)', usage: ['snap delete [-V] <vol-name> <snapshot-name> | snap delete -a [-f] [-V] <vol-name>'], privilege: 'admin', completions: ['-a', '-f'], run: snapDelete },
  { name: 'snap rename', synopsis: 'rename a snapshot', usage: ['snap rename [-V] <vol-name> <old-snapshot-name> <new-snapshot-name>'], privilege: 'admin', run: snapRename },
  snapRestore,
  snapList,
  { name: 'snap sched', synopsis: 'display or set the snapshot schedule', usage: ['snap sched [-V] [<vol-name> [<weeks> [<days> [<hours>[@<list>]]]]]'], privilege: 'admin', run: snapSched },
];
