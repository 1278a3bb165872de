import { mkdtempSync, mkdirSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { readDiscovery } from '../../../emulator/host/server/discovery.ts';
import { startHostServer } from '../../../emulator/host/server/host-server.ts';
import type { HostServer } from '../../../emulator/host/server/host-server.ts';
import { CONTENT_SECURITY_POLICY } from '../../../emulator/host/server/csp.ts';
import { FakeLabHost } from './server-fake-host.ts';

interface Client {
  socket: WebSocket;
  frames: unknown[];
  next(predicate: (frame: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
}

function connect(url: string, origin?: string): Promise<Client> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, origin ? { origin } : {});
    const frames: unknown[] = [];
    const waiters: Array<{ predicate: (frame: Record<string, unknown>) => boolean; resolve: (frame: Record<string, unknown>) => void }> = [];
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as Record<string, unknown>;
      frames.push(frame);
      for (const waiter of [...waiters]) {
        if (waiter.predicate(frame)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(frame);
        }
      }
    });
    socket.once('open', () => resolve({
      socket,
      frames,
      next: (predicate) => new Promise((resolveFrame) => waiters.push({ predicate, resolve: resolveFrame })),
    }));
    socket.once('error', reject);
    socket.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
  });
}

describe('host server (browser shell transport)', () => {
  let directory: string;
  let host: FakeLabHost;
  let server: HostServer;
  let logged: string[];

  beforeEach(async () => {
    directory = mkdtempSync(path.join(os.tmpdir(), 'filerlab-server-'));
    mkdirSync(path.join(directory, 'ui', 'assets'), { recursive: true });
    writeFileSync(path.join(directory, 'ui', 'index.html'), '<!doctype html><title>FilerLab</title>');
    writeFileSync(path.join(directory, 'ui', 'assets', 'app-1234.js'), 'console.log(1)');
    writeFileSync(path.join(directory, 'secret.txt'), 'outside the root');
    host = new FakeLabHost();
    logged = [];
    server = await startHostServer({
      host,
      port: 0,
      staticRoot: path.join(directory, 'ui'),
      discoveryFile: path.join(directory, 'run', 'host.json'),
      log: (text) => logged.push(text),
    });
  });

  afterEach(async () => {
    await server.close();
  });

  it('listens on 127.0.0.1 only, on an ephemeral port', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(server.port).toBeGreaterThan(0);
    expect(server.wsUrl).toBe(`ws://127.0.0.1:${server.port}/lab?token=${server.token}`);
    expect(server.pageUrl).toBe(`http://127.0.0.1:${server.port}/#token=${server.token}`);
  });

  it('serves the renderer with MIME types and the CSP header', async () => {
    const page = await fetch(server.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    const script = await fetch(`${server.url}assets/app-1234.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('console.log(1)');
    expect((await fetch(`${server.url}missing.js`)).status).toBe(404);
  });

  it('never serves a file outside its root', async () => {
    const escaped = await fetch(`${server.url}..%2Fsecret.txt`);
    expect(escaped.status).toBe(400);
    expect(await escaped.text()).not.toContain('outside the root');
  });

  it('answers requests over the socket with the host view', async () => {
    const client = await connect(server.wsUrl, `http://127.0.0.1:${server.port}`);
    client.socket.send(JSON.stringify({ type: 'request', id: 7, channel: 'lab.hello', args: {} }));
    const response = await client.next((frame) => frame.id === 7);
    expect(response).toMatchObject({ type: 'response', id: 7, ok: true });
    expect((response.result as { lab: string }).lab).toBe('ha-pair');
    client.socket.close();
  });

  it('drops and logs a request of the wrong shape, and keeps serving', async () => {
    const client = await connect(server.wsUrl);
    client.socket.send('not json at all');
    client.socket.send(JSON.stringify({ type: 'request', id: 1, channel: 'lab.input', args: { input: { kind: 'cable', end: { actor: 'filerA' }, plugged: 'yes' } } }));
    const rejected = await client.next((frame) => frame.id === 1);
    expect(rejected).toMatchObject({ ok: false });
    expect(String(rejected.error)).toMatch(/rejected: lab.input/);
    expect(host.inputs).toEqual([]);
    expect(logged.some((line) => line.includes('frame is not JSON'))).toBe(true);
    client.socket.send(JSON.stringify({ type: 'request', id: 2, channel: 'lab.input', args: { input: { kind: 'cable', end: { actor: 'filerA', port: '0a' }, plugged: false } } }));
    expect(await client.next((frame) => frame.id === 2)).toMatchObject({ ok: true, result: { ok: true } });
    expect(host.inputs).toEqual([{ kind: 'cable', end: { actor: 'filerA', port: '0a' }, plugged: false }]);
    client.socket.close();
  });

  it('answers a host failure as an error, not a crash', async () => {
    const client = await connect(server.wsUrl);
    client.socket.send(JSON.stringify({ type: 'request', id: 3, channel: 'lab.open', args: { lab: 'broken' } }));
    expect(await client.next((frame) => frame.id === 3)).toMatchObject({ ok: false, error: 'no lab named broken' });
    client.socket.close();
  });

  it('pushes host events to every client and unsubscribes on close', async () => {
    const first = await connect(server.wsUrl);
    const second = await connect(server.wsUrl);
    const delta = { atUs: 1000, pace: { mode: 'running' as const, speed: 1 }, patches: [['filerA.state', 'down']] as Array<[string, unknown]>, ems: [], console: {} };
    const arrivals = [first.next((frame) => frame.type === 'event'), second.next((frame) => frame.type === 'event')];
    host.emit({ type: 'lab.delta', delta });
    for (const frame of await Promise.all(arrivals)) expect(frame).toEqual({ type: 'event', event: { type: 'lab.delta', delta } });
    first.socket.close();
    second.socket.close();
    await expect.poll(() => host.listenerCount()).toBe(0);
  });

  it('refuses a socket from a foreign origin', async () => {
    await expect(connect(server.wsUrl, 'http://evil.example')).rejects.toThrow(/403/);
    expect(logged.some((line) => line.includes('origin "http://evil.example" is not ours'))).toBe(true);
  });

  it('refuses a socket without this launch\'s token, or with another (issue 21)', async () => {
    const bare = server.wsUrl.replace(/\?token=.*$/, '');
    await expect(connect(bare)).rejects.toThrow(/403/);
    await expect(connect(`${bare}?token=${'A'.repeat(server.token.length)}`)).rejects.toThrow(/403/);
    await expect(connect(`${bare}?token=${server.token}x`)).rejects.toThrow(/403/);
    expect(logged.some((line) => line.includes('no valid token'))).toBe(true);
    expect(server.token).toMatch(/^[\w-]{32}$/);
  });

  it('refuses a request whose Host header is not ours (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      request({ host: '127.0.0.1', port: server.port, path: '/', headers: { host: `evil.example:${server.port}` } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      }).on('error', reject).end();
    });
    expect(status).toBe(421);
  });

  it('writes the discovery file while running and removes it when stopped', async () => {
    const file = path.join(directory, 'run', 'host.json');
    expect(readDiscovery(file)).toMatchObject({ url: server.pageUrl, ws: server.wsUrl, pid: process.pid, lab: 'ha-pair' });
    expect(JSON.parse(readFileSync(file, 'utf8')).pid).toBe(process.pid);
    await server.close();
    expect(existsSync(file)).toBe(false);
  });
});
