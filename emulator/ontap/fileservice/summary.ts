// The file service's part of the run summary: whether it serves, on which addresses, and its totals.
import type { FilerState, SummaryFragment } from '../../hardware/filer/subsystem.ts';
import type { FileServiceState } from './state.ts';

function total(counts: Record<string, number>): number {
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}

export function summarizeFileService(state: FileServiceState, filer: FilerState): SummaryFragment {
  return {
    filers: {
      [filer.config.name]: {
        fileservice: {
          status: state.status,
          addresses: state.served.map((served) => served.address),
          nfsCalls: total(state.counters.nfsCalls),
          cifsCalls: total(state.counters.cifsCommands),
          cifsSessions: Object.keys(state.cifs.sessions).length,
          drcHits: state.drc.hits,
        },
      },
    },
  };
}
