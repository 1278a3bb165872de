// An Ethernet switch: a learning bridge. It learns which port each source MAC sits behind, sends a
// frame to the learned port, and floods broadcasts and unknown destinations to every other port. A
// port that loses carrier forgets its MACs, so an address that moved (gratuitous ARP from its new port)
// is found again at once. Faults: `down` (the whole switch: every port dark, table lost) and port
// `down` (`fault sw1:p3 down`, args ['p3']).
import type { ActorBehavior, ActorContext, ActorEvent, PortName } from '../../engine/actor.ts';
import { viewPaths } from '../view-paths.ts';
import { BROADCAST_MAC } from './address.ts';
import type { EthFrame } from './ethernet.ts';

export const SWITCH_FAULTS = ['down'] as const;

export interface SwitchConfig {
  readonly name: string;
  readonly ports: number;
}

export interface SwitchState {
  readonly self: string;
  readonly ports: readonly PortName[];
  switchedOn: boolean;
  down: boolean;
  portFaults: PortName[];
  /** MAC → port. */
  macTable: Record<string, PortName>;
  framesForwarded: number;
  framesFlooded: number;
}

export const switchBehavior: ActorBehavior<SwitchState, SwitchConfig> = {
  kind: 'switch',
  ports: (config) => Array.from({ length: config.ports }, (_, i) => `p${i + 1}`),
  create: (config, self) => ({
    self, ports: Array.from({ length: config.ports }, (_, i) => `p${i + 1}`), switchedOn: true, down: false,
    portFaults: [], macTable: {}, framesForwarded: 0, framesFlooded: 0,
  }),
  handle: (state, event, ctx) => handleSwitchEvent(state, event, ctx),
  summarize: (state) => ({
    switches: { [state.self]: { state: switchUp(state) ? 'up' : 'down', macs: Object.keys(state.macTable).length } },
  }),
};

function switchUp(state: SwitchState): boolean {
  return state.switchedOn && !state.down;
}

function handleSwitchEvent(state: SwitchState, event: ActorEvent, ctx: ActorContext): void {
  switch (event.type) {
    case 'start':
      refresh(state, ctx);
      return;
    case 'input': {
      const input = event.input;
      if (input.kind === 'power') state.switchedOn = input.on;
      else if ((input.kind === 'fault' || input.kind === 'clear') && input.fault === 'down') {
        const on = input.kind === 'fault';
        const port = input.args[0];
        if (port === undefined) state.down = on;
        else state.portFaults = on ? [...new Set([...state.portFaults, port])] : state.portFaults.filter((p) => p !== port);
      } else return;
      refresh(state, ctx);
      return;
    }
    case 'link':
      if (!event.up) forgetPort(state, event.port);
      ctx.publish(viewPaths.portLink(state.self, event.port), event.up);
      return;
    case 'message':
      if (switchUp(state) && event.payload.kind === 'eth.frame') forward(state, event.port, event.payload as unknown as EthFrame, ctx);
      return;
    case 'timer':
      return;
  }
}

function forward(state: SwitchState, inPort: PortName, frame: EthFrame, ctx: ActorContext): void {
  if (frame.src !== BROADCAST_MAC) state.macTable[frame.src] = inPort;
  const outPort = frame.dst === BROADCAST_MAC ? undefined : state.macTable[frame.dst];
  if (outPort !== undefined) {
    if (outPort !== inPort) ctx.send(outPort, frame);
    state.framesForwarded += 1;
    return;
  }
  for (const port of state.ports) {
    if (port !== inPort && ctx.linkUp(port)) ctx.send(port, frame);
  }
  state.framesFlooded += 1;
}

function forgetPort(state: SwitchState, port: PortName): void {
  for (const [mac, learned] of Object.entries(state.macTable)) {
    if (learned === port) delete state.macTable[mac];
  }
}

function refresh(state: SwitchState, ctx: ActorContext): void {
  const up = switchUp(state);
  if (!up) state.macTable = {};
  ctx.publish(viewPaths.power(state.self), state.switchedOn ? 'on' : 'off');
  ctx.publish(viewPaths.switchState(state.self), up ? 'up' : 'down');
  for (const port of state.ports) {
    const enabled = up && !state.portFaults.includes(port);
    if (!enabled) forgetPort(state, port);
    ctx.setPortEnabled(port, enabled);
    ctx.publish(viewPaths.portEnabled(state.self, port), enabled);
    ctx.publish(viewPaths.portLink(state.self, port), enabled && ctx.linkUp(port));
  }
}
