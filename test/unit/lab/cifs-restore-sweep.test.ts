// Seed 003 claims 3/24: the CIFS state is saved only at points where it is consistent. A sweep of
// crash times with `options cifs.persistent_state on` — a panic of filerA at times spread over a few
// workload seeds, taken over by filerB (cf enabled) or rebooted (cf disabled) — must leave every restore
// reading a consistent record (`lastRestore.consistent`), c2's session resumed, no write lost and no
// violation. The times are not chosen to hit a stage: they land wherever c2's requests happen to be.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { savedStateProblems } from '../../../emulator/ontap/fileservice/cifs-persist-state.ts';
import { createCifsState } from '../../../emulator/ontap/fileservice/cifs-state.ts';
import { runLabScript } from './lab-script-runner.ts';

interface Case { readonly seed: number; readonly at: string; readonly recovery: 'takeover' | 'reboot' }

const CASES: readonly Case[] = [
  { seed: 1, at: '10.013s', recovery: 'takeover' },
  { seed: 1, at: '10.271s', recovery: 'takeover' },
  { seed: 1, at: '10.529s', recovery: 'reboot' },
  { seed: 2, at: '10.787s', recovery: 'takeover' },
  { seed: 2, at: '11.045s', recovery: 'reboot' },
  { seed: 3, at: '11.303s', recovery: 'takeover' },
  { seed: 3, at: '11.561s', recovery: 'reboot' },
  { seed: 4, at: '11.819s', recovery: 'takeover' },
];

function script(c: Case): string {
  const restorer = c.recovery === 'takeover' ? 'filerB' : 'filerA';
  return [
    '# lab: ha-pair', '# for: 45s', `# seed: ${c.seed}`,
    'at 1s console filerA "options cifs.persistent_state on"',
    ...(c.recovery === 'reboot' ? ['at 1s console filerA "cf disable"'] : []),
    `at ${c.at} fault filerA panic`,
    `at 45s expect filers.${restorer}.cifs.lastRestore.source == "${c.recovery === 'takeover' ? 'partner-nvram' : 'local-nvram'}"`,
    `at 45s expect filers.${restorer}.cifs.lastRestore.sessions >= 1`,
    `at 45s expect filers.${restorer}.cifs.lastRestore.consistent == true`,
    'at 45s expect clients.c2.sessionsDropped == 0',
    'at 45s expect clients.c2.staleHandles == 0',
    'at 45s expect clients.c2.locksLost == 0',
    'at 45s expect clients.c2.lostWrites == 0',
    'at 45s expect violations == []',
    '',
  ].join('\n');
}

describe('seed 003: every restore after a crash at any time reads a consistent record', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cifs-sweep-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  for (const c of CASES) {
    it(`seed ${c.seed}, panic at ${c.at}, ${c.recovery}`, async () => {
      const path = join(dir, `seed${c.seed}-${c.at}-${c.recovery}.script`);
      writeFileSync(path, script(c));
      const { code, stderr, document } = await runLabScript(path);
      expect(document.expectations.failed).toEqual([]);
      expect(document.violations).toEqual([]);
      expect(document.expectations.passed).toBe(8);
      expect(stderr).toBe('');
      expect(code).toBe(0);
    }, 120_000);
  }
});

describe('seed 003: the consistency check finds what is wrong', () => {
  it('a lock without its open, an open without its tree, a completed request without a reply', () => {
    const state = createCifsState();
    state.locks.push({ fid: 7, offset: 0, length: 1, exclusive: true });
    state.opens[1] = { fid: 1, uid: 100, tid: 1, path: 'x', handle: { fsid: 1, fileId: 2, generation: 1 }, openedUs: 0 };
    state.nextFid = 2;
    const request = { kind: 'cifs.request', connection: 1, mid: 3, request: { command: 'ECHO' } } as const;
    state.inProgress['c/1#3'] = { connection: 'c/1', mid: 3, request, stage: 'completed', reply: null };
    const problems = savedStateProblems(state);
    expect(problems).toContain('lock on fid 7: no such open');
    expect(problems).toContain('open 1: session 100 tree 1 not saved');
    expect(problems).toContain('request c/1#3: completed without a reply');
    expect(savedStateProblems(createCifsState())).toEqual([]);
  });
});
