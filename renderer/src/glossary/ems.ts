// The EMS glossary (issue 19): for an event type the timeline shows, what it means in a sentence and
// what usually follows, as data. The timeline shows it on hover; a type not listed falls back to its
// family (`raid.`, `cf.fm.`…). Words follow reference/ontap.md.
export interface EmsEntry {
  readonly meaning: string;
  readonly next?: string;
}

export const EMS_GLOSSARY: Readonly<Record<string, EmsEntry>> = {
  'cf.fm.faultDetected': { meaning: 'The failover monitor saw a fault on this filer and classed it.', next: 'A diagnosis; for a takeover-class fault, a takeover request to the partner.' },
  'cf.fm.diagnosis': { meaning: 'The failover monitor settled what is wrong and how bad it is.', next: 'A takeover request when the class is takeover or fatal.' },
  'cf.fm.takeoverRequested': { meaning: 'This filer asked its partner to take over its service.', next: 'The partner accepts (takeover started) or refuses with a reason.' },
  'cf.fm.partnerRequest': { meaning: 'The partner asked this filer to take it over.', next: 'This filer checks it can, then takes over or refuses.' },
  'cf.fm.takeoverRefused': { meaning: 'A takeover was refused (the partner judged it could not or need not).', next: 'The faulty filer keeps serving degraded, or asks again later.' },
  'cf.fm.partnerRefused': { meaning: 'The partner refused this filer’s takeover request.', next: 'The fault stays; the countdown may run out and force the question.' },
  'cf.fm.takeoverStarted': { meaning: 'Takeover began: the partner is claiming the disks and addresses.', next: 'Takeover complete, then clients resume on the partner.' },
  'cf.fm.takeoverComplete': { meaning: 'The partner serves this filer’s data and addresses now.', next: 'The taken-over filer reboots and waits for giveback.' },
  'cf.fm.takeoverFailed': { meaning: 'A takeover could not finish.', next: 'Service stays down until the cause is fixed; check cf status.' },
  'cf.fm.givebackRequested': { meaning: 'Someone asked to give the partner’s service back.', next: 'Giveback started, or refused with the reason.' },
  'cf.fm.givebackStarted': { meaning: 'Giveback began: disks and addresses go back to their home filer.', next: 'Giveback complete; clients see a short pause.' },
  'cf.fm.givebackComplete': { meaning: 'Both filers serve their own data again.', next: 'Normal HA: heartbeats on both channels.' },
  'cf.fm.givebackRefused': { meaning: 'Giveback was refused (the home filer is not ready, or a check failed).', next: 'Fix the cause, then cf giveback again.' },
  'cf.fm.countdownExpired': { meaning: 'The countdown for a faulty partner ran out.', next: 'The partner is taken over without its consent.' },
  'cf.fsm.takeoverByPartnerStarted': { meaning: 'The partner started taking this filer over.', next: 'This filer halts or reboots and waits for giveback.' },
  'cf.fsm.waitingForGiveback': { meaning: 'This filer rebooted and waits for its partner to give its service back.', next: 'cf giveback on the partner.' },
  'cf.fsm.partnerNotResponding': { meaning: 'No heartbeat from the partner on any channel.', next: 'A takeover if takeover is possible.' },
  'cf.fsm.partnerPanicked': { meaning: 'The partner told this filer it panicked.', next: 'An immediate takeover (cf.takeover.on_panic).' },
  'cf.fsm.stateTransit': { meaning: 'The HA state machine moved to another state.' },
  'pvif.switchLink': { meaning: 'A single-mode interface group lost the link of its active member and moved its address to another member.', next: 'Clients keep going; find the member\'s cable or switch port (`ifgrp status`).' },
  'pvif.allLinksDown': { meaning: 'Every member of an interface group lost its link: the group\'s address answers nowhere.', next: 'Clients of that address stall until a member is back (`ifgrp status`, the cables).' },
  'cf.options.mismatch': { meaning: 'The two filers of the pair hold different values of a cf option (one was set while the interconnect was down).', next: 'Set it the same on both before the next takeover or giveback.' },
  'cf.options.match': { meaning: 'The pair\'s cf options agree again.' },
  'cf.nvram.mirrored': { meaning: 'NVRAM is mirrored to the partner again: a takeover would lose no acknowledged write.' },
  'cf.nvram.unmirrored': { meaning: 'NVRAM is no longer mirrored to the partner (interconnect down).', next: 'Takeover becomes impossible until the interconnect is back.' },
  'cf.takeover.refused': { meaning: 'A takeover was refused.', next: 'Read the reason; cf status says what blocks it.' },
  'cifs.state.save': { meaning: 'CIFS sessions were saved to NVRAM (cifs.persistent_state on).', next: 'At takeover the partner rebuilds them from the mirror.' },
  'cifs.state.restore': { meaning: 'CIFS sessions were rebuilt from NVRAM after a takeover or reboot.', next: 'Clients resume without reconnecting.' },
  'cifs.terminationNotice': { meaning: 'CIFS clients were told the service is going away.', next: 'Sessions drop unless they are kept in NVRAM.' },
  'disk.failed': { meaning: 'A disk failed.', next: 'Its RAID group goes degraded; a spare is reconstructed.' },
  'disk.reservation.conflict': { meaning: 'A disk is reserved by another system (SCSI reservation).', next: 'This filer cannot use it until the holder releases it.' },
  'raid.disk.fail': { meaning: 'RAID failed a disk out of its group.', next: 'raid.rg.degraded, then reconstruction onto a spare.' },
  'raid.disk.missing': { meaning: 'A disk of this filer was pulled out of its bay: it is gone, not broken.', next: 'A member degrades its RAID group, which is rebuilt onto a spare.' },
  'shelf.disk.removed': { meaning: 'A disk was pulled out of its shelf bay.', next: 'Its owner reports it missing (raid.disk.missing).' },
  'shelf.disk.inserted': { meaning: 'A new disk was pushed into an empty bay: blank, owned by no filer.', next: 'disk assign gives it to a filer, which takes it as a spare.' },
  'raid.disk.fail.admin': { meaning: 'An operator failed a disk (disk fail).', next: 'A copy to a spare first, then the disk is failed.' },
  'raid.rg.degraded': { meaning: 'A RAID group runs without one disk: one more failure loses data.', next: 'Reconstruction starts if a spare is free.' },
  'raid.rg.recons.start': { meaning: 'Reconstruction onto a spare started.', next: 'Progress on the bay; raid.rg.recons.done at 100%.' },
  'raid.rg.recons.done': { meaning: 'Reconstruction finished: the RAID group is normal again.' },
  'raid.rg.recons.missing': { meaning: 'No spare to reconstruct onto.', next: 'The group stays degraded; after raid.timeout the filer shuts down.' },
  'raid.rg.degraded.timeout': { meaning: 'The RAID group was degraded too long.', next: 'The filer shuts down to protect the data.' },
  'raid.rg.diskcopy.start': { meaning: 'A disk is being copied to a spare before it is failed.', next: 'raid.rg.diskcopy.done.' },
  'raid.vol.created': { meaning: 'An aggregate was created from its disks.' },
  'raid.vol.disk.add.done': { meaning: 'A spare disk joined an aggregate (aggr add): the last RAID group up to raidsize, else a new group.', next: 'The aggregate has more room; df -A shows it.' },
  'wafl.snap.delete': { meaning: 'A snapshot was deleted (snap delete, or the schedule rotating it out).', next: 'The blocks only it held are free after the next CP (df\'s .snapshot line).' },
  'wafl.snaprestore.revert': { meaning: 'A volume was reverted to a snapshot (snap restore): clients now read the snapshot\'s contents.', next: 'Writes made after the snapshot are gone from the volume.' },
  'wafl.aggr.offline': { meaning: 'The operator took an aggregate offline (aggr offline): its volumes were offline already.', next: 'aggr online brings it back.' },
  'wafl.aggr.online': { meaning: 'An aggregate the operator took offline is online again.', next: 'vol online for its volumes.' },
  'net.route.via': { meaning: 'This node lost every good port on a subnet and reaches it through a peer node that routes for it (seed 004 claims 8, 9).', next: 'net.route.restored when a port of its own on that subnet is good again.' },
  'net.route.restored': { meaning: 'A port of this node on the subnet is good again: it stops routing through its peer.', next: 'The peer stops answering for its addresses (net.route.proxy).' },
  'net.route.proxy': { meaning: 'This node starts or stops answering and forwarding for a peer\'s addresses on a subnet the peer lost.', next: 'Clients reach the peer through this node until its own port returns.' },
  'diskown.changingOwner': { meaning: 'A disk changed owner (disk assign): taken as a spare, or given up as unowned.', next: 'A disk taken is a spare (not zeroed): disk zero spares, or it is used to rebuild.' },
  'raid.disk.unload.done': { meaning: 'A spare was unloaded (disk remove) so that it can be pulled.', next: 'No RAID group takes it until the next boot.' },
  'raid.disk.unfail.done': { meaning: 'A failed disk was made a spare again (disk unfail), not zeroed.', next: 'It may fail again if it is really faulty.' },
  'raid.vol.failed': { meaning: 'An aggregate failed (too many disks lost).', next: 'Its volumes go offline.' },
  'ses.status.psWarning': { meaning: 'The filer heard from a shelf\'s enclosure services that one of its power supplies failed.', next: '`environment shelf` shows which; the other supply carries the shelf until it is replaced.' },
  'ses.status.psInfo': { meaning: 'A shelf\'s enclosure services report a power supply working again.', next: 'Nothing to do: `environment shelf` shows no error.' },
  'shelf.psu.failed': { meaning: 'A shelf power supply failed; the other carries the shelf.', next: 'Replace it: losing the second powers the shelf off.' },
  'shelf.power.lost': { meaning: 'A shelf lost power: its disks are gone from both loops.', next: 'RAID groups on it fail or degrade.' },
  'shelf.power.restored': { meaning: 'A shelf has power again.', next: 'Its disks return; RAID may reconstruct.' },
  'nvram.battery.state': { meaning: 'The NVRAM battery changed state.', next: 'A low battery blocks takeover and may shut the filer down.' },
  'nvram.log.restored': { meaning: 'Writes logged in NVRAM were replayed after a reboot or takeover.' },
  'wafl.replay.done': { meaning: 'WAFL replayed the NVRAM log: every acknowledged write is on disk.' },
  'wafl.cp.failed': { meaning: 'A consistency point could not be written.', next: 'Writes pile up in NVRAM; the filer may panic.' },
  'wafl.vol.full': { meaning: 'A volume is full: writes to it fail.' },
  'kern.uptime.filer': { meaning: 'The filer’s hourly note of how long it has been up and what it served.' },
  'ems.badSource': { meaning: 'An event logged under a name EMS does not accept (a lab bug worth reporting).' },
  'kern.shutdown': { meaning: 'The filer is shutting down.' },
  'monitor.shutdown.chassisOverTemp': { meaning: 'The chassis is too hot.', next: 'The filer shuts down to protect itself.' },
  'monitor.nvramLowBattery': { meaning: 'The NVRAM battery is too low to keep the log through a power loss, and no partner can take over.', next: 'Hourly warnings, then a shutdown after raid.timeout hours unless the battery is replaced.' },
  'monitor.nvramLowBattery.timeout': { meaning: 'Hours left before the low-battery shutdown.', next: 'The shutdown, unless the battery is replaced.' },
  'monitor.nvramLowBattery.notice': { meaning: 'The filer shuts down now because of its low NVRAM battery.', next: 'It runs raid.timeout hours more after a reboot.' },
  'vif.lif.migrated': { meaning: 'An address moved to another port.', next: 'Clients reach it there after an ARP update.' },
  'vif.port.noHealthyPort': { meaning: 'No healthy port is left for an address.', next: 'The vserver may fail over to another node.' },
  'vif.port.up': { meaning: 'A network port came up.' },
  'vsrv.master.elected': { meaning: 'This node became the cluster master: it places vservers when a node fails.' },
  'vsrv.failover': { meaning: 'A node failed and the master placed its vservers on the survivors.', next: 'vsrv.move.* as each vserver is mounted on its new node.' },
  'vsrv.migrate.requested': { meaning: 'A vserver migration was asked for (vserver migrate or the balancer).', next: 'Start, then released and mounted, then done.' },
  'vsrv.migrate.start': { meaning: 'A vserver started moving to another node.', next: 'Its aggregate is released here and mounted there.' },
  'vsrv.migrate.done': { meaning: 'The vserver serves from its new node, with its addresses.' },
  'vsrv.migrate.refused': { meaning: 'A migration was refused (unknown node, node down, or not migratable).' },
  'vsrv.migrate.failed': { meaning: 'A migration did not finish.', next: 'The vserver stays or returns where it was.' },
  'vsrv.move.released': { meaning: 'The old node released the vserver’s aggregate.', next: 'The new node reserves and mounts it.' },
  'vsrv.move.mounted': { meaning: 'The new node mounted the vserver’s aggregate.', next: 'It serves the vserver’s addresses.' },
  'vsrv.noMigrate': { meaning: 'A vserver that must not migrate stays down with its failed node.' },
  'vsrv.node.up': { meaning: 'A node joined the cluster.', next: 'The balancer may move vservers to it.' },
  'lb.plan': { meaning: 'The load balancer planned vserver moves to even out the nodes.', next: 'vsrv.migrate.* for each move.' },
  'net.ifconfig.nfo': { meaning: 'Network interface failover changed a port’s state.' },
  'mgr.opt.changed': { meaning: 'An option was changed (options …).' },
};

