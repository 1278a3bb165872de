// lab.open from a UI (issue 21): the socket was a door into the user's files — it read any path and a
// YAML error quoted it. Now it takes built-in labs, the lab given at launch, and *.lab.yaml files in the
// labs folder; anything else is refused without a word of the file's content.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { builtinLabPath } from '../../../emulator/lab/catalog.ts';
import { dispatchRequest } from '../../../emulator/host/ipc-dispatch.ts';
import { createLabSession } from '../../../emulator/host/lab-session.ts';
import type { LabSession } from '../../../emulator/host/lab-session.ts';

const SECRET = 'AWS_SECRET_ACCESS_KEY: hunter2-do-not-echo';
let dir: string;
let labsDir: string;
let session: LabSession | undefined;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'filerlab-open-policy-'));
  labsDir = path.join(dir, 'labs');
  mkdirSync(labsDir);
  copyFileSync(builtinLabPath('ha-pair'), path.join(labsDir, 'mine.lab.yaml'));
  copyFileSync(builtinLabPath('ha-pair'), path.join(dir, 'elsewhere.lab.yaml'));
  copyFileSync(builtinLabPath('ha-pair'), path.join(dir, 'launched.lab.yaml'));
  writeFileSync(path.join(dir, '.env'), `${SECRET}\n`);
  writeFileSync(path.join(labsDir, 'secret.lab.yaml'), `${SECRET}\n: [\n`);
  symlinkSync(path.join(dir, 'elsewhere.lab.yaml'), path.join(labsDir, 'link.lab.yaml'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => { await session?.dispose(); session = undefined; });

async function open(lab: string): Promise<{ ok: boolean; error?: string }> {
  const outcome = await dispatchRequest(session!, 'lab.open', { lab }, () => {});
  return outcome.ok ? { ok: true } : { ok: false, error: outcome.error };
}

describe('lab.open from a UI', () => {
  it('opens built-in labs, the launch lab again, and lab files in the labs folder', async () => {
    session = await createLabSession({ lab: path.join(dir, 'launched.lab.yaml'), labsDir, pace: { mode: 'paused', speed: 1 } });
    expect(await open('cluster-4')).toEqual({ ok: true });
    expect(await open(path.join(labsDir, 'mine.lab.yaml'))).toEqual({ ok: true });
    expect(await open(path.join(dir, 'launched.lab.yaml'))).toEqual({ ok: true });
  });

  it('refuses any other path, and never quotes a file that is not a lab file', async () => {
    session = await createLabSession({ lab: 'ha-pair', labsDir, pace: { mode: 'paused', speed: 1 } });
    const refusals = await Promise.all([
      path.join(dir, '.env'), '/etc/passwd', path.join(dir, 'elsewhere.lab.yaml'), path.join(labsDir, '..', 'elsewhere.lab.yaml'),
      path.join(labsDir, 'link.lab.yaml'), path.join(labsDir, 'secret.lab.yaml'), path.join(labsDir, 'missing.lab.yaml'), 'constructor', '../../etc/passwd',
    ].map(open));
    for (const answer of refusals) {
      expect(answer.ok).toBe(false);
      expect(answer.error).not.toContain('hunter2');
      expect(answer.error).not.toContain('root:');
    }
    expect(refusals[0]!.error).toContain('is not a built-in lab');
    expect(refusals[2]!.error).toContain('is outside the labs folder');
    expect(refusals[4]!.error).toContain('is outside the labs folder');
    expect(refusals[5]!.error).toContain('is not a lab file');
    expect(session.view().lab).toBe('ha-pair');
  });
});
