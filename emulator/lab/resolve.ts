// Turns a checked lab file into what the engine runs: actors with their configurations and cables.
// FC loops are found by walking the cables: from a filer's FC port through each shelf module (in one
// port, out the other) until the chain ends, so the lab file only lists cables and the filer learns
// which shelves each of its ports reaches, and over which loop.
import type { ClientActorConfig } from '../clients/client-state.ts';
import type { ActorSpec, CableKind, CableSpec, LabSpec } from '../engine/lab-spec.ts';
import type { FcPortConfig, FcShelfRef, FilerConfig, VserverConfig } from '../hardware/filer/chassis.ts';
import { hostOf, inSubnet, macOf } from '../hardware/net/address.ts';
import type { ShelfConfig } from '../hardware/shelf/shelf-actor.ts';
import { otherEnd } from '../hardware/shelf/shelf-actor.ts';
import type { SwitchConfig } from '../hardware/net/switch-actor.ts';
import { own } from './schema.ts';
import { configuredMailboxDisks } from '../ontap/storage/mailbox.ts';
import type { LabFile } from './schema.ts';
import { CLIENT_PORT, populatedBays } from './topology.ts';

/** What a client actor is configured with: the clients layer defines it (its behaviour reads it). */
export type { ClientActorConfig as ClientConfig } from '../clients/client-state.ts';

export function buildLabSpec(lab: LabFile): LabSpec {
  const cableAt = new Map<string, string>();
  for (const [a, b] of lab.cables) {
    cableAt.set(a, b);
    cableAt.set(b, a);
  }
  const actors: ActorSpec[] = [];
  const fsids = labFsids(lab);
  Object.keys(lab.filers).forEach((id, index) => {
    actors.push({ id, kind: 'filer', config: filerConfig(lab, id, index, cableAt, fsids), placementGroup: id });
  });
  for (const [id, shelf] of Object.entries(lab.shelves)) {
    const config: ShelfConfig = {
      name: id, shelfId: shelf.shelfId, diskSizeMb: shelf.diskSizeMb,
      disks: populatedBays(shelf).map((bay) => ({ bay, owner: shelf.owner })),
    };
    actors.push({ id, kind: 'shelf', config });
  }
  for (const [id, sw] of Object.entries(lab.switches)) {
    const config: SwitchConfig = { name: id, ports: sw.ports };
    actors.push({ id, kind: 'switch', config });
  }
  Object.entries(lab.clients).forEach(([id, client], index) => {
    actors.push({ id, kind: 'client', config: clientConfig(lab, id, index, client) });
  });
  const cables = lab.cables.map(([a, b]) => cableSpec(lab, a, b));
  return { name: lab.name, actors, cables, vservers: Object.keys(lab.vservers) };
}

/** First fsid of a lab: ONTAP's volume fsids look like 0x0e1f2a3b; ours count up from here in lab order. */
const FIRST_FSID = 0x1001;

/** Every volume of the lab gets its own fsid, numbered in lab-file order (filer, then volume). */
function labFsids(lab: LabFile): Map<string, number> {
  const fsids = new Map<string, number>();
  let next = FIRST_FSID;
  for (const [filer, config] of Object.entries(lab.filers)) {
    for (const volume of config.volumes) fsids.set(`${filer}:${volume.name}`, next++);
  }
  return fsids;
}

function vserverConfig(name: string, v: LabFile['vservers'][string]): VserverConfig {
  return { name, home: v.home, addresses: v.addresses, volumes: v.volumes, priority: v.priority, migrate: v.migrate };
}


function splitEnd(end: string): { actor: string; port: string } {
  const [actor = '', port = ''] = end.split(':');
  return { actor, port };
}

function cableSpec(lab: LabFile, a: string, b: string): CableSpec {
  return { id: `${a}-${b}`, kind: cableKind(lab, a, b), a: splitEnd(a), b: splitEnd(b) };
}

