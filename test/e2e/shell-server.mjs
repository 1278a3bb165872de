// Starts `filerlab serve --port 0 --no-open` as a child process on 127.0.0.1 and reads its URL from
// the line it prints. Its discovery file, saved labs and recordings go under test-results/ so a lab the user runs is untouched.
import { spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const URL_LINE = /served at (http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/;

/** The page's URL (with its per-launch token) → the protocol socket's, which requires the token. */
export function socketUrlOf(pageUrl) {
  const url = new URL(pageUrl);
  const token = new URLSearchParams(url.hash.slice(1)).get('token');
  return `ws://${url.host}/lab?token=${token}`;
}

export function startShellServer({ timeoutMs = 90_000, lab = 'ha-pair', extraArgs = [] } = {}) {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'filerlab.mjs'), 'serve', '--port', '0', '--no-open', '--lab', lab, ...extraArgs], {
    cwd: ROOT,
    env: {
      ...process.env,
      FILERLAB_HOST_FILE: path.join(ROOT, 'test-results', 'e2e-host.json'),
      FILERLAB_SAVED_LABS: path.join(ROOT, 'test-results', 'e2e-saved-labs', String(process.pid)),
      FILERLAB_ATTEMPTS_DIR: path.join(ROOT, 'test-results', 'e2e-attempts', String(process.pid)),
      FILERLAB_RECORDINGS: path.join(ROOT, 'test-results', 'e2e-recordings', String(process.pid)),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = [];
  const collect = (chunk) => {
    output.push(chunk.toString());
    if (output.length > 400) output.splice(0, output.length - 400);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`filerlab serve printed no URL within ${timeoutMs} ms:\n${output.join('')}`)), timeoutMs);
    child.stdout.on('data', () => {
      const match = output.join('').match(URL_LINE);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`filerlab serve exited (${code ?? signal}) before serving:\n${output.join('')}`));
    });
  });
  return {
    ready,
    output: () => output.join(''),
    /** Last resort (the run's watchdog): no waiting. */
    kill: () => child.kill('SIGKILL'),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
