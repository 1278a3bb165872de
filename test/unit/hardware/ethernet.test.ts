import { describe, expect, it } from 'vitest';
import type { ActorContext, ActorEvent, Payload } from '../../../emulator/engine/actor.ts';
import { MICROS_PER_MS } from '../../../emulator/engine/actor.ts';
import { createLab } from '../../../emulator/engine/lab.ts';
import { createFilerBehavior } from '../../../emulator/hardware/filer/filer-actor.ts';
import type { FilerSubsystem } from '../../../emulator/hardware/filer/subsystem.ts';
import { inSubnet, macOf, parseIp, formatIp } from '../../../emulator/hardware/net/address.ts';
import {
  addAddress, createIpStack, handleArpTimer, handleEthFrame, handleNetLink, removeAddress, sendIp, type IpStackState,
} from '../../../emulator/hardware/net/ethernet.ts';
import { builtinSpec, hardwareRegistry as behaviors } from './probe.ts';

/**
 * A test network subsystem on each filer: brings its vserver addresses up on start, and on console
 * `ping <ip>` / `move <cidr> <port>` / `drop <ip>` sends an IP packet or moves an address.
 */
const net: FilerSubsystem<{ stack: IpStackState; received: string[] }> = {
  name: 'net',
  create: (config) => ({ stack: createIpStack(config.ethernetPorts), received: [] }),
  lifecycle(state, filer, phase, ctx) {
    if (phase === 'os-boot') {
      for (const vserver of filer.config.vservers) for (const a of vserver.addresses) addAddress(state.stack, ctx, a.port, a.address);
    }
    return state;
  },
  handle(state, filer, event: ActorEvent, ctx: ActorContext) {
    const ethPorts = filer.config.ethernetPorts.map((p) => p.port);
    if (event.type === 'message' && ethPorts.includes(event.port)) {
      for (const packet of handleEthFrame(state.stack, ctx, event.port, event.payload)) {
        state.received.push(`${packet.src}>${packet.dst}:${String(packet.body['text'])}@${event.port}`);
        if (packet.body['text'] === 'ping') sendIp(state.stack, ctx, { src: packet.dst, dst: packet.src, protocol: 'test', body: { kind: 'test', text: 'pong' } });
      }
      return true;
    }
    if (event.type === 'timer') return handleArpTimer(state.stack, ctx, event.payload) !== undefined;
    if (event.type === 'link' && ethPorts.includes(event.port)) {
      handleNetLink(state.stack, event.port, event.up);
      return true;
    }
    if (event.type === 'input' && event.input.kind === 'console') {
      const [verb = '', a = '', b = ''] = event.input.data.split(' ');
      if (verb === 'ping') sendIp(state.stack, ctx, { src: a, dst: b, protocol: 'test', body: { kind: 'test', text: 'ping' } as Payload });
      if (verb === 'move') {
        removeAddress(state.stack, a.split('/')[0] ?? '');
        addAddress(state.stack, ctx, b, a);
      }
      if (verb === 'drop') removeAddress(state.stack, a);
      return true;
    }
    return false;
  },
  summarize: (state, filer) => ({ filers: { [filer.self]: { net: { received: state.received, arp: state.stack.arp, dropped: state.stack.dropped } } } }),
};

type NetSummary = Record<string, { net: { received: string[]; arp: Record<string, { mac: string; port: string }>; dropped: number } }>;

describe('addresses', () => {
  it('parses, formats and places addresses in subnets', () => {
    expect(formatIp(parseIp('10.1.2.254') ?? 0)).toBe('10.1.2.254');
    expect(parseIp('10.1.2.256')).toBeUndefined();
    expect(inSubnet('10.1.1.10/24', '10.1.1.0/24')).toBe(true);
    expect(inSubnet('10.1.2.10', '10.1.1.0/24')).toBe(false);
    expect(macOf(0x0a, 1, 2)).toBe('02:00:00:0a:01:02');
  });
});

describe('Ethernet between the filers of ha-pair, through a learning switch', () => {
  it('resolves with ARP and answers', async () => {
    const lab = await createLab({ spec: builtinSpec('ha-pair'), seed: 1, registry: { ...behaviors, filer: createFilerBehavior([net]) } });
    await lab.runFor(10 * MICROS_PER_MS);
    lab.input({ kind: 'actor', actor: 'filerA', input: { kind: 'console', data: 'ping 10.1.1.10 10.1.1.11' } });
    await lab.runFor(20 * MICROS_PER_MS);
    const filers = (await lab.summary()).filers as NetSummary;
    expect(filers.filerB.net.received).toEqual(['10.1.1.10>10.1.1.11:ping@e0a']);
    expect(filers.filerA.net.received).toEqual(['10.1.1.11>10.1.1.10:pong@e0a']);
    expect(filers.filerA.net.arp['10.1.1.11'].port).toBe('e0a');
    await lab.dispose();
  });

  it('follows a vserver address that moves to another node: gratuitous ARP updates caches and the switch', async () => {
    const lab = await createLab({ spec: builtinSpec('cluster-4'), seed: 1, registry: { ...behaviors, filer: createFilerBehavior([net]) } });
    const say = (filer: string, data: string) => lab.input({ kind: 'actor', actor: filer, input: { kind: 'console', data } });
    await lab.runFor(10 * MICROS_PER_MS);
    say('node3', 'ping 10.1.1.23 10.1.1.31');
    await lab.runFor(20 * MICROS_PER_MS);
    let filers = (await lab.summary()).filers as NetSummary;
    expect(filers.node1.net.received).toEqual(['10.1.1.23>10.1.1.31:ping@e0a']);
    const node1Mac = filers.node3.net.arp['10.1.1.31'].mac;

    // vs1 fails over from node1 to node2.
    say('node1', 'drop 10.1.1.31');
    say('node2', 'move 10.1.1.31/24 e0a');
    await lab.runFor(10 * MICROS_PER_MS);
    filers = (await lab.summary()).filers as NetSummary;
    expect(filers.node3.net.arp['10.1.1.31'].mac).not.toBe(node1Mac);
    say('node3', 'ping 10.1.1.23 10.1.1.31');
    await lab.runFor(20 * MICROS_PER_MS);
    filers = (await lab.summary()).filers as NetSummary;
    expect(filers.node2.net.received).toEqual(['10.1.1.23>10.1.1.31:ping@e0a']);
    expect(filers.node1.net.received).toHaveLength(1);
    expect(filers.node3.net.received).toEqual(['10.1.1.31>10.1.1.23:pong@e0a', '10.1.1.31>10.1.1.23:pong@e0a']);
    await lab.dispose();
  });

  it('drops packets for an address nobody answers once ARP times out', async () => {
    const lab = await createLab({ spec: builtinSpec('ha-pair'), seed: 1, registry: { ...behaviors, filer: createFilerBehavior([net]) } });
    await lab.runFor(10 * MICROS_PER_MS);
    lab.input({ kind: 'actor', actor: 'filerA', input: { kind: 'console', data: 'ping 10.1.1.10 10.1.1.77' } });
    await lab.runFor(1_500 * MICROS_PER_MS);
    expect(((await lab.summary()).filers as NetSummary).filerA.net.dropped).toBe(1);
    await lab.dispose();
  });
});
