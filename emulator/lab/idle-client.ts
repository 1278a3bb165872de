// A placeholder client actor until the client workstations land (a later issue): it has its port,
// answers nothing and says so in the run summary.
import type { ActorBehavior } from '../engine/actor.ts';
import type { ClientConfig } from './resolve.ts';

interface IdleClientState {
  readonly self: string;
  readonly config: ClientConfig;
}

export const idleClientBehavior: ActorBehavior<IdleClientState, ClientConfig> = {
  kind: 'client',
  ports: (config) => [config.port],
  create: (config, self) => ({ self, config }),
  handle: () => undefined,
  summarize: (state) => ({
    clients: { [state.self]: { state: 'idle', note: 'client workloads are not built yet', protocol: state.config.protocol, vserver: state.config.vserver } },
  }),
};
