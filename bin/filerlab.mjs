#!/usr/bin/env node
// Entry point of the `filerlab` command. It runs the JavaScript build of the sources (dist/node, made by
// scripts/build-node.mjs on `npm install` and `npm start`) while that build is as new as every file in
// it, and otherwise the TypeScript sources themselves through tsx: an edited source is never shadowed
// by an old bundle (scripts/bundle-fresh.mjs; docs/performance.md).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { currentBundle } from '../scripts/bundle-fresh.mjs';

// `filerlab bench footprint` times whole processes: asked to, one says what it cost as it exits.
if (process.env.FILERLAB_REPORT_USAGE) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    process.stderr.write(`filerlab-usage maxrss=${usage.maxRSS} cpu=${usage.userCPUTime + usage.systemCPUTime}\n`);
  });
}

const root = path.resolve(import.meta.dirname, '..');
// FILERLAB_FROM_SOURCE=1 runs the sources even when the bundle is fresh (to compare the two).
const bundle = process.env.FILERLAB_FROM_SOURCE ? { ok: false } : currentBundle(root);
let main;
if (!bundle.ok) {
  if (process.stderr.isTTY && bundle.reason) process.stderr.write(`filerlab: running the sources through tsx (the build in dist/node is stale: ${bundle.reason}; \`npm run build:node\` rebuilds it)\n`);
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../emulator/cli/main.ts'));
} else {
  ({ main } = await import(pathToFileURL(path.join(bundle.dir, 'cli.mjs')).href));
}
const code = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  interactive: Boolean(process.stderr.isTTY),
});
process.exitCode = code;
