// `ping <host> [<timeout>]`: an ICMP echo through the filer's own IP stack and the lab's Ethernet, answered
// by the IP stack of whatever holds the address (a client, the partner). As 7-Mode's ping (Solaris-like)
// it prints `<host> is alive` at the first reply, or `no answer from <host>` after the timeout (20 s).
import { hostOf, inSubnet, parseIp } from '../../hardware/net/address.ts';
import { echoAnswered, sendEcho } from '../../hardware/net/ethernet.ts';
import type { CommandContext, CommandDefinition } from '../console/command.ts';
import { fileServiceOf } from './fileservice-cifs.ts';

const DEFAULT_TIMEOUT_S = 20;
const POLL_US = 10_000;

/** An address, or a vserver's (filer's) name: its address on a subnet this filer reaches. */
function resolveHost(ctx: CommandContext, host: string): string | null {
  if (parseIp(host) !== undefined) return host;
  const vserver = ctx.filer.config.labVservers.find((candidate) => candidate.name === host);
  return vserver?.addresses[0] ? hostOf(vserver.addresses[0].address) : null;
}

export const pingCommands: readonly CommandDefinition[] = [
  {
    name: 'ping',
    synopsis: 'send ICMP ECHO_REQUEST packets to network hosts',
    usage: ['ping <host> [<timeout>]'],
    privilege: 'admin',
    run(args, ctx) {
      if (args.length < 1 || args.length > 2 || (args[1] !== undefined && !/^\d{1,4}$/.test(args[1]))) return ctx.usage();
      const host = args[0].slice(0, 64);
      const target = resolveHost(ctx, host);
      if (target === null) { ctx.print(`ping: unknown host: ${host}`); return 'done'; }
      const ip = fileServiceOf(ctx)?.ip;
      const source = ip && Object.values(ip.ports).flatMap((port) => port.addresses).find((address) => inSubnet(target, address));
      const id = ip && source ? sendEcho(ip, ctx.actor, hostOf(source), target) : null;
      if (id === null || id === undefined) { ctx.print(`ping: sendto: No route to host`); return 'done'; }
      const timeoutUs = (args[1] === undefined ? DEFAULT_TIMEOUT_S : Math.max(1, Number(args[1]))) * 1_000_000;
      ctx.setTimer(POLL_US, { kind: 'ping.poll', host, id, untilUs: ctx.now + timeoutUs });
      return 'running';
    },
    timer(payload, ctx) {
      const host = String(payload['host']);
      const ip = fileServiceOf(ctx)?.ip;
      if (ip && echoAnswered(ip, Number(payload['id']))) { ctx.print(`${host} is alive`); return 'done'; }
      if (ctx.now >= Number(payload['untilUs'])) { ctx.print(`no answer from ${host}`); return 'done'; }
      ctx.setTimer(POLL_US, payload);
      return 'running';
    },
  },
];
