// Which build of dist/node (scripts/build-node.mjs) may run, if any. Each build lives in its own folder
// dist/node/<build>/ and dist/node/manifest.json names the current one, the files that went into it and
// when it started. A launcher asks before it runs a bundle and runs the TypeScript through tsx instead
// when the build is older than any of its files: an old bundle never runs after an edit. Cheap: one
// small JSON file and a stat per input (a few milliseconds for the few hundred files of the build).
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export const BUNDLE_ROOT = path.join('dist', 'node');
export const MANIFEST = 'manifest.json';

/**
 * The current build's folder, or why it may not run (not built, or which input is newer than it).
 * `checkInputs: false` (the packaged app, which ships no sources) only reads which build is current.
 */
export function currentBundle(root, { checkInputs = true } = {}) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(path.join(root, BUNDLE_ROOT, MANIFEST), 'utf8'));
  } catch {
    return { ok: false, reason: 'not built' };
  }
  if (typeof manifest.build !== 'string' || typeof manifest.startedAtMs !== 'number' || !Array.isArray(manifest.inputs)) return { ok: false, reason: 'its manifest is unreadable' };
  for (const input of checkInputs ? manifest.inputs : []) {
    let modified;
    try {
      modified = statSync(path.join(root, input)).mtimeMs;
    } catch {
      return { ok: false, reason: `${input} is gone` };
    }
    if (modified >= manifest.startedAtMs) return { ok: false, reason: `${input} changed since the build` };
  }
  return { ok: true, dir: path.join(root, BUNDLE_ROOT, manifest.build) };
}
