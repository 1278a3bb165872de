// Every committed lab script (test/scripts/**/*.script) runs as a trainee would run it — `filerlab run
// <lab> --for <d> --script <file> --json` — and must pass each of its `expect` lines with no invariant
// violation. A script may name its lab, duration and seed in its header (`# lab: cluster-4`,
// `# for: 240s`, `# seed: 7`); by default ha-pair, seed 1, until its last line. docs/claims.md points
// at these files.
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runLabScript, scriptsUnder } from './lab-script-runner.ts';

describe('committed lab scripts', () => {
  for (const path of scriptsUnder(ROOT)) {
    it(relative(ROOT, path), async () => {
      const { code, stderr, document } = await runLabScript(path);
      expect(document.expectations.failed).toEqual([]);
      expect(document.violations).toEqual([]);
      // A script that checks nothing shows nothing.
      expect(document.expectations.passed).toBeGreaterThan(0);
      expect(stderr).toBe('');
      expect(code).toBe(0);
    }, 120_000);
  }
});
