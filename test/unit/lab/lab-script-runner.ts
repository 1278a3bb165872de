// Runs a committed lab script as `filerlab run` does (test/unit/lab/lab-scripts.test.ts runs them all).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand } from '../../../emulator/cli/run.ts';
import { parseScript } from '../../../emulator/lab/script.ts';

export const ROOT = fileURLToPath(new URL('../../scripts', import.meta.url));

export function scriptsUnder(dir: string): string[] {
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

/** `threads`: worker threads in workers placement (default: as the cores allow). */
export async function runLabScript(path: string, placement: 'single' | 'workers' = 'single', threads?: number): Promise<RunOutcome> {
  const text = readFileSync(path, 'utf8');
  const args = [header(text, 'lab') ?? 'ha-pair', '--for', header(text, 'for') ?? lastLineDuration(text), '--seed', header(text, 'seed') ?? '1',
    '--script', path, '--placement', placement, ...(threads === undefined ? [] : ['--threads', String(threads)]), '--json'];
  let stdout = '';
  let stderr = '';
  const code = await runCommand.run(args, { stdout: (chunk) => { stdout += chunk; }, stderr: (chunk) => { stderr += chunk; }, interactive: false });
  return { code, stderr, document: JSON.parse(stdout) };
}

