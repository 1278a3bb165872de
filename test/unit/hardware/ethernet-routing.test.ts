// Seed 004 claims 8, 9 at the IP stack: a router node stands in for an address of a peer by proxy ARP on
// one port and forwards to the peer over another; the peer, holding the address as a /32 host route,
// answers through its gateway route. Three stacks wired back to back, frames delivered by hand.
import { describe, expect, it } from 'vitest';
import type { ActorContext, Payload } from '../../../emulator/engine/actor.ts';
import { addAddress, createIpStack, handleEthFrame, sendIp, type IpPacket, type IpStackState } from '../../../emulator/hardware/net/ethernet.ts';

interface End { readonly stack: IpStackState; readonly port: string }

function wire() {
  const client = createIpStack([{ port: 'e0', mac: '02:00:00:00:00:01' }]);
  const router = createIpStack([{ port: 'e0a', mac: '02:00:00:00:00:02' }, { port: 'e0b', mac: '02:00:00:00:00:03' }]);
  const owner = createIpStack([{ port: 'e0b', mac: '02:00:00:00:00:04' }]);
  const outbox: { from: End; frame: Payload }[] = [];
  const ctxFor = (stack: IpStackState): ActorContext => ({
    now: 0, send: (port: string, frame: Payload) => { outbox.push({ from: { stack, port }, frame }); }, setTimer: () => 0,
  }) as unknown as ActorContext;
  const cables: [End, End][] = [[{ stack: client, port: 'e0' }, { stack: router, port: 'e0a' }], [{ stack: router, port: 'e0b' }, { stack: owner, port: 'e0b' }]];
  const received = new Map<IpStackState, IpPacket[]>([[client, []], [router, []], [owner, []]]);
  const run = (): void => {
    for (let step = 0; outbox.length > 0 && step < 100; step++) {
      const { from, frame } = outbox.shift() as { from: End; frame: Payload };
      const cable = cables.find(([a, b]) => (a.stack === from.stack && a.port === from.port) || (b.stack === from.stack && b.port === from.port));
      if (!cable) continue;
      const to = cable[0].stack === from.stack && cable[0].port === from.port ? cable[1] : cable[0];
      for (const packet of handleEthFrame(to.stack, ctxFor(to.stack), to.port, frame)) {
        received.get(to.stack)?.push(packet);
        // The owner answers what reaches it, from the address it was sent to.
        if (to.stack === owner) sendIp(owner, ctxFor(owner), { src: packet.dst, dst: packet.src, protocol: 'test', body: { kind: 'test', text: 'pong' } });
      }
    }
  };
  addAddress(client, ctxFor(client), 'e0', '10.1.1.101/24');
  addAddress(router, ctxFor(router), 'e0a', '10.1.1.22/24');
  addAddress(router, ctxFor(router), 'e0b', '10.1.2.22/24');
  addAddress(owner, ctxFor(owner), 'e0b', '10.1.2.21/24');
  addAddress(owner, ctxFor(owner), 'e0b', '10.1.1.31/32');
  run();
  return { client, router, owner, received, run, ctxFor };
}

describe('routing for a peer that lost a subnet', () => {
  it('drops a packet for the peer while nobody stands in for it', () => {
    const { client, owner, received, run, ctxFor } = wire();
    sendIp(client, ctxFor(client), { src: '10.1.1.101', dst: '10.1.1.31', protocol: 'test', body: { kind: 'test', text: 'ping' } });
    run();
    expect(received.get(owner)).toEqual([]);
    expect(received.get(client)).toEqual([]);
  });

  it('answers ARP for the peer, forwards both ways and records the route', () => {
    const { client, router, owner, received, run, ctxFor } = wire();
    router.proxied = { '10.1.1.31': { port: 'e0a', toward: 'e0b', owner: 'node1', router: 'node2' } };
    owner.routes = [{ network: '10.1.1.0/24', gateway: '10.1.2.22', port: 'e0b' }];
    sendIp(client, ctxFor(client), { src: '10.1.1.101', dst: '10.1.1.31', protocol: 'test', body: { kind: 'test', text: 'ping' } });
    run();
    expect(received.get(owner)?.map((packet) => [packet.src, packet.dst, packet.route])).toEqual([['10.1.1.101', '10.1.1.31', ['node2']]]);
    expect(received.get(client)?.map((packet) => [packet.src, packet.body['text'], packet.route])).toEqual([['10.1.1.31', 'pong', ['node1', 'node2']]]);
    expect(client.arp['10.1.1.31']?.mac).toBe('02:00:00:00:00:02');
    expect(owner.arp['10.1.2.22']?.mac).toBe('02:00:00:00:00:03');
    expect(router.forwarded).toBe(2);
    expect(received.get(router)).toEqual([]);
  });

  it('forwards nothing that is not to or from an address it stands in for', () => {
    const { router, owner, received, run, ctxFor } = wire();
    router.proxied = { '10.1.1.31': { port: 'e0a', toward: 'e0b', owner: 'node1', router: 'node2' } };
    // A frame to the router's MAC for the owner's own net2 address: the router is no general-purpose router.
    const frame = { kind: 'eth.frame', src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02', ip: { src: '10.1.1.101', dst: '10.1.2.21', protocol: 'test', body: { kind: 'test' } } };
    expect(handleEthFrame(router, ctxFor(router), 'e0a', frame as unknown as Payload)).toEqual([]);
    run();
    expect(router.forwarded ?? 0).toBe(0);
    expect(received.get(owner)).toEqual([]);
  });
});
