// The toolbar's Record, Save and Open file: a recording of the running lab (JSON lines, downloaded as
// `<lab>-<seed>.filerlab.jsonl` on stop), the running lab's YAML (`<lab>.lab.yaml`), and a lab file
// read from disk, sent to the host as text. A file the host refuses leaves the running lab alone; its
// errors (`file:line: …`) are kept here for the toolbar to show. Also Save state and Restore: the
// running lab kept on the host as it stands, and put back later to go on from there.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { downloadText } from '../composables/download.ts';
import { needsConfirmation } from '../composables/replace-guard.ts';
import { useLabStore } from './lab.ts';
import type { OpenTextAnswer, SavedState, Transport } from './lab-types.ts';

/** Downloads go through this, so tests can see them without a DOM. */
export type Saver = (fileName: string, text: string, type: string) => void;

export const useLabFilesStore = defineStore('labFiles', () => {
  /** While recording: the virtual time it started at. */
  const recordingSinceUs = ref<number | undefined>(undefined);
  const fileErrors = ref<string[]>([]);
  /** What the error panel says was refused. */
  const fileErrorsTitle = ref('The lab file was not opened:');
  /** The saved labs on the host, newest first, as Restore last listed them. */
  const savedStates = ref<SavedState[]>([]);
  /** The last Save state, for the toolbar to confirm it. */
  const lastSaved = ref<SavedState | undefined>(undefined);
  /** The lab generation (lab store's `generation`) the last Save state was about: its note goes with it. */
  const savedGeneration = ref<number | undefined>(undefined);
  /** A replacement waiting for the trainee's answer (ReplaceDialog.vue): what replaces the lab, and how. */
  const pendingReplace = ref<{ what: string; proceed: () => Promise<unknown> } | undefined>(undefined);
  let save: Saver = downloadText;

  function useSaver(saver: Saver): void {
    save = saver;
  }

  /** One request to the host; a failure lands in the toolbar's error, not in an exception. */
  async function ask<T>(work: (transport: Transport) => Promise<T>): Promise<T | undefined> {
    const lab = useLabStore();
    try {
      const transport = lab.hostTransport();
      if (!transport) throw new Error('not connected to the lab host');
      return await work(transport);
    } catch (error) {
      lab.lastError = error instanceof Error ? error.message : String(error);
      return undefined;
    }
  }

  /** Asks the host whether a recording runs (after a reconnect, say). */
  async function syncRecording(): Promise<void> {
    const answer = await ask((transport) => transport.request('lab.record', { action: 'status' }));
    if (answer) recordingSinceUs.value = answer.recording ? answer.sinceUs : undefined;
  }

  async function toggleRecording(): Promise<void> {
    const action = recordingSinceUs.value === undefined ? 'start' : 'stop';
    const answer = await ask((transport) => transport.request('lab.record', { action }));
    if (!answer) return;
    recordingSinceUs.value = answer.recording ? answer.sinceUs : undefined;
    if (answer.fileName && answer.text !== undefined) save(answer.fileName, answer.text, 'application/jsonl');
  }

  async function saveLab(): Promise<void> {
    const source = await ask((transport) => transport.request('lab.source', {}));
    if (source) save(`${source.name}.lab.yaml`, source.yaml, 'application/yaml');
  }

  async function openLabText(name: string, yaml: string): Promise<boolean> {
    return replaced(await ask((transport) => transport.request('lab.openText', { name, yaml })), 'The lab file was not opened:');
  }

  /** Reset: the running lab again from its start (a built-in lab by its name, else its own source text). */
  async function resetLab(): Promise<boolean> {
    const lab = useLabStore();
    const name = lab.snapshot?.lab;
    if (!name) return false;
    if (lab.labs.includes(name)) { await lab.openLab(name); return true; }
    const source = await ask((transport) => transport.request('lab.source', {}));
    return source ? openLabText(source.name, source.yaml) : false;
  }

  async function saveState(): Promise<boolean> {
    const generation = useLabStore().generation;
    const saved = await ask((transport) => transport.request('lab.saveState', {}));
    if (!saved) return false;
    lastSaved.value = saved;
    savedGeneration.value = generation;
    return true;
  }

  /**
   * Replaces the running lab with `what` through `proceed` — at once when nothing would be lost, else
   * once the trainee answers the question (confirmReplace, cancelReplace).
   */
  async function guardReplace(what: string, proceed: () => Promise<unknown>): Promise<void> {
    if (!needsConfirmation(useLabStore().snapshot)) { await proceed(); return; }
    pendingReplace.value = { what, proceed };
  }

  /** The trainee's yes, with or without saving the running lab's state first (a failed save replaces nothing). */
  async function confirmReplace(saveFirst: boolean): Promise<void> {
    const pending = pendingReplace.value;
    pendingReplace.value = undefined;
    if (!pending) return;
    if (saveFirst && !(await saveState())) return;
    await pending.proceed();
  }

  function cancelReplace(): void {
    pendingReplace.value = undefined;
  }

  async function listSavedStates(): Promise<void> {
    savedStates.value = await ask((transport) => transport.request('lab.savedStates', {})) ?? [];
  }

  async function restoreState(name: string): Promise<boolean> {
    return replaced(await ask((transport) => transport.request('lab.restoreState', { name })), `${name} was not restored:`);
  }

  /** A lab that replaced the running one (its view), or what was refused, with the running lab left alone. */
  function replaced(answer: OpenTextAnswer | undefined, refusedTitle: string): boolean {
    if (!answer) return false;
    if (!answer.ok) {
      fileErrorsTitle.value = refusedTitle;
      fileErrors.value = answer.errors;
      return false;
    }
    fileErrors.value = [];
    recordingSinceUs.value = undefined;
    const lab = useLabStore();
    lab.receive({ type: 'lab.reset', view: answer.view });
    lab.select(undefined);
    return true;
  }

  function dismissErrors(): void {
    fileErrors.value = [];
  }

  return {
    recordingSinceUs, fileErrors, fileErrorsTitle, savedStates, lastSaved, savedGeneration, pendingReplace,
    useSaver, syncRecording, toggleRecording, saveLab, openLabText, resetLab, saveState, listSavedStates, restoreState, dismissErrors,
    guardReplace, confirmReplace, cancelReplace,
  };
});
