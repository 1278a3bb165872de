// The host must not fall (issue 21): a corpus of hostile WebSocket frames and console input, generated
// deterministically, sent to a real lab session behind the real server on 127.0.0.1. Every input must
// be refused with a reason or survive, and the server must answer a normal request afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLabSession } from '../../../emulator/host/lab-session.ts';
import type { LabSession } from '../../../emulator/host/lab-session.ts';
import { PtyConnection, PTYS_PER_CONNECTION_MAX } from '../../../emulator/host/pty-connection.ts';
import type { PtySessions } from '../../../emulator/host/pty-sessions.ts';
import { MAX_FRAME_BYTES, UNREADABLE_FRAME_ID } from '../../../emulator/host/server/frames.ts';
import { startHostServer } from '../../../emulator/host/server/host-server.ts';
import type { HostServer } from '../../../emulator/host/server/host-server.ts';
import { connectRaw, pollUntil, seeded } from './hostile-client.ts';
import type { Answer } from './hostile-client.ts';

/** Names every object answers to, and a few more that have bitten JavaScript hosts. */
const PROTO_NAMES = [...new Set([...Object.getOwnPropertyNames(Object.prototype), '__proto__', 'prototype', 'then', 'length', 'toJSON'])];
const CHANNELS = ['lab.hello', 'lab.input', 'lab.pace', 'lab.open', 'lab.list', 'lab.record', 'lab.source', 'lab.openText', 'lab.saveState', 'lab.savedStates', 'lab.restoreState', 'console.scrollback', 'pty.open', 'pty.input', 'pty.resize', 'pty.close'];

interface HostileInput {
  readonly label: string;
  /** The frame's text; `id` is the id its answer carries (UNREADABLE_FRAME_ID when it has none). */
  readonly text: string;
  readonly id: number;
}

let nextId = 1;
function request(label: string, channel: unknown, args: unknown): HostileInput {
  const id = nextId++;
  return { label, text: JSON.stringify({ type: 'request', id, channel, args }), id };
}
function raw(label: string, text: string, id = UNREADABLE_FRAME_ID): HostileInput {
  return { label, text, id };
}
function consoleInput(label: string, actor: string, data: string): HostileInput {
  return request(label, 'lab.input', { input: { kind: 'actor', actor, input: { kind: 'console', data } } });
}

