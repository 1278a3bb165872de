// Forgiving (issue 19): what repairs a part, as the inputs a trainee could have sent one by one from its
// menu: clear each fault it reports (a filer's `faults`, a shelf's failed power supply or power, a
// switch that is down, each disk not ok), power it on, plug back its pulled cable ends. The host checks
// each input like any other; nothing here reaches inside the lab. Pure, tested without a DOM.
import type { LabInput, LabView } from '../stores/lab-types.ts';
import { isPowered } from './part-actions.ts';

type State = LabView['state'];
const DISK_FAULT_OF_HEALTH: Readonly<Record<string, string>> = { failed: 'fail', slow: 'slow', 'media-error': 'media-error' };

const clear = (actor: string, fault: string, args: string[] = []): LabInput => ({ kind: 'actor', actor, input: { kind: 'clear', fault, args } });

function faultsOf(state: State, actor: string, kind: string): LabInput[] {
  const listed = state[`${actor}.faults`];
  const faults = Array.isArray(listed) ? listed.filter((fault): fault is string => typeof fault === 'string') : [];
  if (kind === 'shelf') {
    const psus = state[`${actor}.psus`];
    if (Array.isArray(psus) && psus.some((unit) => unit !== true)) faults.push('psu');
  }
  if (kind === 'switch' && state[`${actor}.state`] === 'down') faults.push('down');
  return [...new Set(faults)].map((fault) => clear(actor, fault));
}

function disksOf(state: State, shelf: string, bay?: number): LabInput[] {
  const prefix = `${shelf}.bays.`;
  return Object.keys(state).flatMap((path) => {
    const match = path.startsWith(prefix) ? /^(\d+)\.state$/.exec(path.slice(prefix.length)) : null;
    const fault = match ? DISK_FAULT_OF_HEALTH[String(state[path])] : undefined;
    if (!match || !fault || (bay !== undefined && Number(match[1]) !== bay)) return [];
    return [clear(shelf, fault, [match[1]])];
  });
}

/** The inputs that repair `actor` (or only the disk in `bay` of a shelf); none when it is whole. */
export function repairInputs(view: LabView, actor: string, bay?: number): LabInput[] {
  if (bay !== undefined) return disksOf(view.state, actor, bay);
  const kind = view.topology.actors.find((candidate) => candidate.id === actor)?.kind ?? '';
  const power: LabInput[] = view.state[`${actor}.power`] !== undefined && !isPowered(view.state[`${actor}.power`])
    ? [{ kind: 'actor', actor, input: { kind: 'power', on: true } }] : [];
  const plugs = view.unplugged
    .filter((end) => end.startsWith(`${actor}:`))
    .map((end): LabInput => ({ kind: 'cable', end: { actor, port: end.slice(actor.length + 1) }, plugged: true }));
  return [...faultsOf(view.state, actor, kind), ...(kind === 'shelf' ? disksOf(view.state, actor) : []), ...power, ...plugs];
}

/** Every part repaired: the lab's faults cleared, parts on, cables plugged. */
export function repairAllInputs(view: LabView): LabInput[] {
  return view.topology.actors.flatMap((actor) => repairInputs(view, actor.id));
}