function cableKind(lab: LabFile, a: string, b: string): CableKind {
  const kinds = [a, b].map((end) => {
    const { actor, port } = splitEnd(end);
    if (own(lab.shelves, actor)) return 'fc';
    const filer = own(lab.filers, actor);
    if (filer?.interconnect.includes(port)) return 'interconnect';
    if (filer?.fcPorts.includes(port)) return 'fc';
    return 'ethernet';
  });
  return kinds.includes('interconnect') ? 'interconnect' : kinds.includes('fc') ? 'fc' : 'ethernet';
}

function filerConfig(lab: LabFile, id: string, index: number, cableAt: Map<string, string>, fsids: Map<string, number>): FilerConfig {
  const filer = lab.filers[id]; // id is one of Object.keys(lab.filers): an own key
  const ethernetPorts = Object.entries(filer.ethernet).map(([port, eth], p) => ({
    port, mac: macOf(0x0a, index + 1, p + 1), subnet: own(lab.subnets, eth.subnet)?.cidr,
  }));
  const labVservers = Object.entries(lab.vservers)
    .sort(([a], [b]) => (a === id ? -1 : b === id ? 1 : 0))
    .map(([name, v]) => vserverConfig(name, v));
  const vservers = labVservers.filter((vserver) => vserver.home === id);
  const partner = filer.partner === undefined ? undefined : own(lab.filers, filer.partner);
  return {
    name: id,
    systemId: filer.systemId,
    ...(filer.partner !== undefined && partner ? {
      partner: filer.partner, partnerSystemId: partner.systemId, partnerMailboxDisks: configuredMailboxDisks(partner.aggregates),
    } : {}),
    start: filer.start ?? lab.start,
    fcPorts: filer.fcPorts.map((port, p) => fcLoop(lab, `${id}:${port}`, port, p, cableAt)),
    ethernetPorts,
    interconnectPorts: filer.interconnect,
    nvramBytes: filer.nvramMb * 1024 * 1024,
    aggregates: filer.aggregates,
    volumes: filer.volumes.map((volume) => ({ ...volume, fsid: fsids.get(`${id}:${volume.name}`) ?? 0 })),
    spares: filer.spares,
    vservers,
    labVservers,
    options: Object.fromEntries(Object.entries(filer.options).map(([k, v]) => [k, String(v)])),
  };
}

/** Walks the chain of shelves behind one FC port. */
export function fcLoop(lab: LabFile, start: string, port: string, index: number, cableAt: Map<string, string>): FcPortConfig {
  const shelves: FcShelfRef[] = [];
  let loop: 'A' | 'B' | undefined;
  let next = cableAt.get(start);
  // Each shelf is visited at most once: the walk is bounded by the number of shelves.
  while (next !== undefined && shelves.length <= Object.keys(lab.shelves).length) {
    const { actor, port: shelfPort } = splitEnd(next);
    const shelf = own(lab.shelves, actor);
    const onward = otherEnd(shelfPort);
    if (!shelf || onward === undefined || shelves.some((s) => s.actor === actor)) break;
    loop ??= shelfPort.startsWith('A') ? 'A' : 'B';
    shelves.push({ actor, shelfId: shelf.shelfId });
    next = cableAt.get(`${actor}:${onward}`);
  }
  return { port, loop: loop ?? (index % 2 === 0 ? 'A' : 'B'), shelves };
}

function clientConfig(lab: LabFile, id: string, index: number, client: LabFile['clients'][string]): ClientActorConfig {
  const vserver = own(lab.vservers, client.vserver);
  const addresses = vserver?.addresses.map((a) => a.address) ?? [];
  const sameSubnet = addresses.find((a) => Object.values(lab.subnets).some((s) => inSubnet(a, s.cidr) && inSubnet(client.address, s.cidr)));
  return {
    name: id,
    protocol: client.protocol,
    vserver: client.vserver,
    volume: client.volume ?? vserver?.volumes[0] ?? null,
    port: CLIENT_PORT,
    mac: macOf(0xc0, index + 1, 1),
    address: client.address,
    server: hostOf(sameSubnet ?? addresses[0] ?? ''),
    ...(client.running === undefined ? {} : { running: client.running }),
    ...(client.workload === undefined ? {} : { workload: client.workload }),
  };
}
