// How a delta from the host patches the lab snapshot. Pure, so it is tested without Vue: the store
// swaps the result into its shallowRef, and nothing of the lab ever becomes deeply reactive.
import type { EmsRecord, LabDelta, LabView } from '../../../emulator/protocol/channels.ts';

/** The timeline keeps this many events; older ones are in the filer's /etc/messages, not here. */
export const EMS_KEPT = 5_000;

export function applyDelta(view: LabView, delta: LabDelta): LabView {
  let state = view.state;
  if (delta.patches.length > 0) {
    state = { ...view.state };
    for (const [path, value] of delta.patches) {
      // A patch to undefined (sent as null by JSON) removes the path: a part that stopped publishing it.
      if (value === null || value === undefined) delete state[path];
      else state[path] = value;
    }
  }
  return {
    ...view,
    atUs: Math.max(view.atUs, delta.atUs),
    pace: delta.pace,
    state,
    unplugged: delta.unplugged ?? view.unplugged,
    ems: delta.ems.length > 0 ? appendBounded(view.ems, delta.ems) : view.ems,
  };
}

function appendBounded(kept: EmsRecord[], added: EmsRecord[]): EmsRecord[] {
  const all = kept.concat(added);
  return all.length > EMS_KEPT ? all.slice(all.length - EMS_KEPT) : all;
}
