// Builds the Node side of FilerLab into JavaScript (issue 20: start fast, ship as JavaScript): the CLI,
// the lab host, the modules worker threads and child processes load by URL, and Electron's main
// process, as ES module bundles in dist/node (shared code in chunks beside them, so a worker thread
// that imports the behaviour registry shares one copy of the engine with it).
//
// The sources find files next to themselves through import.meta.url (the labs' YAML, the scenarios,
// the built renderer, the repository root). A bundle lives elsewhere, so this build rewrites, in each
// source it loads:
//   new URL('./x.ts', import.meta.url)  → the bundle built from x.ts (it must be an entry below: the
//                                         build fails otherwise, so a worker never loads TypeScript
//                                         without tsx);
//   any other import.meta.url / .dirname → the source file's own location, seen from the bundle.
//
// Each build goes to its own folder, dist/node/<build>/, and dist/node/manifest.json (replaced last, in
// one rename) names it, lists every file that went in and when the build started: a launcher runs the
// bundle only while none is newer (scripts/bundle-fresh.mjs), so a stale bundle never runs. A process
// started on an older build keeps loading its own chunks and worker scripts from its own folder; builds
// more than a day old are removed (the newest two are always kept).
//
// `node scripts/build-node.mjs` builds; `--if-stale` only when the bundle is missing or stale;
// `--if-esbuild` (npm's prepare) says so and succeeds when esbuild is not installed.
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUNDLE_ROOT, MANIFEST, currentBundle } from './bundle-fresh.mjs';

const root = path.resolve(import.meta.dirname, '..');

/** Entry name → source. Everything loaded by URL at run time must be here. */
export const ENTRIES = {
  cli: 'emulator/cli/main.ts',
  'engine-worker': 'emulator/host/engine-worker.ts',
  'lab-thread-worker': 'emulator/host/lab-thread-worker.ts',
  'lab-registry': 'emulator/lab/registry.ts',
  'lab-catalog': 'emulator/lab/catalog.ts',
  'lab-components': 'emulator/lab/components.ts',
  'fuzz-child': 'emulator/host/fuzz/child.ts',
  'bench-trivial-actors': 'emulator/host/bench/trivial-actors.ts',
  'electron-main': 'electron/main.ts',
  'electron-console-mode': 'electron/console-mode.ts',
};

const SOURCE_TO_ENTRY = new Map(Object.entries(ENTRIES).map(([name, source]) => [path.join(root, source), name]));

// Stands for the bundle's own import.meta.url while the source's own uses are being rewritten.
const BUNDLE_URL = '__filerlabBundleUrl__';

/** Rewrites a source's import.meta uses for its place in dist/node (see the header). */
export function rewriteImportMeta(text, file, outdir) {
  const fromBundle = path.relative(outdir, file).split(path.sep).join('/');
  const dirFromBundle = path.posix.dirname(fromBundle);
  const moduleUrls = text.replace(/new URL\(\s*(['"])([^'"`$]+\.ts)\1\s*,\s*import\.meta\.url\s*\)/g, (_whole, _quote, relative) => {
    const target = path.resolve(path.dirname(file), relative);
    const entry = SOURCE_TO_ENTRY.get(target);
    if (!entry) throw new Error(`${path.relative(root, file)} loads ${relative} by URL, but it is not an entry of scripts/build-node.mjs`);
    return `new URL(${JSON.stringify(`./${entry}.mjs`)}, ${BUNDLE_URL})`;
  });
  return moduleUrls
    .replace(/import\.meta\.url/g, `new URL(${JSON.stringify(fromBundle)}, ${BUNDLE_URL}).href`)
    .replace(/import\.meta\.dirname/g, `(import.meta.dirname + ${JSON.stringify(`/${dirFromBundle}`)})`)
    .replace(/import\.meta\.filename/g, `(import.meta.dirname + ${JSON.stringify(`/${fromBundle}`)})`)
    .replaceAll(BUNDLE_URL, 'import.meta.url');
}

function importMetaPlugin(outdir) {
  return {
    name: 'filerlab-import-meta',
    setup(builder) {
      builder.onLoad({ filter: /\.ts$/ }, (args) => {
        if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
        const text = readFileSync(args.path, 'utf8');
        return { contents: text.includes('import.meta') ? rewriteImportMeta(text, args.path, outdir) : text, loader: 'ts' };
      });
    },
  };
}

const KEEP_OLD_BUILDS_MS = 24 * 3600_000;

export async function buildNodeBundles() {
  const bundles = path.join(root, BUNDLE_ROOT);
  const startedAtMs = Date.now();
  const buildName = `${startedAtMs.toString(36)}-${process.pid}`;
  const outdir = path.join(bundles, buildName);
  const { build } = await import('esbuild');
  const result = await build({
    absWorkingDir: root,
    entryPoints: ENTRIES,
    outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunk-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Native (node-pty), the app shell (electron), the loader used only by the source fallback (tsx),
    // the bundler itself (never needed at run time), and the browser driver of `bench ui`, which finds
    // its own files through __dirname and so cannot run from inside an ES module bundle.
    external: ['node-pty', 'electron', 'tsx', 'tsx/*', 'esbuild', 'vite', 'playwright-core'],
    // CommonJS dependencies (ws) call require(); give each chunk one, as Node gives a CommonJS module.
    banner: { js: "import { createRequire as __filerlabCreateRequire } from 'node:module'; const require = __filerlabCreateRequire(import.meta.url);" },
    plugins: [importMetaPlugin(outdir)],
    metafile: true,
    logLevel: 'warning',
  });
  const inputs = Object.keys(result.metafile.inputs).filter((input) => !input.includes(':'));
  inputs.push('scripts/build-node.mjs', 'scripts/bundle-fresh.mjs');
  const manifest = path.join(bundles, MANIFEST);
  writeFileSync(`${manifest}.${process.pid}`, `${JSON.stringify({ build: buildName, startedAtMs, inputs }, null, 1)}\n`);
  renameSync(`${manifest}.${process.pid}`, manifest);
  removeOldBuilds(bundles, buildName);
  return { inputs: inputs.length, outdir };
}

function removeOldBuilds(bundles, current) {
  const builds = readdirSync(bundles, { withFileTypes: true }).filter((entry) => entry.isDirectory() && entry.name !== current)
    .map((entry) => ({ dir: path.join(bundles, entry.name), modified: statSync(path.join(bundles, entry.name)).mtimeMs }))
    .sort((left, right) => right.modified - left.modified);
  for (const old of builds.slice(1)) if (Date.now() - old.modified > KEEP_OLD_BUILDS_MS) rmSync(old.dir, { recursive: true, force: true });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const ifStale = process.argv.includes('--if-stale');
  const current = currentBundle(root);
  const reason = ifStale ? (current.ok ? undefined : current.reason) : 'asked to build';
  // `npm install` (prepare) without the dev dependencies has no esbuild: the launcher runs the sources.
  if (process.argv.includes('--if-esbuild') && !(await import('esbuild').then(() => true, () => false))) {
    console.error('build-node: esbuild is not installed; filerlab will run its sources through tsx');
  } else if (reason) {
    const started = Date.now();
    const built = await buildNodeBundles();
    console.error(`build-node: ${path.relative(root, built.outdir)} from ${built.inputs} files in ${Date.now() - started} ms${ifStale ? ` (${reason})` : ''}`);
  }
}
