// A small real lab for the client and file-service tests: one filer (chassis + storage over memory
// disks + file service), one switch, and clients, run by the real engine in single placement.
import type { BehaviorRegistry } from '../../../emulator/engine/actor.ts';
import type { LabSpec } from '../../../emulator/engine/lab-spec.ts';
import { createLab, type Lab } from '../../../emulator/engine/lab.ts';
import type { FilerConfig } from '../../../emulator/hardware/filer/chassis.ts';
import type { AnyFilerSubsystem } from '../../../emulator/hardware/filer/filer-actor.ts';
import { createFilerBehavior } from '../../../emulator/hardware/filer/filer-actor.ts';
import { switchBehavior } from '../../../emulator/hardware/net/switch-actor.ts';
import { MemoryDiskSet } from '../../../emulator/ontap/storage/memory-disks.ts';
import { createStorageSubsystem } from '../../../emulator/ontap/storage/storage-subsystem.ts';
import { createFileServiceSubsystem } from '../../../emulator/ontap/fileservice/fileservice-subsystem.ts';
import { consoleSubsystem } from '../../../emulator/ontap/console/console-subsystem.ts';
import { clientBehavior } from '../../../emulator/clients/client-actor.ts';
import type { ClientActorConfig } from '../../../emulator/clients/client-state.ts';

const filerAVserver = { name: 'filerA', home: 'filerA', addresses: [{ address: '10.1.1.10/24', port: 'e0a' }], volumes: ['vol0', 'vol1'], priority: 50, migrate: true };

export function filerConfig(): FilerConfig {
  const disks = Array.from({ length: 4 }, (_, bay) => `shelf1.${bay}`);
  return {
    name: 'filerA', systemId: '0101165001', start: 'warm',
    fcPorts: [{ port: '0a', loop: 'A', shelves: [{ actor: 'shelf1', shelfId: 1 }] }],
    ethernetPorts: [{ port: 'e0a', mac: '02:00:00:00:0a:01', subnet: '10.1.1.0/24' }],
    interconnectPorts: [], nvramBytes: 64 * 1024 * 1024,
    aggregates: [{ name: 'aggr0', raidGroupSize: 4, disks }],
    volumes: [{ name: 'vol0', aggregate: 'aggr0', sizeMb: 256, fsid: 0x1001 }, { name: 'vol1', aggregate: 'aggr0', sizeMb: 1024, fsid: 0x1002 }],
    spares: ['shelf1.4'],
    vservers: [filerAVserver],
    labVservers: [filerAVserver],
    options: {},
  };
}

export function clientConfig(name: string, protocol: 'nfs' | 'cifs', index: number, extra: Partial<ClientActorConfig> = {}): ClientActorConfig {
  return {
    name, protocol, vserver: 'filerA', volume: 'vol1', port: 'e0',
    mac: `02:00:00:c0:0${index}:01`, address: `10.1.1.10${index}/24`, server: '10.1.1.10', ...extra,
  };
}

export async function smallLab(clients: ClientActorConfig[], seed = 7, withConsole = false, extra: AnyFilerSubsystem[] = []): Promise<{ lab: Lab; disks: MemoryDiskSet }> {
  const disks = new MemoryDiskSet();
  const registry: BehaviorRegistry = {
    filer: createFilerBehavior([
      ...(withConsole ? [consoleSubsystem] : []), createStorageSubsystem(disks), createFileServiceSubsystem(disks), ...extra,
    ]),
    switch: switchBehavior,
    client: clientBehavior,
  };
  const spec: LabSpec = {
    name: 'small',
    actors: [
      { id: 'filerA', kind: 'filer', config: filerConfig() },
      { id: 'sw1', kind: 'switch', config: { name: 'sw1', ports: 8 } },
      ...clients.map((config) => ({ id: config.name, kind: 'client', config })),
    ],
    cables: [
      { id: 'filerA:e0a-sw1:p1', kind: 'ethernet', a: { actor: 'filerA', port: 'e0a' }, b: { actor: 'sw1', port: 'p1' } },
      ...clients.map((config, index) => ({
        id: `${config.name}:e0-sw1:p${index + 2}`, kind: 'ethernet' as const,
        a: { actor: config.name, port: 'e0' }, b: { actor: 'sw1', port: `p${index + 2}` },
      })),
    ],
  };
  return { lab: await createLab({ spec, seed, registry }), disks };
}

export type ClientFigures = {
  protocol: string; opsOk: number; opsFailed: number; ackedWrites: number; lostWrites: number; staleReads: number;
  sessionsDropped: number; maxOutageMs: number; connection: string;
};

export async function clientFigures(lab: Lab): Promise<Record<string, ClientFigures>> {
  const summary = await lab.summary() as unknown as { clients: Record<string, ClientFigures> };
  return summary.clients;
}
