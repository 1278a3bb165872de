// Bundles the Electron main process (ESM) and the preload (CommonJS: a sandboxed preload cannot be a
// module) into dist/electron with esbuild. The lab host's TypeScript is bundled in; `electron` and
// native modules stay external. The renderer is built separately by `vite build` (dist/renderer).
import { build } from 'esbuild';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const outdir = path.join(root, 'dist', 'electron');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  sourcemap: true,
  logLevel: 'info',
  external: ['electron', 'node-pty', 'bufferutil', 'utf-8-validate'],
};

await build({
  ...common,
  entryPoints: [path.join(root, 'electron', 'main.ts')],
  outfile: path.join(outdir, 'main.js'),
  format: 'esm',
  // Bundled CommonJS dependencies (ws, yaml) may call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __filerlabCreateRequire } from 'node:module'; const require = __filerlabCreateRequire(import.meta.url);" },
});

await build({
  ...common,
  entryPoints: [path.join(root, 'electron', 'preload.ts')],
  outfile: path.join(outdir, 'preload.cjs'),
  format: 'cjs',
});
