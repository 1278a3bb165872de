// The lab as the UI sees it: the host's latest snapshot in a shallowRef, replaced by resets and
// patched by deltas. Components read it and call the actions below, which send typed intentions
// (pull a cable, inject a fault, set the pace) through the Transport; the host answers in deltas.
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { HostEvent, LabInput, LabView, Pace, Transport } from './lab-types.ts';
import { applyDelta } from './apply-delta.ts';
import { repairAllInputs, repairInputs } from '../composables/repair.ts';
import { addSample, isStatsSample } from '../composables/client-series.ts';
import type { ClientSeries } from '../composables/client-series.ts';

export type Connection = 'connecting' | 'live' | 'lost';
type ConsoleListener = (data: string) => void;

export const useLabStore = defineStore('lab', () => {
  const snapshot = shallowRef<LabView | undefined>(undefined);
  const connection = ref<Connection>('connecting');
  const selected = ref<string | undefined>(undefined);
  /** A disk picked on the selected shelf (its bay clicked): the inspector shows its card. */
  const selectedDisk = ref<{ shelf: string; bay: number } | undefined>(undefined);
  const lastError = ref<string | undefined>(undefined);
  const labs = ref<string[]>([]);
  /** Chart series per client, fed by `<client>.stats` patches; `chartTick` bumps when one grows. */
  const series = new Map<string, ClientSeries>();
  const chartTick = ref(0);
  /** The part the timeline jumped to (the diagram flashes it). */
  const focused = ref<{ actor: string; atUs: number } | undefined>(undefined);
  /** The part a hovered timeline row concerns (the diagram lights it). */
  const highlighted = ref<string | undefined>(undefined);
  const consoleListeners = new Map<string, Set<ConsoleListener>>();
  /** Bumped each time a lab replaces the shown one (open, restore, reconnect): notes about the old one go. */
  const generation = ref(0);
  let transport: Transport | undefined;
  let unsubscribe: (() => void) | undefined;

  function receive(event: HostEvent): void {
    if (event.type === 'lab.reset') {
      reset(event.view);
      connection.value = 'live';
      return;
    }
    // pty.* events belong to the console pane that opened the PTY (it subscribes on the transport).
    if (event.type !== 'lab.delta' || !snapshot.value) return;
    snapshot.value = applyDelta(snapshot.value, event.delta);
    feedCharts(event.delta.patches);
    for (const [filer, data] of Object.entries(event.delta.console)) {
      for (const listener of consoleListeners.get(filer) ?? []) listener(data);
    }
  }

  function reset(view: LabView): void {
    snapshot.value = view;
    generation.value++;
    series.clear();
    feedCharts(Object.entries(view.state));
  }

  function feedCharts(patches: ReadonlyArray<readonly [string, unknown]>): void {
    let grew = false;
    for (const [path, value] of patches) {
      if (!path.endsWith('.stats') || !isStatsSample(value)) continue;
      const client = path.slice(0, -'.stats'.length);
      const entry = series.get(client) ?? { points: [] };
      series.set(client, entry);
      grew = addSample(entry, value) || grew;
    }
    if (grew) chartTick.value++;
  }

  async function connect(to: Transport): Promise<void> {
    unsubscribe?.();
    transport = to;
    unsubscribe = to.subscribe(receive);
    try {
      reset(await to.request('lab.hello', {}));
      connection.value = 'live';
      labs.value = await to.request('lab.list', {});
    } catch (error) {
      connection.value = 'lost';
      report(error);
    }
  }

  function report(error: unknown): void {
    lastError.value = error instanceof Error ? error.message : String(error);
  }

  async function send(input: LabInput): Promise<boolean> {
    if (!transport) return false;
    try {
      const answer = await transport.request('lab.input', { input });
      if (!answer.ok) lastError.value = answer.error ?? 'refused';
      return answer.ok;
    } catch (error) {
      report(error);
      return false;
    }
  }

  const setCable = (actor: string, port: string, plugged: boolean) => send({ kind: 'cable', end: { actor, port }, plugged });
  const injectFault = (actor: string, fault: string, args: string[] = []) => send({ kind: 'actor', actor, input: { kind: 'fault', fault, args } });
  const clearFault = (actor: string, fault: string, args: string[] = []) => send({ kind: 'actor', actor, input: { kind: 'clear', fault, args } });
  const setPower = (actor: string, on: boolean) => send({ kind: 'actor', actor, input: { kind: 'power', on } });
  const typeOnConsole = (filer: string, data: string) => send({ kind: 'actor', actor: filer, input: { kind: 'console', data } });
  const controlClient = (client: string, action: 'start' | 'stop') => send({ kind: 'actor', actor: client, input: { kind: 'client', action } });

  /** Sends inputs one after another; true when the host took them all. */
  async function sendAll(inputs: readonly LabInput[]): Promise<boolean> {
    let ok = true;
    for (const input of inputs) ok = (await send(input)) && ok;
    return ok;
  }
  /** A part (or one disk) put right: its faults cleared, powered on, its cables plugged (repair.ts). */
  const repair = (actor: string, bay?: number) => (snapshot.value ? sendAll(repairInputs(snapshot.value, actor, bay)) : Promise.resolve(false));
  const repairAll = () => (snapshot.value ? sendAll(repairAllInputs(snapshot.value)) : Promise.resolve(false));

  async function setPace(pace: Pace): Promise<void> {
    try {
      const applied = await transport?.request('lab.pace', pace);
      if (applied && snapshot.value) snapshot.value = { ...snapshot.value, pace: applied };
    } catch (error) {
      report(error);
    }
  }

  async function openLab(lab: string): Promise<void> {
    try {
      const view = await transport?.request('lab.open', { lab });
      if (view) reset(view);
      select(undefined);
    } catch (error) {
      report(error);
    }
  }

  async function scrollback(filer: string): Promise<string> {
    return (await transport?.request('console.scrollback', { filer })) ?? '';
  }

  /** Console bytes of one filer as they arrive in deltas; returns a function that unsubscribes. */
  function subscribeConsole(filer: string, listener: ConsoleListener): () => void {
    const set = consoleListeners.get(filer) ?? new Set<ConsoleListener>();
    consoleListeners.set(filer, set);
    set.add(listener);
    return () => set.delete(listener);
  }

  /** The Transport itself, for a console pane's PTY (pty.* requests and events); undefined before connect. */
  function hostTransport(): Transport | undefined {
    return transport;
  }

  function select(actor: string | undefined): void {
    selected.value = actor;
    selectedDisk.value = undefined;
  }

  /** A disk's bay clicked: its shelf is selected and the inspector shows the disk. */
  function pickDisk(shelf: string, bay: number): void {
    selected.value = shelf;
    selectedDisk.value = { shelf, bay };
  }

  function highlight(actor: string | undefined): void {
    highlighted.value = actor;
  }

  /** The timeline's click: select the part and flash it on the diagram. */
  function jumpTo(actor: string, atUs: number): void {
    selected.value = actor;
    focused.value = { actor, atUs };
  }

  return {
    snapshot, connection, selected, selectedDisk, lastError, labs, series, chartTick, focused, highlighted, generation,
    connect, receive, jumpTo, setCable, injectFault, clearFault, setPower, typeOnConsole, controlClient, repair, repairAll, setPace, openLab, scrollback, subscribeConsole, hostTransport, select, pickDisk, highlight,
  };
});
