// `ifgrp create|destroy|add|delete|favor|nofavor|status` (7-Mode 7.3's interface groups, na_ifgrp(1)):
// groups of Ethernet ports kept in the filer's IP stack (hardware/net/ifgrp.ts). A port that carries an
// address cannot join, as on the product; a group is changed only while it is configured down.
import type { PortName } from '../../engine/actor.ts';
import { addMembers, createIfgrp, groupOfMember, IFGRP_BALANCES, IFGRP_MODES, removeMember, type Ifgrp, type IfgrpBalance, type IfgrpMode } from '../../hardware/net/ifgrp.ts';
import type { CommandContext, CommandDefinition, CommandOutcome } from '../console/command.ts';
import { resettleIfgrp } from '../fileservice/ifgrp-service.ts';
import type { FileServiceState } from '../fileservice/state.ts';
import { fileServiceOf } from './fileservice-cifs.ts';
import { ifgrpStatusLines } from './ifgrp-status.ts';

/** na_ifgrp(1): at most 15 characters, beginning with a letter, no space. */
const IFGRP_NAME = /^[A-Za-z][^\s]{0,14}$/;

/** The file service's IP stack, or a message when the OS is not up to hold one. */
function stackOf(ctx: CommandContext, command: string): FileServiceState | null {
  const fs = fileServiceOf(ctx);
  if (!fs || fs.status === 'stopped') { ctx.print(`${command}: the network is not configured yet.`); return null; }
  return fs;
}

function groupNamed(ctx: CommandContext, fs: FileServiceState, command: string, name: string): Ifgrp | null {
  const group = fs.ip.ifgrps?.[name];
  if (!group) ctx.print(`${command}: ${name.slice(0, 16)}: no such ifgrp.`);
  return group ?? null;
}

/** Ports that may join a group: physical Ethernet ports of this filer, in no group, with no address. */
function joinable(ctx: CommandContext, fs: FileServiceState, command: string, ports: readonly string[]): boolean {
  const ethernet = ctx.filer.config.ethernetPorts.map((port) => port.port);
  const twice = ports.find((port, index) => ports.indexOf(port) !== index);
  if (twice !== undefined) { ctx.print(`${command}: ${twice.slice(0, 16)} is named twice.`); return false; }
  for (const port of ports) {
    if (!ethernet.includes(port)) { ctx.print(`${command}: ${port.slice(0, 16)}: no such Ethernet interface.`); return false; }
    const other = groupOfMember(fs.ip, port);
    if (other) { ctx.print(`${command}: ${port} is already a member of ifgrp ${other.name}.`); return false; }
    if ((fs.ip.ports[port]?.addresses.length ?? 0) > 0 || ctx.filer.config.vservers.some((vserver) => vserver.addresses.some((address) => address.port === port))) {
      ctx.print(`${command}: ${port} is configured with an address; unconfigure it (ifconfig ${port} 0.0.0.0) before adding it to an ifgrp.`);
      return false;
    }
  }
  return true;
}

/** A group must be configured down before it loses a member or is destroyed (as on the product). */
function configuredDown(ctx: CommandContext, group: Ifgrp, command: string): boolean {
  if (!group.adminUp) return true;
  ctx.print(`${command}: ${group.name} must be configured down first (ifconfig ${group.name} down).`);
  return false;
}

function ifgrpCreate(args: readonly string[], ctx: CommandContext): CommandOutcome {
  const words = [...args];
  const balanceAt = words.indexOf('-b');
  const balance = balanceAt >= 0 ? words.splice(balanceAt, 2)[1] : 'ip';
  const [mode, name, ...ports] = words;
  if (!IFGRP_MODES.includes(mode as IfgrpMode) || !IFGRP_BALANCES.includes(balance as IfgrpBalance) || !name || name.startsWith('-') || ports.some((port) => port.startsWith('-'))) return ctx.usage();
  if (!IFGRP_NAME.test(name)) { ctx.print(`ifgrp create: ${name.slice(0, 32)}: an ifgrp name begins with a letter and has at most 15 characters.`); return 'done'; }
  const fs = stackOf(ctx, 'ifgrp create');
  if (!fs) return 'done';
  if (ctx.filer.config.ethernetPorts.some((port) => port.port === name)) { ctx.print(`ifgrp create: ${name} is the name of a physical interface.`); return 'done'; }
  if (fs.ip.ifgrps?.[name]) { ctx.print(`ifgrp create: ${name}: an ifgrp by that name already exists.`); return 'done'; }
  if (!joinable(ctx, fs, 'ifgrp create', ports)) return 'done';
  createIfgrp(fs.ip, ctx.actor, name, mode as IfgrpMode, balance as IfgrpBalance, ports);
  return 'done';
}

