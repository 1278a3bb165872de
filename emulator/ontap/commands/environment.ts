// `environment status`: the chassis sensors (fans, power supplies, temperature) as the hardware reports
// them, with Data ONTAP's wording.
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

export const environmentCommands: readonly CommandDefinition[] = [
  {
    name: 'environment',
    synopsis: 'display information about the filer environment',
    usage: ['environment status [ chassis [all] ]'],
    privilege: 'admin',
    run(_args, ctx) {
      return ctx.usage();
    },
  },
  {
    name: 'environment status',
    synopsis: 'display the status of chassis sensors',
    usage: ['environment status [ chassis [all] ]'],
    privilege: 'admin',
    completions: ['chassis', 'all'],
    run(args, ctx) {
      const valid = args.length === 0 || (args[0] === 'chassis' && (args.length === 1 || (args.length === 2 && args[1] === 'all')));
      if (!valid) return ctx.usage();
      ctx.printLines(environmentLines(ctx));
      return 'done';
    },
  },
];
