// The file service's part of the run summary: whether it serves, on which addresses, and its totals.
import type { FilerState, SummaryFragment } from '../../hardware/filer/subsystem.ts';
import { localSaved, persistentStateOn } from './cifs-nvram.ts';
import type { FileServiceState } from './state.ts';

function total(counts: Record<string, number>): number {
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}

/** The vservers (identities) this filer answers for now, each with the addresses it has up. */
function servedVservers(state: FileServiceState): Map<string, string[]> {
  const vservers = new Map<string, string[]>();
  if (state.status !== 'serving') return vservers;
  for (const served of state.served) vservers.set(served.vserver, [...(vservers.get(served.vserver) ?? []), served.address]);
  return vservers;
}

/** Seed 003's figures: the last save and restore, what the restores resumed, the record in NVRAM. */
function persistentCifs(state: FileServiceState, filer: FilerState): Record<string, unknown> {
  const persist = state.persist;
  const saved = localSaved(filer);
  return {
    cifs: {
      persistentState: persistentStateOn(filer) ? 'on' : 'off',
      lastSave: persist.lastSave,
      lastRestore: persist.lastRestore,
      activeAtSave: persist.lastSave?.activeAtSave ?? 0,
      ...persist.counters,
      adopted: Object.fromEntries(Object.entries(persist.adopted).map(([vserver, cifs]) => [vserver, Object.keys(cifs.sessions).length])),
    },
    nvram: {
      cifsFlag: saved?.flag ?? 'none',
      cifsState: { sessions: saved ? Object.keys(saved.cifs.sessions).length : 0, pendingRequests: saved ? Object.keys(saved.cifs.inProgress).length : 0 },
    },
  };
}

export function summarizeFileService(state: FileServiceState, filer: FilerState): SummaryFragment {
  const vservers = servedVservers(state);
  // One author per fact: the node that serves a vserver reports it; the lab reports the unserved ones.
  return {
    vservers: Object.fromEntries([...vservers].map(([name, vips]) => [name, { node: filer.config.name, state: 'running', vips }])),
    filers: {
      [filer.config.name]: {
        serving: [...vservers.keys()],
        ...persistentCifs(state, filer),
        fileservice: {
          status: state.status,
          addresses: state.served.map((served) => served.address),
          nfsCalls: total(state.counters.nfsCalls),
          cifsCalls: total(state.counters.cifsCommands),
          cifsSessions: Object.keys(state.cifs.sessions).length,
          drcHits: state.drc.hits,
          drcRebuilt: state.drc.rebuilt,
          drain: state.drain === null ? null : { ...state.drain },
        },
      },
    },
  };
}
