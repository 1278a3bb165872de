// The JavaScript build of the Node side (scripts/build-node.mjs, issue 20): a launcher runs it only
// while no file that went into it is newer, and the build points each source's import.meta at the
// source's own place (its labs, its scenarios) and each module loaded by URL at that module's bundle.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');
type Current = { ok: true; dir: string } | { ok: false; reason: string };
const { currentBundle } = await import(pathToFileURL(path.join(ROOT, 'scripts', 'bundle-fresh.mjs')).href) as {
  currentBundle(root: string, options?: { checkInputs?: boolean }): Current;
};
const { rewriteImportMeta } = await import(pathToFileURL(path.join(ROOT, 'scripts', 'build-node.mjs')).href) as {
  rewriteImportMeta(text: string, file: string, outdir: string): string;
};

/** A checkout with one source and a build made at `builtAtMs`. */
function checkout(builtAtMs: number): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'filerlab-build-'));
  mkdirSync(path.join(root, 'src'));
  writeFileSync(path.join(root, 'src', 'a.ts'), 'export const a = 1;\n');
  utimesSync(path.join(root, 'src', 'a.ts'), new Date(builtAtMs - 60_000), new Date(builtAtMs - 60_000));
  mkdirSync(path.join(root, 'dist', 'node', 'b1'), { recursive: true });
  writeFileSync(path.join(root, 'dist', 'node', 'manifest.json'), JSON.stringify({ build: 'b1', startedAtMs: builtAtMs, inputs: ['src/a.ts'] }));
  return root;
}

describe('which build may run', () => {
  it('runs the current build while every input is older than it', () => {
    const root = checkout(Date.now());
    expect(currentBundle(root)).toEqual({ ok: true, dir: path.join(root, 'dist', 'node', 'b1') });
    rmSync(root, { recursive: true, force: true });
  });

  it('refuses a build older than an edited input, or with an input gone, or none', () => {
    const root = checkout(Date.now() - 3_600_000);
    writeFileSync(path.join(root, 'src', 'a.ts'), 'export const a = 2;\n');
    expect(currentBundle(root)).toEqual({ ok: false, reason: 'src/a.ts changed since the build' });
    // The packaged app ships no sources to compare with: it only asks which build is current.
    expect(currentBundle(root, { checkInputs: false }).ok).toBe(true);
    rmSync(path.join(root, 'src', 'a.ts'));
    expect(currentBundle(root)).toEqual({ ok: false, reason: 'src/a.ts is gone' });
    rmSync(path.join(root, 'dist'), { recursive: true });
    expect(currentBundle(root)).toEqual({ ok: false, reason: 'not built' });
    rmSync(root, { recursive: true, force: true });
  });
});

describe("the build's import.meta rewrite", () => {
  const outdir = path.join(ROOT, 'dist', 'node', 'b1');
  const loader = path.join(ROOT, 'emulator', 'host', 'engine-lab-loader.ts');

  it('points a module loaded by URL at its bundle, and other uses at the source file', () => {
    const text = "const R = new URL('../lab/registry.ts', import.meta.url).href;\nconst here = import.meta.url;\nconst dir = import.meta.dirname;";
    const rewritten = rewriteImportMeta(text, loader, outdir);
    expect(rewritten).toContain('const R = new URL("./lab-registry.mjs", import.meta.url).href;');
    expect(rewritten).toContain('const here = new URL("../../../emulator/host/engine-lab-loader.ts", import.meta.url).href;');
    expect(rewritten).toContain('const dir = (import.meta.dirname + "/../../../emulator/host");');
    const bundleUrl = pathToFileURL(path.join(outdir, 'chunk-X.mjs'));
    expect(new URL('../../../emulator/host/engine-lab-loader.ts', bundleUrl).href).toBe(pathToFileURL(loader).href);
  });

  it('fails the build when a module loaded by URL has no bundle of its own', () => {
    expect(() => rewriteImportMeta("new URL('./engine-run.ts', import.meta.url)", loader, outdir)).toThrow(/engine-run\.ts.*not an entry/);
  });
});