/** The corpus, the same on every run. */
function hostileCorpus(): HostileInput[] {
  const random = seeded(21);
  const corpus: HostileInput[] = [];
  // Channels named like Object.prototype members, with every shape of args.
  for (const name of PROTO_NAMES) {
    for (const args of [{}, null, [], 'x', { [name]: name }]) corpus.push(request(`channel ${name}`, name, args));
    corpus.push(request(`channel lab.${name}`, `lab.${name}`, {}));
  }
  // The names a user types, named like Object.prototype members: actors, filers, labs, saved states, faults.
  for (const name of PROTO_NAMES) {
    corpus.push(consoleInput(`console to actor ${name}`, name, 'sysconfig\r'));
    corpus.push(request(`scrollback of ${name}`, 'console.scrollback', { filer: name }));
    corpus.push(request(`fault on ${name}`, 'lab.input', { input: { kind: 'actor', actor: 'filerA', input: { kind: 'fault', fault: name, args: [name] } } }));
    corpus.push(request(`fault ${name} on ${name}`, 'lab.input', { input: { kind: 'actor', actor: name, input: { kind: 'fault', fault: name, args: [] } } }));
    corpus.push(request(`cable end ${name}`, 'lab.input', { input: { kind: 'cable', end: { actor: name, port: name }, plugged: false } }));
    corpus.push(request(`cable port ${name}`, 'lab.input', { input: { kind: 'cable', end: { actor: 'filerA', port: name }, plugged: true } }));
    corpus.push(request(`client ${name}`, 'lab.input', { input: { kind: 'actor', actor: name, input: { kind: 'client', action: 'stop' } } }));
    corpus.push(request(`restore ${name}`, 'lab.restoreState', { name }));
    corpus.push(request(`record ${name}`, 'lab.record', { action: name }));
    corpus.push(request(`pace ${name}`, 'lab.pace', { mode: name, speed: 1 }));
    corpus.push(request(`pty.open ${name}`, 'pty.open', { filer: name, cols: 80, rows: 24 }));
    corpus.push(request(`args key ${name}`, 'lab.hello', JSON.parse(`{"${name}": 1}`)));
    corpus.push(request(`lab file naming ${name}`, 'lab.openText', { name, yaml: `name: ${name}\nfilers:\n  ${name}: { systemId: '0101165001', fcPorts: [0a], ethernet: {} }\n` }));
    corpus.push(request(`lab file vserver ${name}`, 'lab.openText', { name: 'x', yaml: `name: x\nfilers:\n  filerA: { systemId: '0101165001', fcPorts: [0a], ethernet: {} }\nclients:\n  c1: { protocol: nfs, vserver: ${name}, address: 10.1.1.10/24 }\n` }));
  }
  // Malformed JSON and frames of the wrong shape.
  for (const text of ['', ' ', '{', '}', 'null', 'true', '0', '-1', '"request"', '[]', '[1,2,3]', '{}', 'not json at all', '{"type":"request"', '\uFEFF{}', 'NaN', '{"a":1}{"b":2}', '\u0000', '\uD800', '['.repeat(5_000) + ']'.repeat(5_000), '['.repeat(200_000)]) {
    corpus.push(raw(`malformed ${JSON.stringify(text.slice(0, 12))}`, text));
  }
  // Wrong types: ids, channels, args, extra keys, a response sent as a request.
  const shapes: unknown[] = [
    { type: 'request', id: '1', channel: 'lab.list', args: {} },
    { type: 'request', id: -5, channel: 'lab.list', args: {} },
    { type: 'request', id: 1.5, channel: 'lab.list', args: {} },
    { type: 'request', id: 1e300, channel: 'lab.list', args: {} },
    { type: 'request', id: null, channel: 'lab.list', args: {} },
    { type: 'response', id: 1, ok: true, result: {} },
    { type: 'event', event: { type: 'lab.reset' } },
    { type: 'request', channel: 'lab.list', args: {} },
    { type: 'request', id: 1, channel: 7, args: {} },
    { type: 'request', id: 1, channel: ['lab.list'], args: {} },
    { type: 'request', id: 1, channel: { toString: 'lab.list' }, args: {} },
    { type: 'request', id: 1, channel: 'x'.repeat(100), args: {} },
    { type: 'request', id: 1, channel: 'lab.list', args: {}, extra: true },
    { type: 'request', id: 1, channel: 'lab.list', args: {}, __proto__: { polluted: true } },
  ];
  for (const shape of shapes) {
    const id = nextId++;
    // Frames that carry a usable id are answered under it; the others under UNREADABLE_FRAME_ID.
    const frame = { ...(shape as Record<string, unknown>) };
    const usable = typeof frame.id === 'number' && Number.isSafeInteger(frame.id) && frame.id >= 0;
    if (usable) frame.id = id;
    corpus.push(raw(`shape ${JSON.stringify(shape).slice(0, 60)}`, JSON.stringify(frame), usable ? id : UNREADABLE_FRAME_ID));
  }
  corpus.push(raw('own __proto__ key', `{"type":"request","id":${nextId},"channel":"lab.list","args":{},"__proto__":{"polluted":true}}`, nextId++));
  for (const channel of CHANNELS) {
    for (const args of [undefined, null, 'x', 42, [], { unexpected: 1 }, { input: { kind: 'actor', actor: 'filerA', input: { kind: 'console', data: 5 } } }]) {
      corpus.push(request(`${channel} with ${JSON.stringify(args) ?? 'undefined'}`, channel, args));
    }
  }
  // Over the limits: a console input over 64 KiB, a mark over 1 KiB, a lab file over 1 MiB of YAML text.
  corpus.push(consoleInput('console input of 65,537 chars', 'filerA', 'x'.repeat(65_537)));
  corpus.push(request('mark of 900 KB', 'lab.input', { input: { kind: 'mark', text: 'm'.repeat(900_000) } }));
  corpus.push(request('pty.input of 70 KB', 'pty.input', { id: 1, data: 'p'.repeat(70_000) }));
  // Unknown filers and other parts.
  for (const actor of ['filerZ', 'FILERA', 'filerA ', '', 'shelf1', 'sw1', 'c1', '../../etc/passwd', 'filerA\u0000']) {
    corpus.push(consoleInput(`console to ${JSON.stringify(actor)}`, actor, 'cf status\r'));
    corpus.push(request(`scrollback of ${JSON.stringify(actor)}`, 'console.scrollback', { filer: actor }));
  }
  corpus.push(request('lab.open of a path outside', 'lab.open', { lab: '/etc/passwd' }));
  corpus.push(request('lab.open of a missing file', 'lab.open', { lab: 'no-such-lab' }));
  corpus.push(request('restore ../escape', 'lab.restoreState', { name: '../../escape' }));
  // Control characters and odd text on the console: every C0 byte, DEL, escapes, lone surrogates.
  const c0 = Array.from({ length: 32 }, (_, code) => String.fromCharCode(code)).join('') + '\x7f';
  corpus.push(consoleInput('every control character', 'filerA', c0.repeat(50)));
  corpus.push(consoleInput('escape sequences', 'filerA', '\x1b[A\x1b[B\x1b[C\x1b[D\x1b[3~\x1b[999999999999D\x1b]0;title\x07\x1bP\x1b[' + '9'.repeat(5_000)));
  corpus.push(consoleInput('lone surrogates', 'filerA', '\uD800\uDC00\uDFFF\uD800x'.repeat(1_000)));
  corpus.push(consoleInput('ctrl-a then a long line (echo of the tail per key)', 'filerA', '\x01' + 'y'.repeat(60_000) + '\x03'));
  for (let index = 0; index < 100; index++) {
    const length = 1 + Math.floor(random() * 4_096);
    corpus.push(consoleInput(`random ASCII #${index}`, 'filerA', Array.from({ length }, () => String.fromCharCode(Math.floor(random() * 128))).join('')));
  }
  // A 1 MB paste, in the protocol's 64 KiB console inputs.
  const paste = Array.from({ length: 1_048_576 }, () => String.fromCharCode(32 + Math.floor(random() * 95))).join('');
  for (let start = 0; start < paste.length; start += 65_536) corpus.push(consoleInput(`1 MB paste, part ${start / 65_536 + 1}`, 'filerA', paste.slice(start, start + 65_536)));
  corpus.push(consoleInput('ctrl-c after the paste', 'filerA', '\x03'));
  return corpus;
}

