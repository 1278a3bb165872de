// Every committed lab script (test/scripts/**/*.script) runs as a trainee would run it — `filerlab run
// <lab> --for <d> --script <file> --json` — and must pass each of its `expect` lines with no invariant
// violation. A script names its lab and duration in its header: `# lab: ha-pair`, `# for: 240s`
// (optionally `# seed: 7`). docs/claims.md points at these files.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../../emulator/cli/run.ts';
import { parseScript } from '../../../emulator/lab/script.ts';

const ROOT = fileURLToPath(new URL('../../scripts', import.meta.url));

function scriptsUnder(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return scriptsUnder(path);
    return name.endsWith('.script') ? [path] : [];
  });
}

function header(text: string, key: string): string | undefined {
  return new RegExp(`^#\\s*${key}:\\s*(\\S+)\\s*$`, 'm').exec(text)?.[1];
}

interface RunOutcome { code: number; stderr: string; document: { expectations: { passed: number; failed: unknown[] }; violations: unknown[]; traceHash: string } }

/** Until the script's last line, when its header names no duration. */
function lastLineDuration(text: string): string {
  const parsed = parseScript(text);
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return `${Math.max(0, ...parsed.lines.map((line) => line.atUs)) / 1000}ms`;
}

export async function runLabScript(path: string, placement: 'single' | 'workers' = 'single'): Promise<RunOutcome> {
  const text = readFileSync(path, 'utf8');
  const args = [header(text, 'lab') ?? 'ha-pair', '--for', header(text, 'for') ?? lastLineDuration(text), '--seed', header(text, 'seed') ?? '1',
    '--script', path, '--placement', placement, '--json'];
  let stdout = '';
  let stderr = '';
  const code = await runCommand.run(args, { stdout: (chunk) => { stdout += chunk; }, stderr: (chunk) => { stderr += chunk; }, interactive: false });
  return { code, stderr, document: JSON.parse(stdout) };
}

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
