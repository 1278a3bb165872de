// Work is not thrown away without a word (issue 19): a lab that has run is replaced (Open file, the lab
// picker, Restore) only once the trainee says so, with the choice to save its state first; the
// "saved …" note goes with the lab it was about.
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { LabView, Transport } from '../../../emulator/protocol/channels.ts';
import { needsConfirmation, replaceQuestion } from '../../../renderer/src/composables/replace-guard.ts';
import { useLabStore } from '../../../renderer/src/stores/lab.ts';
import { useLabFilesStore } from '../../../renderer/src/stores/lab-files.ts';

const view = (lab: string, atUs: number): LabView => ({ lab, seed: 1, atUs, pace: { mode: 'running', speed: 1 }, topology: { actors: [], cables: [] }, state: {}, unplugged: [], ems: [] });

/** A host that records requests: saves answer a saved lab (or fail), lab.open answers the lab asked for. */
function fakeHost(saveFails = false) {
  const asked: string[] = [];
  const transport = {
    subscribe: () => () => undefined,
    async request(channel: string, args: { lab?: string }) {
      asked.push(channel);
      if (channel === 'lab.hello') return view('ha-pair', 5_000_000);
      if (channel === 'lab.list') return ['ha-pair', 'cluster-4'];
      if (channel === 'lab.saveState') {
        if (saveFails) throw new Error('disk full');
        return { name: 'ha-pair-1', lab: 'ha-pair', atUs: 5_000_000, bytes: 10, savedAtMs: 0 };
      }
      if (channel === 'lab.open') return view(args.lab ?? '', 0);
      throw new Error(`unexpected ${channel}`);
    },
  } as unknown as Transport;
  return { asked, transport };
}

describe('replacing a lab that has run', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('asks only once the lab has run, in words that name both labs', () => {
    expect(needsConfirmation(undefined)).toBe(false);
    expect(needsConfirmation({ lab: 'ha-pair', atUs: 0 })).toBe(false);
    expect(needsConfirmation({ lab: 'ha-pair', atUs: 1 })).toBe(true);
    expect(replaceQuestion({ lab: 'ha-pair', atUs: 5 }, 'cluster-4', '00:00:05.000')).toMatch(/^Replace ha-pair \(at 00:00:05\.000\) with cluster-4\? .*save its state/);
  });

  it('waits for the answer: cancel keeps the lab; save-then-replace saves first; the saved note goes with the lab', async () => {
    const lab = useLabStore();
    const files = useLabFilesStore();
    const host = fakeHost();
    await lab.connect(host.transport);
    await files.guardReplace('cluster-4', () => lab.openLab('cluster-4'));
    expect(files.pendingReplace?.what).toBe('cluster-4');
    files.cancelReplace();
    expect(files.pendingReplace).toBeUndefined();
    expect(host.asked).not.toContain('lab.open');

    await files.saveState();
    expect(files.savedGeneration).toBe(lab.generation);
    await files.guardReplace('cluster-4', () => lab.openLab('cluster-4'));
    await files.confirmReplace(true);
    expect(host.asked.slice(-2)).toEqual(['lab.saveState', 'lab.open']);
    expect(lab.snapshot?.lab).toBe('cluster-4');
    expect(files.savedGeneration).not.toBe(lab.generation);

    // A lab at 0 has nothing to lose: replaced at once.
    await files.guardReplace('ha-pair', () => lab.openLab('ha-pair'));
    expect(files.pendingReplace).toBeUndefined();
    expect(lab.snapshot?.lab).toBe('ha-pair');
  });

  it('replaces nothing when the save it was asked to make first fails', async () => {
    const lab = useLabStore();
    const files = useLabFilesStore();
    const host = fakeHost(true);
    await lab.connect(host.transport);
    await files.guardReplace('cluster-4', () => lab.openLab('cluster-4'));
    await files.confirmReplace(true);
    expect(host.asked).not.toContain('lab.open');
    expect(lab.snapshot?.lab).toBe('ha-pair');
    expect(lab.lastError).toBe('disk full');
  });
});