describe('hostile corpus (issue 21: the host must not fall)', () => {
  let directory: string;
  let session: LabSession;
  let server: HostServer;
  const logged: string[] = [];

  beforeAll(async () => {
    directory = mkdtempSync(path.join(os.tmpdir(), 'filerlab-hostile-'));
    session = await createLabSession({ lab: 'ha-pair', placement: 'single', pace: { mode: 'running', speed: 1 }, savedLabsDir: directory });
    server = await startHostServer({ host: session, port: 0, discoveryFile: false, consolePtys: false, log: (text) => logged.push(text) });
  });

  afterAll(async () => {
    await server.close();
    await session.dispose();
    rmSync(directory, { recursive: true, force: true });
  });

  it('refuses every hostile frame with a reason or survives it, then answers a normal request', async () => {
    const corpus = hostileCorpus();
    const client = await connectRaw(server.wsUrl);
    let refused = 0;
    let survived = 0;
    const unanswered: string[] = [];
    for (const input of corpus) {
      let answer: Answer;
      try {
        answer = await client.send(input.text, input.id);
      } catch (error) {
        unanswered.push(`${input.label}: ${(error as Error).message}`);
        continue;
      }
      // Refused by the server (ok: false), or by the lab or the host in the result ({ ok: false, error(s) }).
      const result = answer.result as { ok?: unknown; error?: unknown; errors?: unknown } | undefined;
      if (!answer.ok) {
        expect(answer.error, input.label).toMatch(/\S/);
        refused++;
      } else if (result !== null && typeof result === 'object' && result.ok === false) {
        expect(JSON.stringify(result.error ?? result.errors), input.label).toMatch(/\w/);
        refused++;
      } else survived++;
    }
    console.log(`hostile corpus: ${corpus.length} inputs tried, ${refused} refused with a reason, ${survived} survived`);
    expect(unanswered).toEqual([]);
    expect(refused + survived).toBe(corpus.length);
    // A request of a lab.input kind is refused when the lab refuses it (an unknown filer): its result says why.
    const unknown = await client.request('lab.input', { input: { kind: 'actor', actor: 'constructor', input: { kind: 'console', data: 'x' } } });
    expect(unknown).toMatchObject({ ok: true, result: { ok: false } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // The same server, the same connection: a normal request is answered.
    // Some lab files of the corpus are legitimate (a lab named `toJSON` is just a name) and replaced the lab.
    const hello = await client.request('lab.hello', {});
    expect(hello).toMatchObject({ ok: true, result: { seed: 1 } });
    const reopened = await client.request('lab.open', { lab: 'ha-pair' }, 30_000);
    expect(reopened).toMatchObject({ ok: true, result: { lab: 'ha-pair' } });
    const list = await client.request('lab.list', {});
    expect(list).toMatchObject({ ok: true, result: ['ha-pair', 'cluster-4'] });
    client.close();
  }, 120_000);

  it('answers a prototype-named channel under its id and keeps the connection', async () => {
    const client = await connectRaw(server.wsUrl);
    for (const channel of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const answer = await client.request(channel, {});
      expect(answer).toMatchObject({ ok: false });
      expect(answer.error).toContain(`unknown channel "${channel}"`);
    }
    expect(await client.request('lab.list', {})).toMatchObject({ ok: true });
    client.close();
  });

  it('closes a connection whose frame is over the size limit, with the reason, and serves the next one', async () => {
    const client = await connectRaw(server.wsUrl);
    client.socket.send(JSON.stringify({ type: 'request', id: 1, channel: 'lab.input', args: { input: { kind: 'mark', text: 'z'.repeat(MAX_FRAME_BYTES) } } }));
    const closed = await client.closed();
    expect(closed.code).toBe(1009);
    const next = await connectRaw(server.wsUrl);
    expect(await next.request('lab.list', {})).toMatchObject({ ok: true });
    next.close();
  });

  it('answers binary frames with a refusal', async () => {
    const client = await connectRaw(server.wsUrl);
    const answer = await new Promise<Answer>((resolve) => {
      client.socket.once('message', (data) => resolve(JSON.parse(data.toString()) as Answer));
      client.socket.send(Buffer.from([1, 2, 3]));
    });
    expect(answer).toMatchObject({ id: UNREADABLE_FRAME_ID, ok: false });
    expect(answer.error).toMatch(/binary frames/);
    client.close();
  });

  it('keeps serving the console after the corpus: the filer still answers a command', async () => {
    const client = await connectRaw(server.wsUrl);
    await pollUntil(() => (session.scrollback('filerA').endsWith('filerA> ') ? true : undefined), 30_000, 'the filerA prompt');
    const before = session.scrollback('filerA').length;
    expect(await client.request('lab.input', { input: { kind: 'actor', actor: 'filerA', input: { kind: 'console', data: '\x03\x15cf status\r' } } })).toMatchObject({ ok: true, result: { ok: true } });
    await pollUntil(() => (session.scrollback('filerA').length !== before && /Cluster|takeover|partner/i.test(session.scrollback('filerA').slice(-2_000)) ? true : undefined), 20_000, 'cf status to print');
    client.close();
  });
});

describe('console PTYs per connection', () => {
  it('lets one connection hold at most half the slots', () => {
    let next = 1;
    const opened: number[] = [];
    const sessions = {
      onDidEvent: () => ({ dispose: () => undefined }),
      open: () => {
        const id = next++;
        opened.push(id);
        return { ok: true as const, id };
      },
      close: () => true,
    } as unknown as PtySessions;
    const greedy = new PtyConnection(sessions, () => undefined);
    for (let index = 0; index < PTYS_PER_CONNECTION_MAX; index++) greedy.open('filerA', 80, 24);
    expect(() => greedy.open('filerA', 80, 24)).toThrow(/at most 8 console sessions per connection/);
    const other = new PtyConnection(sessions, () => undefined);
    expect(other.open('filerB', 80, 24)).toEqual({ id: PTYS_PER_CONNECTION_MAX + 1 });
    greedy.dispose();
    other.dispose();
  });
});

