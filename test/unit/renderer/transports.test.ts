import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import type { HostEvent } from '../../../emulator/protocol/channels.ts';
import { CONTENT_SECURITY_POLICY } from '../../../emulator/host/server/csp.ts';
import { clientFrameSchema } from '../../../emulator/host/server/frames.ts';
import { startHostServer } from '../../../emulator/host/server/host-server.ts';
import type { HostServer } from '../../../emulator/host/server/host-server.ts';
import { encodeRequest } from '../../../renderer/src/transport/frames.ts';
import { pickTransport } from '../../../renderer/src/transport/index.ts';
import { IpcTransport } from '../../../renderer/src/transport/ipc.ts';
import { WebSocketTransport } from '../../../renderer/src/transport/websocket.ts';
import { FakeLabHost } from '../host/server-fake-host.ts';

// The renderer's WebSocket transport, against the real host server; `ws` stands in for the
// browser's WebSocket (same onopen/onmessage/onclose surface).
(globalThis as { WebSocket?: unknown }).WebSocket ??= NodeWebSocket;

describe('renderer transports', () => {
  let host: FakeLabHost;
  let server: HostServer;

  beforeEach(async () => {
    host = new FakeLabHost();
    server = await startHostServer({ host, port: 0, discoveryFile: false, log: () => {} });
  });
  afterEach(async () => {
    await server.close();
  });

  it('speaks the frames the host server accepts', () => {
    expect(clientFrameSchema.safeParse(JSON.parse(encodeRequest(4, 'lab.list', {}))).success).toBe(true);
  });

  it('requests over the socket and receives host events', async () => {
    const transport = new WebSocketTransport(server.wsUrl);
    const events: HostEvent[] = [];
    const unsubscribe = transport.subscribe((event) => events.push(event));
    expect((await transport.request('lab.hello', {})).lab).toBe('ha-pair');
    expect(await transport.request('lab.list', {})).toEqual(['ha-pair', 'cluster-4']);
    const delta = { atUs: 9, pace: { mode: 'paused' as const, speed: 1 }, patches: [], ems: [], console: { filerA: 'ok\r\n' } };
    host.emit({ type: 'lab.delta', delta });
    await expect.poll(() => events).toEqual([{ type: 'lab.delta', delta }]);
    unsubscribe();
  });

  it('turns a refusal from the host into an error naming the channel', async () => {
    const transport = new WebSocketTransport(server.wsUrl);
    await expect(transport.request('lab.open', { lab: 'broken' })).rejects.toThrow('lab.open: no lab named broken');
  });

  it('after a lost connection, reconnects and hands subscribers a lab.reset', async () => {
    const transport = new WebSocketTransport(server.wsUrl);
    const events: HostEvent[] = [];
    const unsubscribe = transport.subscribe((event) => events.push(event));
    await transport.request('lab.hello', {});
    const { port, token } = server;
    await server.close();
    server = await startHostServer({ host, port, token, discoveryFile: false, log: () => {} });
    await expect.poll(() => events.map((event) => event.type), { timeout: 10_000 }).toContain('lab.reset');
    unsubscribe();
  });

  it('unwraps IPC outcomes and drops events that do not fit', async () => {
    const pushed: Array<(event: unknown) => void> = [];
    const transport = new IpcTransport({
      request: async (channel) => (channel === 'lab.list' ? { ok: true, channel, result: ['ha-pair'] } : { ok: false, error: 'rejected: nope' }),
      subscribe: (listener) => {
        pushed.push(listener);
        return () => {};
      },
    });
    expect(await transport.request('lab.list', {})).toEqual(['ha-pair']);
    await expect(transport.request('lab.hello', {})).rejects.toThrow('lab.hello: rejected: nope');
    const events: HostEvent[] = [];
    transport.subscribe((event) => events.push(event));
    pushed[0]({ type: 'lab.delta', delta: { atUs: -1 } });
    expect(events).toEqual([]);
  });

  it('picks the preload bridge when present, the page’s own socket otherwise', () => {
    const bridge = { request: async () => ({ ok: true, result: [] }), subscribe: () => () => {} };
    expect(pickTransport({ filerlab: bridge, location: { protocol: 'file:', host: '' } as Location })).toBeInstanceOf(IpcTransport);
    expect(pickTransport({ filerlab: undefined, location: { protocol: 'http:', host: '127.0.0.1:9' } as Location })).toBeInstanceOf(WebSocketTransport);
  });

  it('repeats the server’s CSP in the page’s meta tag', () => {
    const html = readFileSync(path.resolve(import.meta.dirname, '../../../renderer/index.html'), 'utf8');
    expect(html).toContain(`content="${CONTENT_SECURITY_POLICY}"`);
  });
});
