// Components and their fault catalogues, for lab scripts, the host and the UI: turns
// `fault <component> <kind> [args]`, `clear …` and `power <component> on|off` into a LabInput, and refuses
// an unknown component or kind with the list of valid ones. Component names:
//   filerA          a filer chassis       panic hang nvram-battery overtemp fan psu
//   shelf1          a shelf               power psu
//   shelf1.3        the disk in bay 3     fail media-error [lba] slow
//   sw1             a switch              down
//   filerA:e0a      any port of any actor down   (shelf1:A, sw1:p3, filerA:0a, filerA:ic0 …)
// An actor's input arrives as { kind: 'fault', fault: <kind>, args }: args[0] names the port or bay for
// port and disk faults, further args follow (`fault shelf1.3 media-error 100` → args ['3', '100']).
import type { ActorInput } from '../engine/actor.ts';
import type { ActorSpec, LabInput, LabSpec } from '../engine/lab-spec.ts';
import { FILER_FAULTS } from '../hardware/filer/chassis.ts';
import { PORT_FAULTS } from '../hardware/filer/chassis-faults.ts';
import { parseDiskComponent } from '../hardware/disk-names.ts';
import { SWITCH_FAULTS } from '../hardware/net/switch-actor.ts';
import { DISK_FAULTS, SHELF_FAULTS, type ShelfConfig } from '../hardware/shelf/shelf-actor.ts';
import { behaviors } from './registry.ts';

export type ComponentResult = { ok: true; input: LabInput } | { ok: false; error: string };

/** Fault kinds an actor itself accepts, by actor kind. */
export const ACTOR_FAULTS: Readonly<Record<string, readonly string[]>> = {
  // `panic-at cifs.p<1-4>.<before|after>` is not a hardware fault: the file service arms it (seed 003, N18).
  // Nor is `fs-corrupt <volume>`: the storage OS damages that volume's file system (seed 004 claim 21).
  filer: [...FILER_FAULTS, 'panic-at', 'fs-corrupt'],
  shelf: SHELF_FAULTS,
  switch: SWITCH_FAULTS,
  client: [],
};

/** Own keys only: a kind read from a saved file may be any string, `constructor` included. */
function faultsOfKind(kind: string): readonly string[] {
  return Object.hasOwn(ACTOR_FAULTS, kind) ? ACTOR_FAULTS[kind] : [];
}

function actorPorts(actor: ActorSpec): string[] {
  const behavior = Object.hasOwn(behaviors, actor.kind) ? behaviors[actor.kind] : undefined;
  return behavior ? behavior.ports(actor.config) : [];
}

/** Every component name of a lab with the faults it takes (for the UI's right-click menu and errors). */
export function listComponents(spec: LabSpec): { component: string; faults: readonly string[] }[] {
  const out: { component: string; faults: readonly string[] }[] = [];
  for (const actor of spec.actors) {
    out.push({ component: actor.id, faults: faultsOfKind(actor.kind) });
    if (actor.kind === 'shelf') {
      for (const disk of (actor.config as ShelfConfig).disks) out.push({ component: `${actor.id}.${disk.bay}`, faults: DISK_FAULTS });
    }
    for (const port of actorPorts(actor)) out.push({ component: `${actor.id}:${port}`, faults: PORT_FAULTS });
  }
  return out;
}

/** `fault|clear <component> <kind> [args…]` → the input to queue, or why not. */
export function faultInput(spec: LabSpec, verb: 'fault' | 'clear', component: string, kind: string, args: readonly string[] = []): ComponentResult {
  const target = findComponent(spec, component);
  if (!target.ok) return target;
  const { actor, sub, faults } = target;
  if (!faults.includes(kind)) {
    const valid = faults.length > 0 ? faults.join(', ') : 'none';
    return { ok: false, error: `unknown fault '${kind}' for ${component}; valid: ${valid}` };
  }
  if (kind === 'media-error' && args[0] !== undefined && !/^\d+$/.test(args[0])) {
    return { ok: false, error: `media-error takes a block number (lba), not '${args[0]}'` };
  }
  const input: ActorInput = { kind: verb, fault: kind, args: sub === undefined ? [...args] : [sub, ...args] };
  return { ok: true, input: { kind: 'actor', actor: actor.id, input } };
}

