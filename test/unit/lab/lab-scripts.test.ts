// Every committed lab script (test/scripts/**/*.script) runs as a trainee would run it — `filerlab run
// <lab> --for <d> --script <file> --json` — and must pass each of its `expect` lines with no invariant
// violation. A script may name its lab, duration and seed in its header (`# lab: cluster-4`,
// `# for: 240s`, `# seed: 7`); by default ha-pair, seed 1, until its last line. A script that shows a
// loss the lab declares says which violations it expects (`# violations: lost-write stale-read`): then
// there must be some, all of those kinds, and the run exits 1 as any run with violations does.
// docs/claims.md points at these files.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runLabScript, scriptsUnder } from './lab-script-runner.ts';

describe('committed lab scripts', () => {
  for (const path of scriptsUnder(ROOT)) {
    it(relative(ROOT, path), async () => {
      const { code, stderr, document } = await runLabScript(path);
      const expected = /^# violations: (.+)$/m.exec(readFileSync(path, 'utf8'))?.[1].trim().split(/\s+/);
      expect(document.expectations.failed).toEqual([]);
      if (expected) {
        const kinds = (document.violations as { kind?: string }[]).map((violation) => violation.kind ?? '');
        expect(kinds.length).toBeGreaterThan(0);
        expect(kinds.filter((kind) => !expected.includes(kind))).toEqual([]);
      } else {
        expect(document.violations).toEqual([]);
      }
      // A script that checks nothing shows nothing.
      expect(document.expectations.passed).toBeGreaterThan(0);
      expect(stderr).toBe('');
      expect(code).toBe(expected ? 1 : 0);
    }, 120_000);
  }
});
