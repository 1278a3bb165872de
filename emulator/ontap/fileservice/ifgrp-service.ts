// The file service's side of interface groups (hardware/net/ifgrp.ts): an address configured on a group
// with `ifconfig` is one more address of the filer's own identity, served where the group's carrier is;
// when a member's link changes and the carrier moves, the served address moves with it and the console
// logs the switch. Console configuration, as on the product: a halt clears the groups with the IP stack
// (the product keeps them only in /etc/rc).
import type { ActorContext, PortName } from '../../engine/actor.ts';
import type { FilerState } from '../../hardware/filer/subsystem.ts';
import { hostOf } from '../../hardware/net/address.ts';
import { removeAddress } from '../../hardware/net/ethernet.ts';
import { memberLinkChanged, settleCarrier, type CarrierChange, type Ifgrp } from '../../hardware/net/ifgrp.ts';
import { logEms } from '../ems.ts';
import type { FileServiceState } from './state.ts';
import { publishFileServiceView } from './view.ts';
import { vserverVolumes } from './vserver-service.ts';

/** A member's link changed (after the IP stack forgot what it learned there). */
export function ifgrpLinkEvent(fs: FileServiceState, filer: FilerState, ctx: ActorContext, port: PortName, up: boolean): void {
  const change = memberLinkChanged(fs.ip, ctx, port, up);
  if (change === null) return;
  const group = fs.ip.ifgrps?.[change.group];
  if (group) followCarrier(fs, filer, ctx, group);
  logCarrierChange(filer, ctx, change);
}

/** `ifconfig <ifgrp> <address> … [up|down]`: the old addresses go down everywhere, the new ones up on the carrier. */
export function setIfgrpAddresses(fs: FileServiceState, filer: FilerState, ctx: ActorContext, group: Ifgrp, cidrs: readonly string[], up: boolean): void {
  const old = group.addresses.map(hostOf);
  for (const address of old) removeAddress(fs.ip, address);
  fs.served = fs.served.filter((served) => !old.includes(served.address));
  group.addresses = [...cidrs];
  group.adminUp = up;
  resettleIfgrp(fs, filer, ctx, group);
}

/** `ifconfig <ifgrp> up|down` or a new address: the addresses go up on the carrier or down. */
export function resettleIfgrp(fs: FileServiceState, filer: FilerState, ctx: ActorContext, group: Ifgrp): void {
  const change = settleCarrier(fs.ip, ctx, group);
  followCarrier(fs, filer, ctx, group);
  // A move between members (`ifgrp favor`) is logged; configuring the group up or down is not an event.
  if (change !== null && change.from !== null && change.to !== null) logCarrierChange(filer, ctx, change);
}

/** The served entries of the group's addresses: on the carrier, or none while the group has no carrier. */
function followCarrier(fs: FileServiceState, filer: FilerState, ctx: ActorContext, group: Ifgrp): void {
  const addresses = group.addresses.map(hostOf);
  fs.served = fs.served.filter((served) => !addresses.includes(served.address));
  const own = filer.config.vservers.find((vserver) => vserver.name === filer.config.name);
  if (group.carrier !== null && own && fs.status !== 'stopped') {
    const volumes = vserverVolumes(filer, own, '');
    for (const address of addresses) fs.served.push({ address, vserver: own.name, port: group.carrier, volumes: [...volumes], storagePrefix: '' });
  }
  publishFileServiceView(fs, filer, ctx);
}

function logCarrierChange(filer: FilerState, ctx: ActorContext, change: CarrierChange): void {
  if (change.to !== null) logEms(filer, ctx, 'pvif.switchLink', 'warning', `${change.group}: switching to ${change.to}`);
  else logEms(filer, ctx, 'pvif.allLinksDown', 'error', `${change.group}: all links down; its addresses are down.`);
}
