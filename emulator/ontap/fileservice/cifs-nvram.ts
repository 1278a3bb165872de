// Writing seed 003's CIFS state to NVRAM (claims 5, 9, 43): the record goes into this filer's own half
// and, over the interconnect, into the partner's half of the partner's card, as the NVRAM log does
// (storage/mirror.ts), so that whichever filer recovers can read it. The flag it carries is chosen
// here: armed while running from whether the partner could take over now (N16), overwritten by a
// planned shutdown with the elective value.
import type { ActorContext, Payload } from '../../engine/actor.ts';
import { subsystemState, type FilerState } from '../../hardware/filer/subsystem.ts';
import type { HaState } from '../ha/types.ts';
import { HA_SUBSYSTEM, STORAGE_SLOT } from '../ha/slots.ts';
import { optionValue } from '../options/options.ts';
import type { StorageState } from '../storage/types.ts';
import {
  isTakeoverFlag, savedCifsStateOf, snapshotCifs, type CifsFlag, type CifsSaveCause, type SavedCifsState,
} from './cifs-persist-state.ts';
import type { FileServiceState } from './state.ts';

/** The interconnect message that mirrors the record (null: the state was withdrawn, option off). */
export const CIFS_MIRROR = 'nvram.cifs-state';

export function persistentStateOn(filer: FilerState): boolean {
  return optionValue(filer, 'cifs.persistent_state') === 'on';
}

/** Whether the partner could take this filer over if it died now (claims 12/33: decided at recording). */
function takeoverPossibleNow(filer: FilerState): boolean {
  const ha = subsystemState<HaState>(filer, HA_SUBSYSTEM);
  const storage = subsystemState<StorageState>(filer, STORAGE_SLOT);
  if (!ha || filer.config.partner === undefined) return false;
  // The partner takes over only with failover enabled, with it up, and with our log mirrored to it.
  return ha.enabled && ha.state === 'up' && ha.partner.announced === 'up' && storage?.log.mirror === 'mirrored';
}

export function armedFlag(filer: FilerState): CifsFlag {
  return takeoverPossibleNow(filer) ? 'non-elective-takeover' : 'non-elective-reboot';
}

/** The flag of a planned shutdown: a takeover when HA will announce one, else a reboot. */
export function electiveFlag(filer: FilerState): CifsFlag {
  const ha = subsystemState<HaState>(filer, HA_SUBSYSTEM);
  const takeover = !!ha && filer.config.partner !== undefined && ha.enabled && ha.state === 'up' && ha.haltMode === 'takeover';
  return takeover ? 'elective-takeover' : 'elective-reboot';
}

export function localSaved(filer: FilerState): SavedCifsState | null {
  return savedCifsStateOf(filer.chassis.nvram.local.saved);
}

export function partnerSaved(filer: FilerState): SavedCifsState | null {
  return savedCifsStateOf(filer.chassis.nvram.partner.saved);
}

function mirror(filer: FilerState, ctx: ActorContext, record: SavedCifsState | null): void {
  if (filer.config.partner === undefined) return;
  const port = filer.config.interconnectPorts.find((candidate) => ctx.linkUp(candidate));
  if (port) ctx.send(port, { kind: CIFS_MIRROR, record } as unknown as Payload);
}

/** Saves this filer's CIFS state with a flag, into its own NVRAM half and the partner's mirror. */
export function saveCifsState(fs: FileServiceState, filer: FilerState, ctx: ActorContext, flag: CifsFlag, cause: CifsSaveCause): SavedCifsState {
  const record: SavedCifsState = {
    kind: 'cifs-persistent-state', owner: filer.config.name, flag, cause, savedAtUs: ctx.now, cifs: snapshotCifs(fs.cifs),
  };
  filer.chassis.nvram.local.saved = record;
  fs.persist.savedSinceStart = true;
  fs.persist.counters.saves += 1;
  fs.persist.lastSave = {
    flag, atMs: ctx.now / 1000, sessions: Object.keys(record.cifs.sessions).length,
    pendingRequests: Object.keys(record.cifs.inProgress).length, activeAtSave: 0,
  };
  mirror(filer, ctx, record);
  return record;
}

/** A save point of Fig. 5 reached: the record is rewritten with the flag armed now. */
export function savePoint(fs: FileServiceState, filer: FilerState, ctx: ActorContext, cause: CifsSaveCause): void {
  saveCifsState(fs, filer, ctx, armedFlag(filer), cause);
}

/**
 * After every event while serving: keep the armed flag true to what HA could do now (`cf disable`
 * flips it to reboot), and drop the record when the option is switched off.
 */
export function keepFlagArmed(fs: FileServiceState, filer: FilerState, ctx: ActorContext): void {
  if (fs.status !== 'serving') return;
  const local = localSaved(filer);
  if (!persistentStateOn(filer)) {
    if (local) {
      filer.chassis.nvram.local.saved = undefined;
      mirror(filer, ctx, null);
    }
    return;
  }
  const flag = armedFlag(filer);
  if (fs.persist.savedSinceStart && local?.owner === filer.config.name && local.flag === flag) return;
  saveCifsState(fs, filer, ctx, flag, 'armed');
}

/** The partner's record arrived over the interconnect: keep it in our card's partner half. */
export function receiveCifsMirror(filer: FilerState, payload: Payload): void {
  const record = savedCifsStateOf(payload['record']);
  filer.chassis.nvram.partner.saved = record ?? undefined;
}

export { isTakeoverFlag };
