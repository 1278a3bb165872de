// `ifconfig <ifgrp> …`: an interface group is an interface like a port. Its address is one more address
// of the filer's own identity (ifgrp-service.ts); without a netmask it takes its class's, as the
// product's ifconfig does; `0.0.0.0` unconfigures it.
import { hostOf, parseIp } from '../../hardware/net/address.ts';
import type { Ifgrp } from '../../hardware/net/ifgrp.ts';
import type { CommandContext, CommandOutcome } from '../console/command.ts';
import { resettleIfgrp, setIfgrpAddresses } from '../fileservice/ifgrp-service.ts';
import { fileServiceOf } from './fileservice-cifs.ts';
import { broadcast, netmaskHex } from './ifconfig.ts';

/** The prefix length of a contiguous netmask (`255.255.255.0` or `0xffffff00`); undefined otherwise. */
function prefixOfMask(text: string): number | undefined {
  const value = /^0x[0-9a-f]{8}$/i.test(text) ? parseInt(text.slice(2), 16) : parseIp(text);
  if (value === undefined) return undefined;
  const bits = value.toString(2).padStart(32, '0');
  return /^1*0*$/.test(bits) ? bits.indexOf('0') === -1 ? 32 : bits.indexOf('0') : undefined;
}

/** The class's mask of an address given without one (A /8, B /16, C /24). */
function classfulPrefix(address: number): number {
  const first = Math.floor(address / 2 ** 24);
  return first < 128 ? 8 : first < 192 ? 16 : 24;
}

export function ifgrpIfconfigLines(ctx: CommandContext, group: Ifgrp): string[] {
  const up = group.adminUp;
  const flags = up ? 'flags=0x22d48863<UP,BROADCAST,RUNNING,MULTICAST,TCPCKSUM>' : 'flags=0x22508862<BROADCAST,RUNNING,MULTICAST,TCPCKSUM>';
  const lines = [`${group.name}: ${flags} mtu 1500`];
  for (const cidr of group.addresses) {
    const [address, prefixText = '24'] = cidr.split('/');
    lines.push(`        inet ${address} netmask ${netmaskHex(Number(prefixText))} broadcast ${broadcast(address, Number(prefixText))}`);
  }
  const mac = ctx.filer.config.ethernetPorts.find((eth) => eth.port === group.members[0])?.mac;
  if (mac) lines.push(`        ether ${mac} (Enabled interface groups)`);
  return lines;
}

/** `ifconfig <ifgrp>`, `… up|down`, `… <address> [netmask <mask>] [up|down]`. */
export function configureIfgrp(ctx: CommandContext, group: Ifgrp, words: readonly string[]): CommandOutcome {
  const fs = fileServiceOf(ctx);
  if (!fs) return 'done';
  if (words.length === 0) { ctx.printLines(ifgrpIfconfigLines(ctx, group)); return 'done'; }
  const last = words[words.length - 1];
  const state = last === 'up' || last === 'down' ? last : null;
  const rest = state === null ? words : words.slice(0, -1);
  if (rest.length === 0) {
    group.adminUp = state === 'up';
    resettleIfgrp(fs, ctx.filer, ctx.actor, group);
    return 'done';
  }
  const address = parseIp(rest[0]);
  if (address === undefined || (rest.length !== 1 && (rest.length !== 3 || rest[1] !== 'netmask'))) return ctx.usage();
  if (address === 0) { setIfgrpAddresses(fs, ctx.filer, ctx.actor, group, [], false); return 'done'; }
  const prefix = rest.length === 3 ? prefixOfMask(rest[2]) : classfulPrefix(address);
  if (prefix === undefined) { ctx.print(`ifconfig: ${rest[2].slice(0, 32)}: bad value`); return 'done'; }
  const ours = group.addresses.map(hostOf);
  const taken = (!ours.includes(rest[0]) && Object.values(fs.ip.ports).some((port) => port.addresses.some((cidr) => hostOf(cidr) === rest[0])))
    || ctx.filer.config.labVservers.some((vserver) => vserver.addresses.some((entry) => hostOf(entry.address) === rest[0]));
  if (taken) { ctx.print(`ifconfig: ${rest[0]}: address already in use`); return 'done'; }
  setIfgrpAddresses(fs, ctx.filer, ctx.actor, group, [`${rest[0]}/${prefix}`], state !== 'down');
  return 'done';
}
