// Which vserver a volume made at run time (`vol create`) belongs to (DESIGN.md §4 "Identity": a volume
// belongs to one vserver). The topology names the vservers' volumes at start; a volume created later is
// marked in its own option map, which the fsinfo keeps with it, so it stays its vserver's after a reboot,
// a takeover or a seed 004 move, where the topology knows nothing of it.
import type { StorageState, VolumeState } from '../storage/types.ts';

/** The key of the mark in the volume's option map; `vol options` neither lists nor sets it. */
export const VSERVER_MARK = 'vserver';

export function markVolumeVserver(volume: VolumeState, vserver: string): void {
  volume.options = { ...volume.options, [VSERVER_MARK]: vserver };
  volume.dirty = true;
}

/**
 * The exported names of the volumes marked for `vserver` in storage keyed by `prefix` ('' for this
 * filer's own volumes, `filerA:` for a partner's held in takeover), in name order.
 */
export function markedVolumesOf(storage: StorageState | null | undefined, prefix: string, vserver: string): string[] {
  if (!storage) return [];
  const names: string[] = [];
  for (const [key, volume] of Object.entries(storage.volumes)) {
    const ours = prefix === '' ? !key.includes(':') : key.startsWith(prefix);
    if (ours && volume.options?.[VSERVER_MARK] === vserver) names.push(key.slice(prefix.length));
  }
  return names.sort();
}
