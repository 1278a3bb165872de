// `ifgrp status [<ifgrp>]`: each group's mode, balance policy and state, then its members under `up:`
// and `broken:` with their link, since when, and the IP stack's frame counters.
import { MICROS_PER_SECOND, type Micros, type PortName } from '../../engine/actor.ts';
import type { Ifgrp } from '../../hardware/net/ifgrp.ts';
import type { CommandContext } from '../console/command.ts';
import { civilTime, MONTHS } from '../console/clock.ts';
import { fileServiceOf } from './fileservice-cifs.ts';
import { mediaType } from './ifconfig.ts';

const TRANSMIT: Readonly<Record<Ifgrp['balance'], string>> = {
  ip: 'IP Load balancing', mac: 'MAC Load balancing', port: 'Port Load balancing', rr: 'Round Robin Load balancing',
};
const TYPE: Readonly<Record<Ifgrp['mode'], string>> = { single: 'single_mode', multi: 'multi_mode', lacp: 'lacp' };

function two(value: number): string {
  return String(value).padStart(2, '0');
}

/** `03Jun2013 09:00:05 (00:00:21)`: when, and how long ago. */
function sinceText(sinceUs: Micros, nowUs: Micros): string {
  const at = civilTime(sinceUs);
  const ago = Math.max(0, Math.floor((nowUs - sinceUs) / MICROS_PER_SECOND));
  return `${two(at.day)}${MONTHS[at.month - 1]}${at.year} ${two(at.hour)}:${two(at.minute)}:${two(at.second)} (${two(Math.floor(ago / 3600))}:${two(Math.floor(ago / 60) % 60)}:${two(ago % 60)})`;
}

function memberLines(ctx: CommandContext, group: Ifgrp, port: PortName): string[] {
  const member = group.memberState[port];
  const counters = fileServiceOf(ctx)?.ip.ports[port];
  const flags = ['enabled', ...(group.mode === 'single' && group.carrier === port ? ['active'] : []), ...(group.favored === port ? ['favored'] : [])];
  return [
    `\t${port}: state ${member.up ? 'up' : 'broken'}, since ${sinceText(member.sinceUs, ctx.now)}`,
    `\t\tmediatype: ${mediaType(ctx, port)}`,
    `\t\tflags: ${flags.join(' ')}`,
    `\t\tinput packets ${counters?.packetsIn ?? 0}, output packets ${counters?.packetsOut ?? 0}`,
    `\t\tup indications ${member.upIndications}, broken indications ${member.brokenIndications}`,
  ];
}

export function ifgrpStatusLines(ctx: CommandContext, group: Ifgrp): string[] {
  const transmit = group.mode === 'single' ? 'none' : TRANSMIT[group.balance];
  const up = group.members.filter((port) => group.memberState[port]?.up === true);
  const broken = group.members.filter((port) => !up.includes(port));
  return [
    `${group.name}: ${group.members.length} link${group.members.length === 1 ? '' : 's'}, transmit '${transmit}', Ifgrp Type '${TYPE[group.mode]}' fail 'default'`,
    `\t Ifgrp Status\t${group.carrier === null ? 'Down' : 'Up'}\t${group.addresses.length > 0 ? 'Addr_set' : 'Addr_not_set'}`,
    ...(up.length > 0 ? ['\tup:', ...up.flatMap((port) => memberLines(ctx, group, port))] : []),
    ...(broken.length > 0 ? ['\tbroken:', ...broken.flatMap((port) => memberLines(ctx, group, port))] : []),
  ];
}
