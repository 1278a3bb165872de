// The window's Save state and Restore, through the request dispatcher as a UI reaches them, on the
// real ha-pair lab: a saved lab is listed, and restored it stands exactly where it was saved (same
// virtual time and trace hash, the pulled cable still pulled, the diagram's view and the consoles'
// scrollback back at once) and goes on from there; a damaged or unknown file is refused with why
// and the running lab goes on untouched.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadLabSources } from '../../../emulator/host/engine-lab-loader.ts';
import { createLabSession } from '../../../emulator/host/lab-session.ts';
import type { LabSession } from '../../../emulator/host/lab-session.ts';
import { askHost, sleep } from './session-requests.ts';
import type { LabView, OpenTextAnswer, RequestChannel, SavedState } from '../../../emulator/protocol/channels.ts';

let session: LabSession | undefined;
afterEach(async () => { await session?.dispose(); session = undefined; });

const ask = (channel: RequestChannel, args: unknown) => askHost(session!, channel, args);

async function startSession(dir: string): Promise<LabSession> {
  const loaded = await loadLabSources();
  if (!loaded.ok) throw new Error(loaded.error);
  return createLabSession({ sources: loaded.sources, lab: 'ha-pair', seed: 3, savedLabsDir: dir, pace: { mode: 'running', speed: 'max' } });
}

describe('Save state and Restore', () => {
  it('restores a saved lab where it stood, view and all, and it goes on from there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'filerlab-saved-'));
    session = await startSession(dir);
    for (let waited = 0; waited < 10_000 && session.view().atUs < 5_000_000; waited += 50) await sleep(50);
    expect(session.input({ kind: 'cable', end: { actor: 'filerA', port: '0a' }, plugged: false })).toEqual({ ok: true });
    expect(session.input({ kind: 'actor', actor: 'filerA', input: { kind: 'console', data: 'sysconfig -r\r' } })).toEqual({ ok: true });
    // At max speed a slice may cover seconds: wait until the filer has had time to answer.
    const inputAtUs = session.view().atUs;
    for (let waited = 0; waited < 10_000 && session.view().atUs < inputAtUs + 2_000_000; waited += 50) await sleep(50);
    await ask('lab.pace', { mode: 'paused', speed: 'max' });
    await sleep(50);
    const original = session.current!;
    const savedHash = await original.traceHash();
    const savedAtUs = original.nowUs;
    const savedView = session.view();

    const saved = await ask('lab.saveState', {}) as SavedState;
    expect(saved).toMatchObject({ lab: 'ha-pair', atUs: savedAtUs });
    expect(saved.name).toMatch(/^ha-pair-\d+s\.state$/);
    expect(saved.bytes).toBeGreaterThan(1_000_000);
    expect(await ask('lab.savedStates', {})).toEqual([saved]);
    // A second save at the same moment gets a name of its own.
    expect((await ask('lab.saveState', {}) as SavedState).name).toBe(saved.name.replace('.state', '-2.state'));

    await ask('lab.pace', { mode: 'running', speed: 'max' });
    expect(session.input({ kind: 'cable', end: { actor: 'filerA', port: '0a' }, plugged: true })).toEqual({ ok: true });
    for (let waited = 0; waited < 10_000 && session.view().atUs < savedAtUs + 3_000_000; waited += 50) await sleep(50);
    await ask('lab.pace', { mode: 'paused', speed: 'max' });

    const restored = await ask('lab.restoreState', { name: saved.name }) as OpenTextAnswer & { view: LabView };
    expect(restored.ok).toBe(true);
    expect(restored.view.atUs).toBe(savedAtUs);
    expect(restored.view.unplugged).toEqual(['filerA:0a']);
    expect(restored.view.state).toEqual(savedView.state);
    expect(session.scrollback('filerA')).toContain('sysconfig -r');
    expect(await session.current!.traceHash()).toBe(savedHash);
    expect(await ask('lab.source', {})).toMatchObject({ name: 'ha-pair' });

    // It goes on: time moves again from the saved moment.
    await ask('lab.pace', { mode: 'running', speed: 'max' });
    for (let waited = 0; waited < 10_000 && session.view().atUs < savedAtUs + 1_000_000; waited += 50) await sleep(50);
    expect(session.view().atUs).toBeGreaterThan(savedAtUs);
  }, 60_000);

  it('refuses an unknown name, a path, and a damaged file, and the running lab goes on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'filerlab-saved-'));
    session = await startSession(dir);
    await ask('lab.pace', { mode: 'paused', speed: 'max' });
    const saved = await ask('lab.saveState', {}) as SavedState;
    const running = session.current;
    expect(await ask('lab.restoreState', { name: 'nothing.state' })).toEqual({ ok: false, errors: ['no saved lab named nothing.state'] });
    expect(await ask('lab.restoreState', { name: '../../etc/passwd' })).toEqual({ ok: false, errors: ["'../../etc/passwd' is not the name of a saved lab"] });
    const bytes = readFileSync(join(dir, saved.name));
    bytes[bytes.length - 1] ^= 0xff;
    writeFileSync(join(dir, 'damaged.state'), bytes);
    expect(await ask('lab.restoreState', { name: 'damaged.state' })).toEqual({
      ok: false, errors: ['damaged.state: its contents do not match their checksum (the file was changed or damaged)'],
    });
    writeFileSync(join(dir, 'notes.state'), 'not a lab\n');
    // Listed: the good and the damaged one (its header reads); not the file that is no saved lab.
    expect((await ask('lab.savedStates', {}) as SavedState[]).map((state) => state.name).sort()).toEqual(['damaged.state', saved.name]);
    expect(session.current).toBe(running);
  }, 60_000);
});
