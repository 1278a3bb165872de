// `filerlab console <filer> [--url ws://127.0.0.1:PORT/lab]`: attaches this terminal to a filer's
// serial console in a running lab (the desktop app or `filerlab serve`), found through the discovery
// file. Shows the scrollback, then the live console; keys go to the filer; Ctrl-] detaches.
import { HOST_TOKEN_ENV, readDiscovery } from '../host/server/discovery.ts';
import { filersOf, LabSocketClient, withoutOverlap } from './console-client.ts';
import type { CliCommand, CliIo } from './command.ts';

export const CONSOLE_USAGE = 'filerlab console <filer> [--url ws://127.0.0.1:PORT/lab]';
export const NO_LAB_MESSAGE = 'no running lab found; start one with `filerlab serve` or `npm start`';
const DETACH_KEY = '\x1d';

export function parseConsoleArgs(args: readonly string[]): { ok: true; filer: string; url?: string } | { ok: false; error: string } {
  let filer: string | undefined;
  let url: string | undefined;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (arg === '--url') {
      url = args[++index];
      if (!url || !/^wss?:\/\//.test(url)) return { ok: false, error: '--url wants ws://HOST:PORT/lab' };
    } else if (arg.startsWith('-')) return { ok: false, error: `unknown option '${arg}'` };
    else if (filer === undefined) filer = arg;
    else return { ok: false, error: `unexpected argument '${arg}'` };
  }
  if (filer === undefined) return { ok: false, error: 'which filer? e.g. filerlab console filerA' };
  return { ok: true, filer, url };
}

export const consoleCommand: CliCommand = {
  summary: "Attach this terminal to a filer's serial console in the running lab (Ctrl-] detaches).",
  usage: CONSOLE_USAGE,
  async run(args, io) {
    const parsed = parseConsoleArgs(args);
    if (!parsed.ok) {
      io.stderr(`filerlab console: ${parsed.error}\nusage: ${CONSOLE_USAGE}\n`);
      return 2;
    }
    const found = parsed.url ?? readDiscovery()?.ws;
    const url = found && withToken(found, process.env[HOST_TOKEN_ENV]);
    if (!url) {
      io.stderr(`filerlab console: ${NO_LAB_MESSAGE}\n`);
      return 1;
    }
    let client: LabSocketClient;
    try {
      client = await LabSocketClient.connect(url);
    } catch (error) {
      io.stderr(`filerlab console: cannot reach the lab at ${url.replace(/token=[^&]*/, 'token=…')} (${(error as Error).message}); ${NO_LAB_MESSAGE}\n`);
      return 1;
    }
    return attach(client, parsed.filer, io);
  },
};

/** The socket's URL with the token a host handed this console in its environment (a console PTY). */
export function withToken(url: string, token: string | undefined): string {
  if (!token) return url;
  try {
    const parsed = new URL(url);
    if (parsed.searchParams.has('token')) return url;
    parsed.searchParams.set('token', token);
    return parsed.href;
  } catch {
    return url;
  }
}

async function attach(client: LabSocketClient, filer: string, io: CliIo): Promise<number> {
  const view = await client.request('lab.hello', {});
  const filers = filersOf(view);
  if (!filers.includes(filer)) {
    io.stderr(`filerlab console: no filer '${filer}' in lab ${view.lab} (filers: ${filers.join(', ') || 'none'})\n`);
    client.close();
    return 2;
  }
  // Deltas that arrive before the scrollback are in it; the first one after may overlap its end.
  const seen: { scrollback?: string; firstAfter: boolean } = { firstAfter: true };
  const showScrollback = async (): Promise<void> => {
    seen.scrollback = undefined;
    const scrollback = await client.request('console.scrollback', { filer });
    io.stdout(scrollback);
    seen.scrollback = scrollback;
    seen.firstAfter = true;
  };
  let detachBecause: ((message: string) => void) | undefined;
  client.onEvent((event) => {
    if (event.type === 'lab.reset') {
      // Another lab opened, or a saved one restored: this console starts over from that lab's transcript.
      if (!filersOf(event.view).includes(filer)) { detachBecause?.(`lab ${event.view.lab} has no filer ${filer}`); return; }
      io.stdout(`\x1b[2J\x1b[3J\x1b[H\x1b[2m[filerlab: ${filer} in lab ${event.view.lab}, now at ${formatVirtualSeconds(event.view.atUs)}; Ctrl-] detaches]\x1b[0m\r\n`);
      void showScrollback().catch(() => undefined);
      return;
    }
    if (event.type !== 'lab.delta' || seen.scrollback === undefined) return;
    const text = event.delta.console[filer];
    if (!text) return;
    io.stdout(seen.firstAfter ? withoutOverlap(seen.scrollback, text) : text);
    seen.firstAfter = false;
  });
  io.stdout(`\x1b[2m[filerlab: attached to ${filer} in lab ${view.lab}; Ctrl-] detaches]\x1b[0m\r\n`);
  await showScrollback();
  return new Promise<number>((resolve) => {
    const stdin = process.stdin;
    const finish = (code: number, message: string): void => {
      if (stdin.isTTY) stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      io.stdout(`\r\n\x1b[2m[filerlab: ${message}]\x1b[0m\r\n`);
      client.close();
      resolve(code);
    };
    const onData = (chunk: string): void => {
      const detach = chunk.indexOf(DETACH_KEY);
      const data = detach >= 0 ? chunk.slice(0, detach) : chunk;
      if (data.length > 0) {
        void client.request('lab.input', { input: { kind: 'actor', actor: filer, input: { kind: 'console', data } } })
          .then((answer) => {
            if (!answer.ok) io.stderr(`\r\nfilerlab console: ${answer.error ?? 'input refused'}\r\n`);
          })
          .catch(() => undefined);
      }
      if (detach >= 0) finish(0, `detached from ${filer}`);
    };
    client.onClose((reason) => finish(1, `connection to the lab closed: ${reason}`));
    detachBecause = (message) => finish(1, message);
    if (stdin.isTTY) stdin.setRawMode(true);
    stdin.setEncoding('utf8');
    stdin.on('data', onData);
    stdin.resume();
  });
}

/** 754_321_000 µs → `754.3 s virtual`. */
function formatVirtualSeconds(atUs: number): string {
  return `${(atUs / 1e6).toFixed(1)} s virtual`;
}
