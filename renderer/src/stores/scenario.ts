// The scenario panel's state (issue 22): the scenarios the host offers, the attempt on the running
// lab as the host grades it (scenario.progress events), the fault seed the instructor fixed (none: a
// new fault each attempt), and Undo's last answer. Everything is the host's word: the panel never
// grades anything itself; a result exported for a gradebook is the host's JSON or CSV.
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { ScenarioEntry, ScenarioProgress } from '../../../emulator/protocol/scenario-view.ts';
import { useLabStore } from './lab.ts';
import { hostEvents } from '../composables/host-events.ts';
import { downloadText } from '../composables/download.ts';
import type { HostEvent, Transport } from './lab-types.ts';

export type { ScenarioEntry, ScenarioProgress };

export const useScenarioStore = defineStore('scenario', () => {
  const open = ref(false);
  const scenarios = ref<ScenarioEntry[]>([]);
  const progress = shallowRef<ScenarioProgress | null>(null);
  const error = ref<string | undefined>(undefined);
  /** The instructor's fault seed for every attempt (every trainee meets the same fault); null: drawn anew each attempt. */
  const faultSeed = ref<number | null>(null);
  /** Undo's last word: what was undone, or why nothing was. */
  const undoNote = ref<string | undefined>(undefined);
  /** What can still be undone, newest last (as the host last said). */
  const undoable = ref<string[]>([]);
  const events = hostEvents((event) => receive(event));

  /** Listens to the lab's Transport (once it is connected) and reads the host's list and attempt. */
  async function attach(): Promise<void> {
    if (events.follow()) await refresh();
  }

  async function refresh(): Promise<void> {
    await ask(async (transport) => {
      scenarios.value = await transport.request('scenario.list', {});
      progress.value = await transport.request('scenario.status', {});
    });
  }

  function receive(event: HostEvent): void {
    if (event.type === 'scenario.progress') progress.value = event.progress;
    // Another lab, a restore, an undo or a reconnect: nothing undone yet on it, and the attempt as the host has it.
    else if (event.type === 'lab.reset') void ask(async (transport) => { progress.value = await transport.request('scenario.status', {}); });
  }

  async function ask(work: (transport: Transport) => Promise<void>): Promise<void> {
    const transport = useLabStore().hostTransport();
    if (!transport) return;
    try {
      error.value = undefined;
      await work(transport);
    } catch (failure) {
      error.value = failure instanceof Error ? failure.message : String(failure);
    }
  }

  const start = (name: string) => ask(async (transport) => {
    progress.value = await transport.request('scenario.start', faultSeed.value === null ? { name } : { name, faultSeed: faultSeed.value });
    undoable.value = [];
  });
  const hint = (index: number) => ask(async (transport) => { progress.value = await transport.request('scenario.hint', { hint: index }); });
  const finish = () => ask(async (transport) => { progress.value = await transport.request('scenario.finish', {}); });
  /** Saves the ended attempt's result as the host writes it: JSON, or a gradebook's CSV header and row. */
  const exportResult = (format: 'json' | 'csv') => ask(async (transport) => {
    const file = await transport.request('scenario.export', { format });
    downloadText(file.fileName, file.text, format === 'csv' ? 'text/csv' : 'application/json');
  });
  /** Leaves the result card for the picker (the lab stays as it is). */
  const dismiss = () => { progress.value = null; };

  async function undo(): Promise<void> {
    await ask(async (transport) => {
      const answer = await transport.request('lab.undo', {});
      undoNote.value = answer.ok ? `undone: ${answer.undone}` : answer.error;
      if (answer.ok) undoable.value = answer.left;
    });
  }

  function toggle(): void {
    open.value = !open.value;
    if (open.value) void attach();
  }

  return { open, scenarios, progress, error, faultSeed, undoNote, undoable, attach, refresh, start, hint, finish, exportResult, dismiss, undo, toggle };
});
