// `environment status`: the chassis sensors (fans, power supplies, temperature) as the hardware reports
// them, with Data ONTAP's wording.
import { BAYS_PER_SHELF, ontapDiskName } from '../../hardware/disk-names.ts';
import { OVERTEMP_TEMPERATURE_C } from '../../hardware/filer/chassis.ts';
import type { CommandContext, CommandDefinition } from '../console/command.ts';

export function environmentLines(ctx: CommandContext): string[] {
  const sensors = ctx.filer.chassis.sensors;
  const hot = sensors.temperatureC >= OVERTEMP_TEMPERATURE_C;
  const lines = ['Environment for chassis:'];
  const problems: string[] = [];
  sensors.fans.forEach((ok, index) => {
    if (!ok) problems.push(`    Chassis fan ${index + 1} has FAILED.`);
  });
  sensors.psus.forEach((ok, index) => {
    if (!ok) problems.push(`    Power supply ${index + 1} has FAILED.`);
  });
  if (hot) problems.push(`    Chassis temperature is TOO HIGH: ${sensors.temperatureC}C.`);
  lines.push(...(problems.length === 0 ? ['    All ok'] : problems));
  lines.push('', 'Chassis Environmental Status:');
  lines.push(`    Chassis temperature: ${sensors.temperatureC}C (${hot ? 'critical' : 'normal'}; limit ${OVERTEMP_TEMPERATURE_C}C)`);
  sensors.fans.forEach((ok, index) => lines.push(`    Fan ${index + 1}: ${ok ? 'ok, spinning' : 'FAILED'}`));
  sensors.psus.forEach((ok, index) => lines.push(`    Power supply ${index + 1}: ${ok ? 'ok' : 'FAILED'}`));
  lines.push(`    NVRAM battery: ${ctx.filer.chassis.nvram.batteryOk ? 'ok' : 'LOW'}`);
  return lines;
}

/**
 * `environment shelf`: each shelf on each loop as the filer's loop sees it. The lab's filer reads no SES
 * pages from its shelves, so the power supplies, fans and temperatures of a shelf are not listed.
 */
export function shelfEnvironmentLines(ctx: CommandContext, adapter?: string): string[] {
  const lines: string[] = [];
  for (const fc of ctx.filer.config.fcPorts.filter((port) => adapter === undefined || port.port === adapter)) {
    const up = ctx.filer.chassis.ports[fc.port]?.link ?? false;
    lines.push(`Environment for channel ${fc.port}`, `Number of shelves monitored: ${up ? fc.shelves.length : 0}  enabled: yes`,
      `Environmental failure on shelves on this channel? ${up ? 'no' : 'yes (loop down)'}`, '');
    if (!up) continue;
    for (const shelf of fc.shelves) {
      lines.push(`Channel: ${fc.port}`, `Shelf: ${shelf.shelfId}`, `SES device path: local access: ${ontapDiskName(fc.port, shelf.shelfId, 0)}`,
        'Module type: ESH4; monitoring is active', 'Shelf status: normal condition',
        `Shelf bays with disk devices installed:`, `      ${Array.from({ length: BAYS_PER_SHELF }, (_, bay) => BAYS_PER_SHELF - 1 - bay).join(', ')}`, '');
    }
  }
  return lines;
}

export const environmentCommands: readonly CommandDefinition[] = [
  {
    name: 'environment',
    synopsis: 'display information about the filer environment',
    usage: ['environment status [ chassis [all] | shelf ]', 'environment chassis', 'environment shelf'],
    privilege: 'admin',
    run(_args, ctx) {
      return ctx.usage();
    },
  },
  {
    name: 'environment chassis',
    synopsis: 'display the status of chassis sensors',
    usage: ['environment chassis [all]'],
    privilege: 'admin',
    run(args, ctx) {
      if (args.length > 1 || (args.length === 1 && args[0] !== 'all')) return ctx.usage();
      ctx.printLines(environmentLines(ctx));
      return 'done';
    },
  },
  {
    name: 'environment shelf',
    synopsis: 'display the status of the disk shelves',
    usage: ['environment shelf [<adapter>]'],
    privilege: 'admin',
    run(args, ctx) {
      if (args.length > 1) return ctx.usage();
      if (args.length === 1 && !ctx.filer.config.fcPorts.some((port) => port.port === args[0])) { ctx.print(`environment shelf: ${args[0].slice(0, 64)}: adapter not found`); return 'done'; }
      ctx.printLines(shelfEnvironmentLines(ctx, args[0]));
      return 'done';
    },
  },
  {
    name: 'environment status',
    synopsis: 'display the status of chassis sensors',
    usage: ['environment status [ chassis [all] | shelf ]'],
    privilege: 'admin',
    completions: ['chassis', 'shelf', 'all'],
    run(args, ctx) {
      if (args.length === 1 && args[0] === 'shelf') { ctx.printLines(shelfEnvironmentLines(ctx)); return 'done'; }
      const valid = args.length === 0 || (args[0] === 'chassis' && (args.length === 1 || (args.length === 2 && args[1] === 'all')));
      if (!valid) return ctx.usage();
      ctx.printLines(environmentLines(ctx));
      if (args.length === 0) ctx.printLines(['', ...shelfEnvironmentLines(ctx)]);
      return 'done';
    },
  },
];