const FAMILIES: ReadonlyArray<readonly [string, string]> = [
  ['cf.fm.', 'The failover monitor (HA): faults, diagnosis and takeover negotiation.'],
  ['cf.fsm.', 'The HA state machine of this filer and its partner.'],
  ['cf.', 'Controller failover (HA pair).'],
  ['raid.', 'RAID: disks, RAID groups and aggregates.'],
  ['disk.', 'A disk on a shelf.'],
  ['shelf.', 'A disk shelf: power, modules.'],
  ['wafl.', 'WAFL, the file system: consistency points, volumes.'],
  ['nvram.', 'NVRAM: the log of acknowledged writes.'],
  ['cifs.', 'CIFS (SMB) service.'],
  ['vsrv.', 'The cluster’s vservers: placement, migration, failover.'],
  ['vif.', 'Network ports and the addresses on them.'],
  ['lb.', 'The cluster’s load balancer.'],
];

/** The entry for an event type: its own, else its family’s meaning; undefined for an unknown family. */
export function emsGloss(type: string): EmsEntry | undefined {
  const own = EMS_GLOSSARY[type];
  if (own) return own;
  const family = FAMILIES.find(([prefix]) => type.startsWith(prefix));
  return family ? { meaning: family[1] } : undefined;
}

/** One line for a tooltip: the meaning and, when known, what usually follows. */
export function emsGlossText(type: string): string {
  const entry = emsGloss(type);
  if (!entry) return '';
  return entry.next ? `${entry.meaning} Usually next: ${entry.next}` : entry.meaning;
}
