// A test subsystem that drives a filer's real FC initiator: console input carries a JSON I/O request,
// completions are kept in its slot and shown in the run summary. Everything below it (initiator,
// loops, shelves, disks, the engine) is the real thing.
import { readFileSync } from 'node:fs';
import type { BehaviorRegistry, Payload } from '../../../emulator/engine/actor.ts';
import { createLab, type Lab } from '../../../emulator/engine/lab.ts';
import type { LabSpec } from '../../../emulator/engine/lab-spec.ts';
import { createFilerBehavior } from '../../../emulator/hardware/filer/filer-actor.ts';
import {
  createInitiator, handleFrame, handleLink, handleTimer, submit, type InitiatorState, type IoCompletion,
} from '../../../emulator/hardware/filer/fc-initiator.ts';
import type { FilerSubsystem } from '../../../emulator/hardware/filer/subsystem.ts';
import { BLOCK_BYTES, type ScsiCommand } from '../../../emulator/hardware/scsi.ts';
import { resolveLab } from '../../../emulator/lab/catalog.ts';
import { idleClientBehavior } from '../../../emulator/lab/idle-client.ts';
import { switchBehavior } from '../../../emulator/hardware/net/switch-actor.ts';
import { shelfBehavior } from '../../../emulator/hardware/shelf/shelf-actor.ts';

export interface ProbeRequest {
  readonly id: string;
  readonly shelf: string;
  readonly bay: number;
  /** The reservation key to act under (defaults to the filer's system id). */
  readonly key?: string;
  readonly command: ProbeCommand;
}

type ProbeCommand =
  | { op: 'read'; lba: number; blocks: number }
  | { op: 'write'; lba: number; fill: number }
  | { op: 'pr-register' | 'pr-reserve' | 'pr-release' | 'pr-read'; key: string }
  | { op: 'pr-preempt'; key: string; victim: string };

export interface ProbeResult {
  id: string;
  status: string;
  port: string | null;
  firstByte?: number;
  holder?: string | null;
  atUs: number;
}

interface ProbeState {
  initiator: InitiatorState;
  results: ProbeResult[];
}

function toScsi(command: ProbeCommand): ScsiCommand {
  if (command.op === 'write') return { op: 'write', lba: command.lba, blocks: 1, data: new Uint8Array(BLOCK_BYTES).fill(command.fill) };
  return command as ScsiCommand;
}

export const probeSubsystem: FilerSubsystem<ProbeState> = {
  name: 'probe',
  create: (config) => ({ initiator: createInitiator(config.fcPorts), results: [] }),
  handle(state, filer, event, ctx) {
    const record = (done: IoCompletion[]) => {
      for (const c of done) {
        state.results.push({
          id: String(c.cookie['id']), status: c.response.status, port: c.port, atUs: ctx.now,
          ...(c.response.data ? { firstByte: c.response.data[0] } : {}),
          ...(c.response.reservation ? { holder: c.response.reservation.holder } : {}),
        });
      }
    };
    const fcPorts = filer.config.fcPorts.map((p) => p.port);
    switch (event.type) {
      case 'input':
        if (event.input.kind !== 'console') return false;
        for (const line of event.input.data.split('\n').filter(Boolean)) {
          const request = JSON.parse(line) as ProbeRequest;
          const key = request.key ?? filer.config.systemId;
          submit(state.initiator, ctx, { shelf: request.shelf, bay: request.bay, key, command: toScsi(request.command) }, { kind: 'probe', id: request.id });
        }
        return true;
      case 'message': {
        if (!fcPorts.includes(event.port)) return false;
        const done = handleFrame(state.initiator, ctx, event.port, event.payload);
        if (done) record([done]);
        return true;
      }
      case 'timer': {
        const done = handleTimer(state.initiator, ctx, event.payload);
        if (!done) return false;
        record(done);
        return true;
      }
      case 'link':
        if (!fcPorts.includes(event.port)) return false;
        record(handleLink(state.initiator, ctx, event.port, event.up));
        return true;
      default:
        return false;
    }
  },
  summarize: (state, filer) => ({ filers: { [filer.self]: { probe: { results: state.results, failovers: state.initiator.pathFailovers } } } }),
};

/** The hardware alone: filers with no ONTAP subsystems, idle clients. Tests add the subsystem they drive. */
export const hardwareRegistry: BehaviorRegistry = {
  filer: createFilerBehavior([]), shelf: shelfBehavior, switch: switchBehavior, client: idleClientBehavior,
};

export const probeRegistry: BehaviorRegistry = { ...hardwareRegistry, filer: createFilerBehavior([probeSubsystem]) };

export function builtinSpec(name: string): LabSpec {
  const resolved = resolveLab(name, (path) => readFileSync(path, 'utf8'));
  if (!resolved.ok) throw new Error(resolved.errors.join('\n'));
  return resolved.spec;
}

export async function probeLab(name = 'ha-pair'): Promise<Lab> {
  return createLab({ spec: builtinSpec(name), seed: 1, registry: probeRegistry });
}

export function io(lab: Lab, filer: string, ...requests: ProbeRequest[]): void {
  const result = lab.input({ kind: 'actor', actor: filer, input: { kind: 'console', data: requests.map((r) => JSON.stringify(r)).join('\n') } });
  if (!result.ok) throw new Error(result.error);
}

export async function results(lab: Lab, filer: string): Promise<Record<string, ProbeResult>> {
  const summary = await lab.summary();
  const probe = (summary.filers[filer] as { probe: { results: ProbeResult[] } }).probe;
  return Object.fromEntries(probe.results.map((r) => [r.id, r]));
}

export function payloadOf(value: unknown): Payload {
  return value as Payload;
}
