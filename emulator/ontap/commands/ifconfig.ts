// `ifconfig -a`, `ifconfig <port>`, `ifconfig <port> up|down`: the Ethernet ports, their addresses
// (the filer's own vserver's, and the partner's it would take over) and their link; interface groups
// (`ifgrp create`) are interfaces too, configured here (ifconfig-ifgrp.ts).
import { setPortAdminUp } from '../../hardware/filer/chassis-faults.ts';
import { groupOfMember } from '../../hardware/net/ifgrp.ts';
import type { CommandContext, CommandDefinition } from '../console/command.ts';
import { fileServiceOf } from './fileservice-cifs.ts';
import { configureIfgrp, ifgrpIfconfigLines } from './ifconfig-ifgrp.ts';

export function netmaskHex(prefix: number): string {
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return `0x${mask.toString(16).padStart(8, '0')}`;
}

export function broadcast(address: string, prefix: number): string {
  const parts = address.split('.').map(Number);
  const value = ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
  const host = prefix >= 32 ? 0 : (0xffffffff >>> prefix);
  const result = (value | host) >>> 0;
  return [result >>> 24, (result >>> 16) & 255, (result >>> 8) & 255, result & 255].join('.');
}

export function ifconfigLines(ctx: CommandContext, port: string): string[] {
  const eth = ctx.filer.config.ethernetPorts.find((candidate) => candidate.port === port);
  const chassisPort = ctx.filer.chassis.ports[port];
  if (!eth || !chassisPort) return [];
  const up = !chassisPort.adminDown && chassisPort.enabled;
  const flags = up ? 'flags=0x2d48867<UP,BROADCAST,RUNNING,MULTICAST,TCPCKSUM>' : 'flags=0x2508866<BROADCAST,RUNNING,MULTICAST,TCPCKSUM>';
  const lines = [`${port}: ${flags} mtu 1500${chassisPort.nfo ? ' nfo' : ''}`];
  for (const vserver of ctx.filer.config.vservers) {
    for (const entry of vserver.addresses.filter((address) => address.port === port)) {
      const [address, prefixText = '24'] = entry.address.split('/');
      const prefix = Math.max(0, Math.min(32, Number(prefixText) || 24));
      const alias = vserver.name === ctx.localName ? '' : ` (vserver ${vserver.name})`;
      lines.push(`        inet ${address} netmask ${netmaskHex(prefix)} broadcast ${broadcast(address, prefix)}${alias}`);
    }
  }
  const partner = ctx.filer.config.partner;
  if (partner) {
    // In takeover this port also answers on the partner's addresses (its vserver, served here now).
    const taken = fileServiceOf(ctx)?.served.filter((served) => served.vserver === partner && served.port === port) ?? [];
    lines.push(`        partner ${port} (${taken.length > 0 ? 'in use' : 'not in use'})`);
    for (const served of taken) lines.push(`        partner inet ${served.address} (vserver ${partner}, taken over)`);
  }
  lines.push(`        ether ${eth.mac} (${mediaType(ctx, port)}) flowcontrol full`);
  const ip = fileServiceOf(ctx)?.ip;
  const group = ip ? groupOfMember(ip, port) : undefined;
  if (group) lines.push(`        trunked ${group.name}`);
  return lines;
}

/** A port's media as ifconfig and ifgrp status print it: configured down, link up (gigabit), or no link. */
export function mediaType(ctx: CommandContext, port: string): string {
  const chassisPort = ctx.filer.chassis.ports[port];
  if (!chassisPort || chassisPort.adminDown) return 'auto-unknown-cfg_down';
  return chassisPort.link ? 'auto-1000t-fd-up' : 'auto-unknown-down';
}

const LOOPBACK = [
  'lo: flags=0x1948049<UP,LOOPBACK,RUNNING,MULTICAST,TCPCKSUM> mtu 8160',
  '        inet 127.0.0.1 netmask 0xff000000 broadcast 127.0.0.1',
];

export const ifconfigCommands: readonly CommandDefinition[] = [
  {
    name: 'ifconfig',
    synopsis: 'configure network interface parameters',
    usage: ['ifconfig -a', 'ifconfig <interface> [ up | down | nfo | -nfo ]', 'ifconfig <ifgrp> [<address> [netmask <mask>]] [ up | down ]'],
    privilege: 'admin',
    completions: ['-a', 'up', 'down', 'nfo', '-nfo', 'netmask'],
    run(args, ctx) {
      if (args.length === 0) return ctx.usage();
      const group = fileServiceOf(ctx)?.ip.ifgrps?.[args[0]];
      if (group) return configureIfgrp(ctx, group, args.slice(1));
      if (args.length > 2) return ctx.usage();
      const ports = ctx.filer.config.ethernetPorts.map((eth) => eth.port);
      if (args[0] === '-a' && args.length === 1) {
        for (const port of ports) ctx.printLines(ifconfigLines(ctx, port));
        for (const each of Object.values(fileServiceOf(ctx)?.ip.ifgrps ?? {})) ctx.printLines(ifgrpIfconfigLines(ctx, each));
        ctx.printLines(LOOPBACK);
        return 'done';
      }
      const port = args[0];
      if (port === 'lo' && args.length === 1) {
        ctx.printLines(LOOPBACK);
        return 'done';
      }
      if (!ports.includes(port)) {
        ctx.print(`ifconfig: ${port.slice(0, 64)}: no such interface`);
        return 'done';
      }
      if (args.length === 1) {
        ctx.printLines(ifconfigLines(ctx, port));
        return 'done';
      }
      if (args[1] === 'nfo' || args[1] === '-nfo') {
        const chassisPort = ctx.filer.chassis.ports[port];
        if (chassisPort) chassisPort.nfo = args[1] === 'nfo';
        ctx.ems('net.ifconfig.nfo', 'info', `Interface ${port} ${args[1] === 'nfo' ? 'is now monitored for' : 'is no longer monitored for'} negotiated failover.`);
        return 'done';
      }
      if (args[1] !== 'up' && args[1] !== 'down') return ctx.usage();
      setPortAdminUp(ctx.filer, port, args[1] === 'up', ctx.actor);
      ctx.ems(args[1] === 'up' ? 'net.ifconfig.up' : 'net.ifconfig.down', 'info', `Interface ${port} was configured ${args[1]} by the operator.`);
      return 'done';
    },
  },
];
