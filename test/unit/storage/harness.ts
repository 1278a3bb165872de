// A small two-filer world for the storage subsystem: virtual time, timers, an interconnect cable
// between the filers' ic0 ports, and one in-memory disk set standing in for the shelves. It drives the
// real subsystem (createStorageSubsystem) through its handle/lifecycle entry points, as the filer actor
// does, so what the tests see is what a lab would do, minus the FC loops.
import type { ActorContext, ActorEvent, EmsSeverity, Payload, PortName } from '../../../emulator/engine/actor.ts';
import { createChassis, type FilerConfig } from '../../../emulator/hardware/filer/chassis.ts';
import type { FilerLifecycle, FilerState, FilerSubsystem } from '../../../emulator/hardware/filer/subsystem.ts';
import { MemoryDiskSet } from '../../../emulator/ontap/storage/memory-disks.ts';
import { createStorageSubsystem } from '../../../emulator/ontap/storage/storage-subsystem.ts';
import type { StorageState } from '../../../emulator/ontap/storage/types.ts';
import type { StorageEnv } from '../../../emulator/ontap/storage/io.ts';

export function filerConfig(name: string, shelf: string, partner: string | undefined, systemId: string): FilerConfig {
  const disks = Array.from({ length: 4 }, (_, bay) => `${shelf}.${bay}`);
  return {
    name, systemId, partner, start: 'warm',
    fcPorts: [{ port: '0a', loop: 'A', shelves: [{ actor: shelf, shelfId: shelf === 'shelf1' ? 1 : 2 }] }],
    ethernetPorts: [], interconnectPorts: ['ic0'], nvramBytes: 64 * 1024 * 1024,
    aggregates: [{ name: 'aggr0', raidGroupSize: 4, disks }],
    volumes: [{ name: 'vol0', aggregate: 'aggr0', sizeMb: 1024, fsid: shelf === 'shelf1' ? 0x1001 : 0x1002 }],
    spares: [`${shelf}.4`, `${shelf}.5`],
    vservers: [], labVservers: [], options: {},
  };
}

interface Queued { time: number; seq: number; filer: string; event: ActorEvent; timerId?: number }

export class StorageWorld {
  now = 0;
  private seq = 0;
  private nextTimer = 1;
  private readonly queue: Queued[] = [];
  private readonly cancelled = new Set<number>();
  readonly disks = new MemoryDiskSet();
  readonly subsystem: FilerSubsystem<StorageState> = createStorageSubsystem(this.disks);
  readonly filers: Record<string, FilerState> = {};
  readonly consoles: Record<string, string> = {};
  readonly ems: { filer: string; source: string; severity: EmsSeverity; text: string }[] = [];
  interconnectUp = true;

  constructor(configs: FilerConfig[]) {
    for (const config of configs) {
      const chassis = createChassis(config);
      chassis.power = 'on';
      chassis.boot = 'running';
      this.filers[config.name] = { self: config.name, config, chassis, subsystems: { storage: this.subsystem.create(config, config.name) } };
      this.consoles[config.name] = '';
    }
  }

  storage(filer: string): StorageState {
    return this.filers[filer].subsystems.storage as StorageState;
  }

  context(filer: string): ActorContext {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the context object needs the world it belongs to
    const world = this;
    const partnerOf = (): string | undefined => this.filers[filer].config.partner;
    return {
      now: world.now,
      self: filer,
      random: () => 0.5,
      send(port: PortName, payload: Payload, delayUs = 0) {
        const partner = partnerOf();
        if (!port.startsWith('ic') || !world.interconnectUp || !partner || !world.filers[partner]) return;
        if (world.filers[partner].chassis.power !== 'on') return;
        world.push(world.now + Math.max(1000, delayUs), partner, { type: 'message', port, from: { actor: filer, port }, payload: structuredClone(payload) });
      },
      setTimer(delayUs: number, payload: Payload) {
        const timerId = world.nextTimer++;
        world.push(world.now + delayUs, filer, { type: 'timer', timerId, payload }, timerId);
        return timerId;
      },
      cancelTimer(timerId: number) { world.cancelled.add(timerId); },
      linkUp(port: PortName) {
        const partner = partnerOf();
        return port.startsWith('ic') && world.interconnectUp && !!partner && world.filers[partner]?.chassis.power === 'on';
      },
      setPortEnabled() {},
      console(text: string) { world.consoles[filer] += text; },
      ems(source: string, severity: EmsSeverity, text: string) { world.ems.push({ filer, source, severity, text }); },
      publish() {},
    };
  }

  env(filer: string): StorageEnv {
    return { filer: this.filers[filer], ctx: this.context(filer), io: this.disks };
  }

  /** Keeps the queue sorted by (time, seq): binary insertion, as events mostly arrive in order. */
  private push(time: number, filer: string, event: ActorEvent, timerId?: number): void {
    const item = { time, seq: this.seq++, filer, event, timerId };
    let low = 0;
    let high = this.queue.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.queue[middle].time <= time) low = middle + 1;
      else high = middle;
    }
    this.queue.splice(low, 0, item);
  }

  lifecycle(filer: string, phase: FilerLifecycle): void {
    const state = this.filers[filer];
    state.subsystems.storage = this.subsystem.lifecycle?.(this.storage(filer), state, phase, this.context(filer));
  }

  /** Power loss: volatile state gone, NVRAM (battery ok) kept, pending timers and completions dropped. */
  crash(filer: string): void {
    this.lifecycle(filer, 'power-off');
    for (const item of this.queue) if (item.filer === filer) item.filer = '';
  }

  /** Runs events in time order until `until` (virtual µs) or the predicate holds. */
  run(untilUs: number, done: () => boolean = () => false): boolean {
    for (let steps = 0; steps < 2_000_000; steps++) {
      if (done()) return true;
      const next = this.queue[0];
      if (!next || next.time > untilUs) { this.now = Math.max(this.now, untilUs); return done(); }
      this.queue.shift();
      if (!next.filer || (next.timerId !== undefined && this.cancelled.has(next.timerId))) continue;
      this.now = next.time;
      const state = this.filers[next.filer];
      if (state.chassis.power !== 'on') continue;
      this.subsystem.handle(this.storage(next.filer), state, next.event, this.context(next.filer));
    }
    throw new Error('world did not settle');
  }

  runFor(us: number, done?: () => boolean): boolean {
    return this.run(this.now + us, done);
  }

  boot(filer: string): void {
    this.lifecycle(filer, 'os-boot');
    if (!this.runFor(5_000_000, () => this.storage(filer).status === 'online')) throw new Error(`${filer} did not mount`);
  }
}

export function bytesOf(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let value = seed >>> 0;
  for (let index = 0; index < length; index++) {
    value = (Math.imul(value, 1103515245) + 12345) >>> 0;
    bytes[index] = value >>> 24;
  }
  return bytes;
}