function ifgrpDestroy(args: readonly string[], ctx: CommandContext): CommandOutcome {
  if (args.length !== 1) return ctx.usage();
  const fs = stackOf(ctx, 'ifgrp destroy');
  const group = fs && groupNamed(ctx, fs, 'ifgrp destroy', args[0]);
  if (!fs || !group || !configuredDown(ctx, group, 'ifgrp destroy')) return 'done';
  delete fs.ip.ifgrps?.[group.name];
  return 'done';
}

function ifgrpAdd(args: readonly string[], ctx: CommandContext): CommandOutcome {
  if (args.length < 2 || args.some((arg) => arg.startsWith('-'))) return ctx.usage();
  const fs = stackOf(ctx, 'ifgrp add');
  const group = fs && groupNamed(ctx, fs, 'ifgrp add', args[0]);
  const ports = args.slice(1);
  if (!fs || !group || !joinable(ctx, fs, 'ifgrp add', ports)) return 'done';
  addMembers(group, ctx.actor, ports);
  resettleIfgrp(fs, ctx.filer, ctx.actor, group);
  return 'done';
}

function ifgrpDelete(args: readonly string[], ctx: CommandContext): CommandOutcome {
  if (args.length !== 2) return ctx.usage();
  const fs = stackOf(ctx, 'ifgrp delete');
  const group = fs && groupNamed(ctx, fs, 'ifgrp delete', args[0]);
  if (!fs || !group) return 'done';
  if (!group.members.includes(args[1])) { ctx.print(`ifgrp delete: ${args[1].slice(0, 16)} is not a member of ${group.name}.`); return 'done'; }
  if (!configuredDown(ctx, group, 'ifgrp delete')) return 'done';
  removeMember(group, args[1]);
  return 'done';
}

/** `ifgrp favor|nofavor <port>`: the member a single-mode group prefers to carry its addresses. */
function favor(command: 'favor' | 'nofavor'): CommandDefinition['run'] {
  return (args, ctx) => {
    if (args.length !== 1) return ctx.usage();
    const fs = stackOf(ctx, `ifgrp ${command}`);
    if (!fs) return 'done';
    const group = groupOfMember(fs.ip, args[0] as PortName);
    if (!group) { ctx.print(`ifgrp ${command}: ${args[0].slice(0, 16)} is not a member of any ifgrp.`); return 'done'; }
    if (group.mode !== 'single') { ctx.print(`ifgrp ${command}: ${group.name} is not a single-mode ifgrp.`); return 'done'; }
    if (command === 'favor') group.favored = args[0];
    else if (group.favored === args[0]) group.favored = null;
    resettleIfgrp(fs, ctx.filer, ctx.actor, group);
    return 'done';
  };
}

function ifgrpStatus(args: readonly string[], ctx: CommandContext): CommandOutcome {
  if (args.length > 1) return ctx.usage();
  const groups = Object.values(fileServiceOf(ctx)?.ip.ifgrps ?? {});
  if (args.length === 1) {
    const group = groups.find((candidate) => candidate.name === args[0]);
    if (!group) { ctx.print(`ifgrp status: ${args[0].slice(0, 16)}: no such ifgrp.`); return 'done'; }
    ctx.printLines(ifgrpStatusLines(ctx, group));
    return 'done';
  }
  ctx.print('default: transmit \'IP Load balancing\', Ifgrp Type \'multi_mode\', fail \'log\'');
  if (groups.length === 0) ctx.print('No interface groups are configured.');
  for (const group of groups) ctx.printLines(ifgrpStatusLines(ctx, group));
  return 'done';
}

export const ifgrpCommands: readonly CommandDefinition[] = [
  { name: 'ifgrp create', synopsis: 'create an interface group', usage: ['ifgrp create {single | multi | lacp} <ifgrp_name> [-b {rr | mac | ip | port}] [<interface_list>]'], privilege: 'admin', run: ifgrpCreate },
  { name: 'ifgrp destroy', synopsis: 'destroy an interface group (configured down)', usage: ['ifgrp destroy <ifgrp_name>'], privilege: 'admin', run: ifgrpDestroy },
  { name: 'ifgrp add', synopsis: 'add interfaces to an interface group', usage: ['ifgrp add <ifgrp_name> <interface_list>'], privilege: 'admin', run: ifgrpAdd },
  { name: 'ifgrp delete', synopsis: 'take an interface out of an interface group (configured down)', usage: ['ifgrp delete <ifgrp_name> <interface_name>'], privilege: 'admin', run: ifgrpDelete },
  { name: 'ifgrp favor', synopsis: 'prefer an interface of a single-mode group', usage: ['ifgrp favor <interface>'], privilege: 'admin', run: favor('favor') },
  { name: 'ifgrp nofavor', synopsis: 'prefer no interface of a single-mode group', usage: ['ifgrp nofavor <interface>'], privilege: 'admin', run: favor('nofavor') },
  { name: 'ifgrp status', synopsis: 'show the interface groups', usage: ['ifgrp status [<ifgrp_name>]'], privilege: 'admin', run: ifgrpStatus },
];
