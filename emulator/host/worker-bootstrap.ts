// The code a worker thread is started with (`eval: true`), for a module named by URL. Built
// (scripts/build-node.mjs) the URL names a JavaScript bundle, which the thread imports as it is. From
// source it is TypeScript: the bootstrap registers tsx's loader (found from this file, so any cwd works)
// and then imports the module. `--import tsx` in execArgv does not reach a worker's entry module on
// Node 20, hence the bootstrap. A module that fails to load throws in the thread, which the starter
// hears as the worker's 'error'.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

export function workerBootstrap(moduleUrl: URL): string {
  const failed = '.catch((error) => { setImmediate(() => { throw error; }); });';
  if (!moduleUrl.pathname.endsWith('.ts')) return `import(${JSON.stringify(moduleUrl.href)})${failed}`;
  const tsxApiUrl = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  return `import(${JSON.stringify(tsxApiUrl)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(moduleUrl.href)}); })${failed}`;
}
