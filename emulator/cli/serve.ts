// `filerlab serve`: the browser shell alone — the lab host and its page on 127.0.0.1.
import { DEFAULT_LAB } from '../host/server/create-lab-host.ts';
import { runBrowserShell } from '../host/server/browser-shell.ts';
import type { BrowserShellOptions } from '../host/server/browser-shell.ts';
import type { CliCommand } from './command.ts';

export const SERVE_USAGE = 'filerlab serve [--port N] [--lab NAME|FILE] [--seed N] [--placement single|workers] [--no-open]';

/** Parses serve's options, or returns what is wrong with them. */
export function parseServeArgs(args: string[]): { ok: true; options: BrowserShellOptions } | { ok: false; error: string } {
  let port = 0;
  let lab = DEFAULT_LAB;
  let placement: BrowserShellOptions['placement'] = 'workers';
  let open = true;
  let seed: number | undefined;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    const value = args[index + 1];
    if (arg === '--no-open') open = false;
    else if (arg === '--port' && value !== undefined) {
      port = Number(value);
      index++;
      if (!Number.isInteger(port) || port < 0 || port > 65_535) return { ok: false, error: `--port wants 0..65535, not '${value}'` };
    } else if (arg === '--lab' && value !== undefined) {
      lab = value;
      index++;
    } else if (arg === '--seed' && value !== undefined) {
      // Every lab this window opens or resets runs with it, ahead of a lab file's own `seed:`.
      if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) return { ok: false, error: `--seed takes a whole number, not '${value}'` };
      seed = Number(value);
      index++;
    } else if (arg === '--placement' && (value === 'single' || value === 'workers')) {
      placement = value;
      index++;
    } else return { ok: false, error: `unknown option '${arg}'` };
  }
  return { ok: true, options: { lab, seed, port, placement, open, stopWithWindow: false } };
}

export const serveCommand: CliCommand = {
  summary: 'Serve the lab window to a browser on 127.0.0.1 (the browser shell), without Electron.',
  usage: SERVE_USAGE,
  async run(args, io) {
    const parsed = parseServeArgs(args);
    if (!parsed.ok) {
      io.stderr(`filerlab serve: ${parsed.error}\nusage: ${SERVE_USAGE}\n`);
      return 2;
    }
    return runBrowserShell(parsed.options, io);
  },
};
