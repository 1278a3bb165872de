// `filerlab serve|start --seed N` (issue 19): the seed given at launch is the seed of every lab the
// window opens, Reset included (a built-in lab reopened by name, a lab file by its text), ahead of the
// lab file's own `seed:`. Before, serve took no --seed and Reset always ran the file's seed.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parseServeArgs } from '../../../emulator/cli/serve.ts';
import { dispatchRequest } from '../../../emulator/host/ipc-dispatch.ts';
import { createLabHost } from '../../../emulator/host/server/create-lab-host.ts';
import type { LabHost } from '../../../emulator/host/lab-host.ts';
import { builtinLabPath } from '../../../emulator/lab/catalog.ts';

let host: LabHost | undefined;
afterEach(async () => { await host?.dispose(); host = undefined; });

async function ask(channel: 'lab.open' | 'lab.openText', args: unknown): Promise<{ seed: number }> {
  const outcome = await dispatchRequest(host!, channel, args, () => {});
  if (!outcome.ok) throw new Error(outcome.error);
  const result = outcome.result as { seed?: number; view?: { seed: number } };
  return { seed: result.view?.seed ?? result.seed! };
}

describe('the seed given at launch', () => {
  it('serve and start read --seed, and refuse one that is not a whole number', () => {
    const parsed = parseServeArgs(['--seed', '7', '--lab', 'cluster-4']);
    expect(parsed).toMatchObject({ ok: true, options: { seed: 7, lab: 'cluster-4' } });
    expect(parseServeArgs(['--port', '0'])).toMatchObject({ ok: true, options: { seed: undefined } });
    expect(parseServeArgs(['--seed', '-3'])).toEqual({ ok: false, error: "--seed takes a whole number, not '-3'" });
  });

  it('runs every lab the window opens or resets with it, a lab file with its own seed: too', async () => {
    host = await createLabHost({ lab: 'ha-pair', seed: 7, placement: 'single' });
    expect(host.view().seed).toBe(7);
    // Reset of a built-in lab: lab.open by its name.
    expect(await ask('lab.open', { lab: 'ha-pair' })).toEqual({ seed: 7 });
    // Reset of a lab opened from a file: its text again, with a `seed:` of its own.
    const yaml = `${readFileSync(builtinLabPath('ha-pair'), 'utf8').replace(/^seed:.*\n/m, '')}seed: 42\n`;
    expect(await ask('lab.openText', { name: 'mine.lab.yaml', yaml })).toEqual({ seed: 7 });
  });

  it('without --seed a lab file runs with its own seed:', async () => {
    host = await createLabHost({ lab: 'ha-pair', placement: 'single' });
    const yaml = `${readFileSync(builtinLabPath('ha-pair'), 'utf8').replace(/^seed:.*\n/m, '')}seed: 42\n`;
    expect(await ask('lab.openText', { name: 'mine.lab.yaml', yaml })).toEqual({ seed: 42 });
  });
});
