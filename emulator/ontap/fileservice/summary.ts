// The file service's part of the run summary: whether it serves, on which addresses, and its totals.
import type { FilerState, SummaryFragment } from '../../hardware/filer/subsystem.ts';
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

export function summarizeFileService(state: FileServiceState, filer: FilerState): SummaryFragment {
  const vservers = servedVservers(state);
  // One author per fact: the node that serves a vserver reports it; the lab reports the unserved ones.
  return {
    vservers: Object.fromEntries([...vservers].map(([name, vips]) => [name, { node: filer.config.name, state: 'running', vips }])),
    filers: {
      [filer.config.name]: {
        serving: [...vservers.keys()],
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
