// Which vservers this filer serves, and on which of its ports (DESIGN.md §4 "Identity"). A filer serves
// its home vservers once its storage is online; a takeover serves the partner's vserver on top
// (`serveVserver`) and a giveback releases it (`releaseVserver`). Seed 004's moves use the same two
// calls. A vserver's volumes are reached through the storage key prefix of whoever mounted them: '' for
// this filer's own aggregates, `filerA:` for a partner's mounted at takeover. Requests are resolved
// through the vserver they were addressed to, never through the node that happens to receive them.
import type { ActorContext } from '../../engine/actor.ts';
import type { VserverConfig } from '../../hardware/filer/chassis.ts';
import { subsystemState, type FilerState } from '../../hardware/filer/subsystem.ts';
import { hostOf } from '../../hardware/net/address.ts';
import { addAddress, removeAddress } from '../../hardware/net/ethernet.ts';
import { STORAGE_SLOT } from '../ha/slots.ts';
import type { StorageState } from '../storage/types.ts';
import { adoptAtTakeover } from './cifs-restore.ts';
import { dropVserverSessions } from './cifs-state.ts';
import type { FileServiceState, ServedAddress } from './state.ts';
import { publishFileServiceView } from './view.ts';
import { markedVolumesOf } from './volume-vserver.ts';

/** The storage key of a vserver's volume as this filer holds it (`vol1`, or `filerA:vol1` in takeover). */
export function volumeKey(served: ServedAddress, volume: string): string {
  return served.storagePrefix + volume;
}

/** The port of this filer that carries an address whose home port is `homePort`: same name, else the first. */
function portFor(filer: FilerState, homePort: string): string | undefined {
  const ports = filer.config.ethernetPorts.map((eth) => eth.port);
  return ports.includes(homePort) ? homePort : ports[0];
}

/** The topology's volumes of a vserver, then those `vol create` made for it since (marked on their disks). */
export function vserverVolumes(filer: FilerState, vserver: VserverConfig, storagePrefix: string): string[] {
  const created = markedVolumesOf(subsystemState<StorageState>(filer, STORAGE_SLOT), storagePrefix, vserver.name);
  return [...vserver.volumes, ...created.filter((volume) => !vserver.volumes.includes(volume))];
}

/** Brings a vserver's addresses up on this filer's ports (a gratuitous ARP each) and serves its volumes. */
export function serveVserver(fs: FileServiceState, filer: FilerState, ctx: ActorContext, vserver: VserverConfig, storagePrefix: string): void {
  releaseAddressesOf(fs, vserver.name);
  const volumes = vserverVolumes(filer, vserver, storagePrefix);
  for (const entry of vserver.addresses) {
    const port = portFor(filer, entry.port);
    if (port === undefined || !addAddress(fs.ip, ctx, port, entry.address)) continue;
    fs.served.push({ address: hostOf(entry.address), vserver: vserver.name, port, volumes: [...volumes], storagePrefix });
  }
  // A partner's vserver after a takeover: its CIFS sessions come with it when the partner saved them
  // (seed 003); its connections answer on the moved addresses, so the clients see no reset.
  if (storagePrefix !== '') adoptAtTakeover(fs, filer, ctx, vserver, storagePrefix);
  publishFileServiceView(fs, filer, ctx);
}

/** Takes a vserver's addresses down here; its CIFS sessions end (seed 003 keeps them when asked). */
export function releaseVserver(fs: FileServiceState, filer: FilerState, ctx: ActorContext, vserver: string): number {
  releaseAddressesOf(fs, vserver);
  const adopted = fs.persist.adopted[vserver];
  delete fs.persist.adopted[vserver];
  const dropped = dropVserverSessions(fs.cifs, vserver) + (adopted ? dropVserverSessions(adopted, vserver) : 0);
  fs.counters.sessionsDropped += dropped;
  publishFileServiceView(fs, filer, ctx);
  return dropped;
}

/**
 * Moves one served address to another port of this filer (seed 004 port failover and `network interface
 * migrate`): it goes down on its port and up on the new one with a gratuitous ARP, so the switch and the
 * clients' caches follow it. The vserver and its volumes stay where they are.
 */
export function moveServedAddress(fs: FileServiceState, filer: FilerState, ctx: ActorContext, address: string, cidr: string, port: string): boolean {
  const index = fs.served.findIndex((served) => served.address === address);
  if (index < 0 || fs.ip.ports[port] === undefined || fs.ip.ports[port].addresses.includes(cidr)) return false;
  if (!addAddress(fs.ip, ctx, port, cidr)) return false;
  fs.served[index] = { ...fs.served[index], port };
  publishFileServiceView(fs, filer, ctx);
  return true;
}

/** A volume `vol create` made for a vserver this filer serves from its own storage: its clients mount it at once. */
export function serveCreatedVolume(fs: FileServiceState, filer: FilerState, ctx: ActorContext, vserver: string, volume: string): void {
  fs.served = fs.served.map((served) => (served.vserver === vserver && served.storagePrefix === '' && !served.volumes.includes(volume)
    ? { ...served, volumes: [...served.volumes, volume] } : served));
  publishFileServiceView(fs, filer, ctx);
}

function releaseAddressesOf(fs: FileServiceState, vserver: string): void {
  for (const served of fs.served.filter((candidate) => candidate.vserver === vserver)) removeAddress(fs.ip, served.address);
  fs.served = fs.served.filter((served) => served.vserver !== vserver);
}

/** The vservers whose home is this filer (its own identity first). */
export function homeVservers(filer: FilerState): readonly VserverConfig[] {
  return filer.config.vservers;
}
