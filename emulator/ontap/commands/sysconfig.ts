// `sysconfig` without -r: the machine as Data ONTAP describes it — model, system id, NVRAM, ports.
// (`sysconfig -r` belongs to the storage commands; until they register it, this one says so.)
import type { CommandContext, CommandDefinition } from '../console/command.ts';
import { ONTAP_BUILD_DATE, ONTAP_RELEASE } from '../console/version.ts';

export const MODEL_NAME = 'FAS3140';

function portStatus(ctx: CommandContext, port: string): string {
  const chassisPort = ctx.filer.chassis.ports[port];
  if (!chassisPort || chassisPort.adminDown) return 'auto-unknown-cfg_down';
  return chassisPort.link ? 'auto-1000t-fd-up' : 'auto-unknown-down';
}

export function sysconfigLines(ctx: CommandContext, verbose: boolean): string[] {
  const config = ctx.filer.config;
  const nvram = ctx.filer.chassis.nvram;
  const lines = [
    `        NetApp Release ${ONTAP_RELEASE}: ${ONTAP_BUILD_DATE}`,
    // The product's shape: `System ID: 0118044735 (toaster1); partner ID: 0118044802 (toaster2)`.
    `        System ID: ${config.systemId} (${config.name})${config.partner ? `; partner ID: ${config.partnerSystemId ?? 'unknown'} (${config.partner})` : ''}`,
    `        System Serial Number: 7000${config.systemId.slice(-8)} (${config.name})`,
    '        System Rev: B0',
    `        System Storage Configuration: ${config.fcPorts.length > 1 ? 'Multi-Path HA' : 'Single-Path HA'}`,
    '        System ACP Connectivity: NA',
    '        slot 0: System Board 2.4 GHz (System Board XVI B0)',
    `                Model Name:         ${MODEL_NAME}`,
    '                Processors:         4',
    '                Memory Size:        8192 MB',
    '                Memory Attributes:  Hoisting',
    '                                    Normal ECC',
    '        slot 0: Dual 10/100/1000 Ethernet Controller VI',
  ];
  for (const eth of config.ethernetPorts) lines.push(`                ${eth.port} MAC Address:    ${eth.mac} (${portStatus(ctx, eth.port)})`);
  for (const fc of config.fcPorts) {
    const up = ctx.filer.chassis.ports[fc.port]?.link ?? false;
    lines.push(`        slot 0: FC Host Adapter ${fc.port}${up ? '' : ' (Link down)'}`);
    if (up) lines.push(`                ${fc.shelves.length} shel${fc.shelves.length === 1 ? 'f' : 'ves'} with ESH4 (loop ${fc.loop})`);
    if (verbose) lines.push('                Firmware rev:     1.90', '                Link Data Rate:   4 Gbit');
  }
  lines.push(
    '        slot 2: NVRAM (NVRAM VI)',
    '                Revision:           A0',
    `                Memory Size:        ${Math.round(nvram.capacityBytes / 1_048_576)} MB`,
    `                Battery Status:     ${nvram.batteryOk ? 'OK' : 'LOW - replace battery'}`,
  );
  if (config.interconnectPorts.length > 0) {
    lines.push('        slot 3: Interconnect HBA:   Mellanox IB MT25204');
    config.interconnectPorts.forEach((port, index) => {
      lines.push(`                Port ${index + 1}: ${port} ${ctx.actor.linkUp(port) ? 'up' : 'down'}`);
    });
  }
  return lines;
}

export const sysconfigCommands: readonly CommandDefinition[] = [
  {
    name: 'sysconfig',
    synopsis: 'display filer configuration information',
    usage: ['sysconfig [ -A | -c | -d | -h | -m | -r | -t | -V ] [ -av [ <slot> ] ]'],
    privilege: 'admin',
    completions: ['-a', '-v', '-r', '-d', '-c'],
    run(args, ctx) {
      if (args.length > 2) return ctx.usage();
      const flag = args[0];
      if (flag === undefined || flag === '-a' || flag === '-v' || flag === '-av') {
        ctx.printLines(sysconfigLines(ctx, flag !== undefined));
        return 'done';
      }
      if (flag === '-c') {
        ctx.print('        sysconfig: There are no configuration errors.');
        return 'done';
      }
      if (['-r', '-d', '-A', '-h', '-m', '-t', '-V'].includes(flag)) {
        ctx.print(`sysconfig: ${flag} needs the storage subsystem, which is not running on this filer.`);
        return 'done';
      }
      return ctx.usage();
    },
  },
];
