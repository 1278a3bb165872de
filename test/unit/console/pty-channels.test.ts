// The pty.* channels end to end on the host side: a UI connection opens a real PTY running
// `filerlab console filerA` attached back to the same server, sees its output alone, drives it, and
// its PTYs die with it. The lab is a small fake; the parts under test are the server, the dispatcher
// and the PTY plumbing.
import { afterEach, describe, expect, it } from 'vitest';
import { LabSocketClient } from '../../../emulator/cli/console-client.ts';
import { dispatchRequest } from '../../../emulator/host/ipc-dispatch.ts';
import { startHostServer } from '../../../emulator/host/server/host-server.ts';
import type { HostServer } from '../../../emulator/host/server/host-server.ts';
import type { HostEvent } from '../../../emulator/protocol/channels.ts';
import { FakeLabHost } from '../host/server-fake-host.ts';

async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function ptyOutput(events: HostEvent[], id: number): string {
  return events.map((event) => (event.type === 'pty.data' && event.id === id ? event.data : '')).join('');
}

describe('pty channels', () => {
  let server: HostServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('opens filerlab console on a PTY for one connection only, forwards keys, and closes it with the connection', async () => {
    const host = new FakeLabHost();
    server = await startHostServer({ host, port: 0, discoveryFile: false, log: () => undefined });
    const owner = await LabSocketClient.connect(server.wsUrl);
    const other = await LabSocketClient.connect(server.wsUrl);
    const ownerEvents: HostEvent[] = [];
    const otherEvents: HostEvent[] = [];
    owner.onEvent((event) => ownerEvents.push(event));
    other.onEvent((event) => otherEvents.push(event));

    const { id } = await owner.request('pty.open', { filer: 'filerA', cols: 100, rows: 30 });
    // The PTY's own `filerlab console` attaches and prints the host's scrollback.
    await until(() => ptyOutput(ownerEvents, id).includes('filerA> '), 'the scrollback on the PTY');
    expect(ptyOutput(ownerEvents, id)).toContain('attached to filerA in lab ha-pair');
    expect(server.connectionCount()).toBe(3);

    expect(await owner.request('pty.resize', { id, cols: 132, rows: 40 })).toEqual({ ok: true });
    expect(await owner.request('pty.input', { id, data: 'cf status\r' })).toEqual({ ok: true });
    await until(() => host.inputs.some((input) => input.kind === 'actor' && input.input.kind === 'console' && input.input.data.includes('cf status')), 'the keys at the lab');
    // Another connection neither sees nor drives this PTY.
    expect(await other.request('pty.input', { id, data: 'x' })).toEqual({ ok: false });
    expect(await other.request('pty.close', { id })).toEqual({ ok: false });
    expect(otherEvents.some((event) => event.type.startsWith('pty.'))).toBe(false);

    owner.close();
    // The PTY is killed with its connection, so its console's own socket goes too.
    await until(() => server!.connectionCount() === 1, 'the PTY to go with its connection');
    other.close();
  }, 40_000);

  it('answers pty.exit when the console inside ends, and refuses bad sizes and a host without PTYs', async () => {
    const host = new FakeLabHost();
    server = await startHostServer({ host, port: 0, discoveryFile: false, log: () => undefined });
    const client = await LabSocketClient.connect(server.wsUrl);
    const events: HostEvent[] = [];
    client.onEvent((event) => events.push(event));
    const { id } = await client.request('pty.open', { filer: 'filerZ', cols: 80, rows: 24 });
    await until(() => events.some((event) => event.type === 'pty.exit' && event.id === id), 'pty.exit');
    expect(events.find((event) => event.type === 'pty.exit')).toEqual({ type: 'pty.exit', id, code: 2 });
    expect(ptyOutput(events, id)).toContain("no filer 'filerZ'");
    await expect(client.request('pty.open', { filer: 'filerA', cols: 1, rows: 24 })).rejects.toThrow(/cols/);
    client.close();

    const logged: string[] = [];
    const outcome = await dispatchRequest(host, 'pty.open', { filer: 'filerA', cols: 80, rows: 24 }, (text) => logged.push(text));
    expect(outcome).toEqual({ ok: false, error: 'this host offers no console PTYs' });
  }, 40_000);

  it('starts the console over when the lab is reset (another lab, a restored save), and ends it when the filer is gone', async () => {
    const host = new FakeLabHost();
    server = await startHostServer({ host, port: 0, discoveryFile: false, log: () => undefined });
    const client = await LabSocketClient.connect(server.wsUrl);
    const events: HostEvent[] = [];
    client.onEvent((event) => events.push(event));
    const { id } = await client.request('pty.open', { filer: 'filerA', cols: 100, rows: 30 });
    await until(() => ptyOutput(events, id).includes('filerA> '), 'the scrollback on the PTY');
    await until(() => server!.connectionCount() === 2, 'the console inside to connect');

    host.emit({ type: 'lab.reset', view: { ...host.view(), lab: 'saved-pair', atUs: 5_000_000 } });
    await until(() => ptyOutput(events, id).includes('filerA in lab saved-pair, now at 5.0 s virtual'), 'the console to start over');
    expect(ptyOutput(events, id)).toContain('\x1b[2J');
    const afterReset = ptyOutput(events, id).split('now at 5.0 s virtual')[1]!;
    await until(() => ptyOutput(events, id).split('now at 5.0 s virtual')[1]!.includes('filerA> '), 'the new scrollback');
    expect(afterReset).not.toContain('attached to filerA in lab ha-pair');

    host.emit({ type: 'lab.reset', view: { ...host.view(), lab: 'no-filers', topology: { actors: [], cables: [] } } });
    await until(() => events.some((event) => event.type === 'pty.exit' && event.id === id), 'pty.exit');
    expect(ptyOutput(events, id)).toContain('lab no-filers has no filer filerA');
    client.close();
  }, 40_000);
});
