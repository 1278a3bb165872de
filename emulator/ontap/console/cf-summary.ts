// The `cf` part of a filer's run summary until the HA subsystem owns it: the state as the chassis and
// the console see it, whether takeover is enabled, and the interconnect's carrier.
import type { FilerState } from '../../hardware/filer/subsystem.ts';
import type { ConsoleState } from './state.ts';
import { CF_ENABLED_KEY } from '../commands/cf.ts';

export type CfSummaryState = 'off' | 'booting' | 'halted' | 'panicked' | 'hung' | 'up' | 'disabled';

export interface CfSummary {
  readonly state: CfSummaryState;
  readonly enabled: boolean;
  readonly partner: string | null;
  readonly interconnect: 'up' | 'down' | 'not-present';
}

function stateOf(filer: FilerState, enabled: boolean): CfSummaryState {
  switch (filer.chassis.boot) {
    case 'off': return 'off';
    case 'firmware':
    case 'booting': return 'booting';
    case 'loader':
    case 'halted': return 'halted';
    case 'panicked': return 'panicked';
    case 'hung': return 'hung';
    case 'running': return enabled ? 'up' : 'disabled';
  }
}

export function cfSummary(filer: FilerState, console: ConsoleState): CfSummary {
  const enabled = (console.options[CF_ENABLED_KEY] ?? 'on') === 'on';
  const ports = filer.config.interconnectPorts;
  const anyUp = ports.some((port) => filer.chassis.ports[port]?.link === true);
  return {
    state: stateOf(filer, enabled),
    enabled,
    partner: filer.config.partner ?? null,
    interconnect: ports.length === 0 ? 'not-present' : anyUp ? 'up' : 'down',
  };
}
