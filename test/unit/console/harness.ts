// A one-filer test bench for the console: the real filer actor (chassis + console subsystem) driven by
// a tiny deterministic event loop with timers, recording what the console writes. No engine needed.
import type { ActorContext, ActorEvent, EmsSeverity, Micros, Payload } from '../../../emulator/engine/actor.ts';
import type { FilerConfig } from '../../../emulator/hardware/filer/chassis.ts';
import { createFilerBehavior } from '../../../emulator/hardware/filer/filer-actor.ts';
import type { FilerState } from '../../../emulator/hardware/filer/subsystem.ts';
import { consoleSubsystem } from '../../../emulator/ontap/console/console-subsystem.ts';
import type { ConsoleState } from '../../../emulator/ontap/console/state.ts';

const filerAVserver = { name: 'filerA', home: 'filerA', addresses: [{ address: '10.1.1.10/24', port: 'e0a' }], volumes: ['vol0'], priority: 1, migrate: true };

export function filerConfig(overrides: Partial<FilerConfig> = {}): FilerConfig {
  return {
    name: 'filerA',
    systemId: '0118054321',
    partner: 'filerB',
    start: 'warm',
    fcPorts: [
      { port: '0a', loop: 'A', shelves: [{ actor: 'shelf1', shelfId: 1 }] },
      { port: '0b', loop: 'B', shelves: [{ actor: 'shelf1', shelfId: 1 }] },
    ],
    ethernetPorts: [
      { port: 'e0a', mac: '02:a0:98:00:00:01', subnet: '10.1.1.0/24' },
      { port: 'e0b', mac: '02:a0:98:00:00:02', subnet: '10.1.2.0/24' },
    ],
    interconnectPorts: ['ic0', 'ic1'],
    nvramBytes: 512 * 1_048_576,
    aggregates: [],
    volumes: [],
    spares: [],
    vservers: [filerAVserver],
    labVservers: [filerAVserver],
    options: {},
    ...overrides,
  };
}

interface PendingTimer { at: Micros; id: number; payload: Payload }

export class ConsoleBench {
  readonly behavior;
  readonly state: FilerState;
  now: Micros = 0;
  output = '';
  readonly ems: { source: string; severity: EmsSeverity; text: string }[] = [];
  readonly published = new Map<string, unknown>();
  readonly links = new Map<string, boolean>();
  private timers: PendingTimer[] = [];
  private nextTimerId = 1;
  private randomState = 12345;

  constructor(config: FilerConfig = filerConfig(), subsystems: Parameters<typeof createFilerBehavior>[0] = [consoleSubsystem]) {
    this.behavior = createFilerBehavior(subsystems);
    this.state = this.behavior.create(config, config.name);
    for (const port of this.behavior.ports(config)) this.links.set(port, true);
    this.deliver({ type: 'start' });
  }

  get console(): ConsoleState {
    return this.state.subsystems['console'] as ConsoleState;
  }

  private context(): ActorContext {
    return {
      now: this.now,
      self: this.state.self,
      random: () => {
        this.randomState = (this.randomState * 1_103_515_245 + 12_345) % 2_147_483_648;
        return this.randomState / 2_147_483_648;
      },
      send: () => undefined,
      setTimer: (delayUs, payload) => {
        if (!(delayUs >= 0)) throw new Error(`bad timer delay ${delayUs}`);
        const id = this.nextTimerId++;
        this.timers.push({ at: this.now + delayUs, id, payload });
        return id;
      },
      cancelTimer: (id) => {
        this.timers = this.timers.filter((timer) => timer.id !== id);
      },
      linkUp: (port) => this.links.get(port) ?? false,
      setPortEnabled: () => undefined,
      console: (text) => {
        this.output += text;
      },
      ems: (source, severity, text) => {
        this.ems.push({ source, severity, text });
      },
      publish: (path, value) => {
        this.published.set(path, value);
      },
    };
  }

  deliver(event: ActorEvent): void {
    this.behavior.handle(this.state, event, this.context());
  }

  /** Runs timers up to now + us (all of them at the same instant, in order). Bounded. */
  advance(us: Micros): void {
    const until = this.now + us;
    for (let guard = 0; guard < 100_000; guard++) {
      this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.timers[0];
      if (!next || next.at > until) break;
      this.timers.shift();
      this.now = next.at;
      this.deliver({ type: 'timer', timerId: next.id, payload: next.payload });
    }
    this.now = until;
  }

  pendingTimers(): number {
    return this.timers.length;
  }

  type(data: string): void {
    this.deliver({ type: 'input', input: { kind: 'console', data } });
  }

  /** Types a line, lets a second of virtual time pass, and returns what the console wrote meanwhile. */
  run(line: string, waitUs: Micros = 1_000_000): string {
    const start = this.output.length;
    this.type(`${line}\r`);
    this.advance(waitUs);
    return this.output.slice(start);
  }

  /** Output since a mark, with the terminal's CR LF as LF and escape sequences removed. */
  static plain(text: string): string {
    return text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/\r\n/g, '\n');
  }
}
