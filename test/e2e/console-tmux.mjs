// Drives `filerlab console filerA` inside tmux against a running `filerlab serve`: send-keys types on
// the filer's console, capture-pane reads the screen. Run alone (`node test/e2e/console-tmux.mjs`, it
// starts its own serve) or from the e2e runner (test/e2e/specs/console.spec.mjs, against its server).
// Without tmux it says so and skips.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

export function tmuxAvailable() {
  return spawnSync('tmux', ['-V'], { encoding: 'utf8' }).status === 0;
}

async function waitForScreen(tmux, pattern, what, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  let screen = '';
  while (Date.now() < deadline) {
    screen = tmux('capture-pane', '-p', '-J', '-S', '-200', '-t', 'console');
    if (pattern.test(screen)) return screen;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}; the pane shows:\n${screen}`);
}

/** Returns a message when skipped, undefined when the test ran and passed; throws on failure. */
export async function runTmuxConsoleTest({ wsUrl }) {
  if (!tmuxAvailable()) return 'tmux is not installed: skipped the tmux console test (apt-get install tmux)';
  const socket = `filerlab-e2e-${process.pid}`;
  const tmux = (...args) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  const command = [process.execPath, path.join(ROOT, 'bin', 'filerlab.mjs'), 'console', 'filerA', '--url', wsUrl]
    .map((part) => `'${part.replace(/'/g, "'\\''")}'`).join(' ');
  tmux('new-session', '-d', '-s', 'console', '-x', '120', '-y', '40', `${command}; echo "[exit $?]"; sleep 30`);
  try {
    await waitForScreen(tmux, /attached to filerA/, 'the attach banner');
    await waitForScreen(tmux, /filerA> /, 'the filerA> prompt (scrollback or live)');
    tmux('send-keys', '-t', 'console', 'cf status', 'Enter');
    const status = await waitForScreen(tmux, /cf status\s*\n(.*\n)*?.*Cluster enabled, filerB is up\./, "cf status's answer");
    assert.match(status, /Cluster enabled, filerB is up\./);
    tmux('send-keys', '-t', 'console', 'bogus', 'Enter');
    await waitForScreen(tmux, /bogus not found\. {2}Type '\?' for a list of commands/, 'the unknown-command answer');
    // Tab completion and history live in the emulator, not in the terminal.
    tmux('send-keys', '-t', 'console', 'vers', 'Tab', 'Enter');
    await waitForScreen(tmux, /NetApp Release 7\.3\.7: /, 'version, completed with Tab');
    tmux('send-keys', '-t', 'console', 'C-]');
    await waitForScreen(tmux, /detached from filerA[\s\S]*\[exit 0\]/, 'a clean detach with Ctrl-]');
  } finally {
    try {
      tmux('kill-server');
    } catch {
      // Already gone.
    }
  }
  return undefined;
}

// Standalone: start a serve of our own.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { startShellServer, socketUrlOf } = await import('./shell-server.mjs');
  const server = startShellServer({ extraArgs: ['--placement', 'single'] });
  try {
    const baseUrl = await server.ready;
    const skipped = await runTmuxConsoleTest({ wsUrl: socketUrlOf(baseUrl) });
    console.log(skipped ?? 'ok   filerlab console filerA in tmux: cf status answered, Tab completed, Ctrl-] detached');
  } catch (error) {
    console.log(`FAIL ${error?.stack ?? error}\n${server.output().split('\n').slice(-20).join('\n')}`);
    process.exitCode = 1;
  } finally {
    await server.stop();
  }
}
