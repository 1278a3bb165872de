// Where the built renderer lives, and building it once when it is missing (a fresh checkout running
// `npm start`). Tests build it themselves (`npm test` runs `vite build` before the E2E tests).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const RENDERER_BUILD_DIR = path.join(REPO_ROOT, 'dist', 'renderer');

export function rendererIsBuilt(root: string = RENDERER_BUILD_DIR): boolean {
  return existsSync(path.join(root, 'index.html'));
}

/** Runs `vite build` when dist/renderer is missing; returns why it failed, or undefined. */
export function ensureRendererBuilt(log: (text: string) => void): string | undefined {
  if (rendererIsBuilt()) return undefined;
  log('building the UI once (vite build)…');
  const vite = path.join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: REPO_ROOT, stdio: 'inherit', timeout: 180_000 });
  if (result.status !== 0 || !rendererIsBuilt()) return `vite build failed (exit ${result.status ?? result.signal})`;
  return undefined;
}