/** `power <component> on|off`: components with a power switch are whole actors. */
export function powerInput(spec: LabSpec, component: string, on: boolean): ComponentResult {
  const actor = spec.actors.find((a) => a.id === component);
  if (!actor) return { ok: false, error: `no component '${component}' to power; valid: ${spec.actors.map((a) => a.id).join(', ')}` };
  return { ok: true, input: { kind: 'actor', actor: actor.id, input: { kind: 'power', on } } };
}

type Found = { ok: true; actor: ActorSpec; sub: string | undefined; faults: readonly string[] } | { ok: false; error: string };

function findComponent(spec: LabSpec, component: string): Found {
  const unknown = (): Found => ({
    ok: false,
    error: `no component '${component}' in lab ${spec.name}; valid: ${spec.actors.map((a) => a.id).join(', ')}, a disk as shelf.bay (shelf1.3), or a port as actor:port (filerA:e0a)`,
  });
  const colon = component.indexOf(':');
  if (colon > 0) {
    const actor = spec.actors.find((a) => a.id === component.slice(0, colon));
    if (!actor) return unknown();
    const port = component.slice(colon + 1);
    const ports = actorPorts(actor);
    if (!ports.includes(port)) return { ok: false, error: `${actor.id} has no port '${port}'; valid: ${ports.join(', ')}` };
    return { ok: true, actor, sub: port, faults: PORT_FAULTS };
  }
  const actor = spec.actors.find((a) => a.id === component);
  if (actor) return { ok: true, actor, sub: undefined, faults: faultsOfKind(actor.kind) };
  const disk = parseDiskComponent(component);
  const shelf = disk ? spec.actors.find((a) => a.id === disk.shelf && a.kind === 'shelf') : undefined;
  if (!disk || !shelf) return unknown();
  const bays = (shelf.config as ShelfConfig).disks.map((d) => d.bay);
  if (!bays.includes(disk.bay)) return { ok: false, error: `bay ${disk.bay} of ${shelf.id} is empty; disks: ${bays.map((b) => `${shelf.id}.${b}`).join(', ')}` };
  return { ok: true, actor: shelf, sub: String(disk.bay), faults: DISK_FAULTS };
}

/**
 * Checks an input before it is queued (the host and scripts call it): an unknown actor, port, fault kind
 * or bay is refused with the valid ones. Returns undefined when the input is fine.
 */
export function validateInput(spec: LabSpec, input: LabInput): string | undefined {
  if (input.kind === 'mark') return undefined;
  if (input.kind === 'cable') {
    const actor = spec.actors.find((a) => a.id === input.end.actor);
    if (!actor) return `no actor named '${input.end.actor}'; valid: ${spec.actors.map((a) => a.id).join(', ')}`;
    const plugged = spec.cables.some((c) => [c.a, c.b].some((end) => end.actor === input.end.actor && end.port === input.end.port));
    if (!plugged) return `no cable in ${input.end.actor}:${input.end.port}; cabled ports: ${cabledPorts(spec, actor.id).join(', ') || 'none'}`;
    return undefined;
  }
  const actor = spec.actors.find((a) => a.id === input.actor);
  if (!actor) return `no actor named '${input.actor}'; valid: ${spec.actors.map((a) => a.id).join(', ')}`;
  const actorInput = input.input;
  switch (actorInput.kind) {
    case 'console':
      return actor.kind === 'filer' ? undefined : `${actor.id} is a ${actor.kind}: only filers have a console`;
    case 'client':
      return actor.kind === 'client' ? undefined : `${actor.id} is a ${actor.kind}, not a client`;
    case 'power':
      return undefined;
    case 'fault':
    case 'clear': {
      const [sub, ...rest] = actorInput.args;
      const isPort = PORT_FAULTS.includes(actorInput.fault as (typeof PORT_FAULTS)[number]) && sub !== undefined && actorPorts(actor).includes(sub);
      const component = isPort || (actor.kind === 'shelf' && DISK_FAULTS.includes(actorInput.fault as (typeof DISK_FAULTS)[number]))
        ? `${actor.id}${isPort ? ':' : '.'}${sub ?? ''}` : actor.id;
      const args = component === actor.id ? actorInput.args : rest;
      const result = faultInput(spec, actorInput.kind, component, actorInput.fault, args);
      return result.ok ? undefined : result.error;
    }
  }
}

function cabledPorts(spec: LabSpec, actor: string): string[] {
  return spec.cables.flatMap((c) => [c.a, c.b]).filter((end) => end.actor === actor).map((end) => end.port);
}
