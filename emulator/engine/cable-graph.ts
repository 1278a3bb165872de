// The lab's cables as the conductor sees them: which cable sits in each port, which ends are unplugged
// and which transceivers are off. A link carries when its cable has both ends plugged and both ports
// enabled (DESIGN.md §2); every change that flips a link is reported so both ends can be told.
import type { PortRef } from './actor.ts';
import type { CableSpec, LabSpec } from './lab-spec.ts';

export function endKey(end: PortRef): string {
  return `${end.actor}:${end.port}`;
}

export interface LinkFlip {
  readonly cable: CableSpec;
  readonly up: boolean;
}

export class CableGraph {
  private readonly byEnd = new Map<string, CableSpec>();
  /** The same cables by actor, then port: routing looks one up per message, without building a key. */
  private readonly byActor = new Map<string, Map<string, CableSpec>>();
  private readonly unplugged: Set<string>;
  private readonly disabled: Set<string>;
  private readonly up = new Map<string, boolean>();

  constructor(spec: LabSpec, unplugged: readonly string[] = [], disabled: readonly string[] = []) {
    this.unplugged = new Set(unplugged);
    this.disabled = new Set(disabled);
    for (const cable of spec.cables) {
      for (const end of [cable.a, cable.b]) {
        const key = endKey(end);
        const taken = this.byEnd.get(key);
        if (taken) throw new Error(`lab ${spec.name}: port ${key} holds both ${taken.id} and ${cable.id}`);
        this.byEnd.set(key, cable);
        let ports = this.byActor.get(end.actor);
        if (!ports) this.byActor.set(end.actor, ports = new Map());
        ports.set(end.port, cable);
      }
      this.up.set(cable.id, this.computeUp(cable));
    }
  }

  cableAt(end: PortRef): CableSpec | undefined {
    return this.byActor.get(end.actor)?.get(end.port);
  }

  farEnd(cable: CableSpec, end: PortRef): PortRef {
    return cable.a.actor === end.actor && cable.a.port === end.port ? cable.b : cable.a;
  }

  linkUp(cableId: string): boolean {
    return this.up.get(cableId) ?? false;
  }

  isPlugged(end: PortRef): boolean {
    return !this.unplugged.has(endKey(end));
  }

  setPlugged(end: PortRef, plugged: boolean): LinkFlip | undefined {
    return this.update(end, this.unplugged, !plugged);
  }

  setEnabled(end: PortRef, enabled: boolean): LinkFlip | undefined {
    return this.update(end, this.disabled, !enabled);
  }

  unpluggedEnds(): string[] {
    return [...this.unplugged].sort();
  }

  disabledPorts(): string[] {
    return [...this.disabled].sort();
  }

  private update(end: PortRef, set: Set<string>, member: boolean): LinkFlip | undefined {
    const key = endKey(end);
    if (member) set.add(key);
    else set.delete(key);
    const cable = this.byEnd.get(key);
    if (!cable) return undefined;
    const up = this.computeUp(cable);
    if (up === this.up.get(cable.id)) return undefined;
    this.up.set(cable.id, up);
    return { cable, up };
  }

  private computeUp(cable: CableSpec): boolean {
    return [cable.a, cable.b].every((end) => !this.unplugged.has(endKey(end)) && !this.disabled.has(endKey(end)));
  }
}
