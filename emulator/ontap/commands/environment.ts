// `environment status`: the chassis sensors (fans, power supplies, temperature) as the hardware reports
// them, with Data ONTAP's wording.
import { BAYS_PER_SHELF, ontapDiskName } from '../../hardware/disk-names.ts';
import { OVERTEMP_TEMPERATURE_C } from '../../hardware/filer/chassis.ts';
import type { ShelfEnvironment } from '../../hardware/filer/chassis.ts';
import { SHELF_PRODUCT } from '../../hardware/shelf/shelf-model.ts';
import type { CommandContext, CommandDefinition } from '../console/command.ts';
import { knownShelfEnvironment } from '../../hardware/filer/shelf-environment.ts';

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
 * `environment shelf`: each shelf on each loop as its enclosure services last reported (the FC adapters
 * keep the reports: hardware/filer/shelf-environment.ts). The lab's shelves have two power supplies, each with its fans, and
 * three temperature sensors that read steady values (no heat model in a shelf).
 */
export function shelfEnvironmentLines(ctx: CommandContext, adapter?: string): string[] {
  const lines: string[] = [];
  for (const fc of ctx.filer.config.fcPorts.filter((port) => adapter === undefined || port.port === adapter)) {
    const up = ctx.filer.chassis.ports[fc.port]?.link ?? false;
    const failing = up && fc.shelves.some((shelf) => knownShelfEnvironment(ctx.filer, shelf.actor).psus.some((ok) => !ok));
    lines.push(`Environment for channel ${fc.port}`, `Number of shelves monitored: ${up ? fc.shelves.length : 0}  enabled: yes`,
      `Environmental failure on shelves on this channel? ${up ? (failing ? 'yes' : 'no') : 'yes (loop down)'}`, '');
    if (!up) continue;
    for (const shelf of fc.shelves) lines.push(...shelfLines(fc.port, shelf.shelfId, knownShelfEnvironment(ctx.filer, shelf.actor)), '');
  }
  return lines;
}

function shelfLines(port: string, shelfId: number, environment: ShelfEnvironment): string[] {
  const failedPsus = environment.psus.flatMap((ok, index) => (ok ? [] : [index + 1]));
  const elements = (count: number) => Array.from({ length: count }, (_, index) => index + 1).join(', ');
  const withError = (failed: number[]) => (failed.length === 0 ? 'none' : failed.join(', '));
  const fahrenheit = (celsius: number) => Math.round((celsius * 9) / 5 + 32);
  const serial = (element: number) => `PMT${String(shelfId).padStart(4, '0')}0${element}`;
  return [
    `Channel: ${port}`, `Shelf: ${shelfId}`, `SES device path: local access: ${ontapDiskName(port, shelfId, 0)}`,
    'Module type: ESH4; monitoring is active', `Shelf status: ${failedPsus.length === 0 ? 'normal' : 'non-critical'} condition`,
    `SES Configuration, shelf ${shelfId}:`,
    `     logical identifier=0x50050cc00200${(0x40 + shelfId).toString(16)}00`, '     vendor identification=XYRATEX',
    `     product identification=${SHELF_PRODUCT}`, '     product revision level=1812',
    'Shelf bays with disk devices installed:',
    `      ${Array.from({ length: BAYS_PER_SHELF }, (_, bay) => BAYS_PER_SHELF - 1 - bay).join(', ')}`, '      with error: none',
    `Power Supply installed element list: ${elements(environment.psus.length)}; with error: ${withError(failedPsus)}`,
    'Power Supply information by element:',
    ...environment.psus.map((ok, index) => `      [${index + 1}] Serial number: ${serial(index + 1)}  Part number: <N/A>${ok ? '' : '  (FAILED)'}`),
    `Cooling Unit installed element list: ${elements(environment.psus.length)}; with error: ${withError(failedPsus)}`,
    `Temperature Sensor installed element list: ${elements(environment.temperaturesC.length)}; with error: none`,
    'Shelf temperatures by element:',
    ...environment.temperaturesC.map((celsius, index) =>
      `      [${index + 1}] ${celsius} C (${fahrenheit(celsius)} F)${index === 0 ? ' (ambient)' : ''}  Normal temperature range`),
    'Temperature thresholds by element:',
    ...environment.temperaturesC.flatMap((_, index) => [
      `      [${index + 1}] High critical: 50 C (122 F); high warning: 40 C (104 F)`,
      '          Low critical:  0C (32 F); low warning: 10 C (50 F)',
    ]),
    'ES Electronics installed element list: 1, 2; with error: none',
    'ES Electronics reporting element: 1',
  ];
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
