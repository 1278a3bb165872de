// Checks that need the whole lab file: every reference names something that exists, every port carries
// one cable, every disk is used once and by its owner, every address sits in its port's subnet.
import { parseDiskComponent } from '../hardware/disk-names.ts';
import { inSubnet, parseCidr } from '../hardware/net/address.ts';
import type { LabPath } from './parse.ts';
import { own } from './schema.ts';
import type { LabFile } from './schema.ts';
import { actorPorts, populatedBays } from './topology.ts';

export interface LabProblem {
  readonly path: LabPath;
  readonly message: string;
}

/**
 * The most of each part a lab may have (issue 21): every filer is a worker thread of ~36 MB and every
 * disk holds blocks, so a lab past these is refused before anything is built. Far above the built-in
 * labs (cluster-4: 4 filers, 4 shelves, 28 cables).
 */
export const LAB_LIMITS = { filers: 16, shelves: 32, disks: 448, switches: 16, subnets: 32, vservers: 64, clients: 64, cables: 512 } as const;

export function crossCheck(lab: LabFile): LabProblem[] {
  const problems: LabProblem[] = [];
  const report = (path: LabPath, message: string) => problems.push({ path, message });
  // Too big a lab is refused at once: the other checks would only walk it.
  if (checkLimits(lab, report)) return problems;
  checkNames(lab, report);
  checkCables(lab, report);
  checkFilers(lab, report);
  checkNetworks(lab, report);
  return problems;
}

type Report = (path: LabPath, message: string) => void;

/** Reports each part past its limit; true when any was. */
function checkLimits(lab: LabFile, report: Report): boolean {
  const counts: Record<keyof typeof LAB_LIMITS, number> = {
    filers: Object.keys(lab.filers).length, shelves: Object.keys(lab.shelves).length,
    disks: Object.values(lab.shelves).reduce((sum, shelf) => sum + populatedBays(shelf).length, 0),
    switches: Object.keys(lab.switches).length, subnets: Object.keys(lab.subnets).length,
    vservers: Object.keys(lab.vservers).length, clients: Object.keys(lab.clients).length, cables: lab.cables.length,
  };
  let over = false;
  for (const part of Object.keys(LAB_LIMITS) as (keyof typeof LAB_LIMITS)[]) {
    if (counts[part] <= LAB_LIMITS[part]) continue;
    over = true;
    report([part === 'disks' ? 'shelves' : part], `a lab has at most ${LAB_LIMITS[part]} ${part}; this one has ${counts[part]}`);
  }
  return over;
}

function checkNames(lab: LabFile, report: Report): void {
  const seen = new Map<string, string>();
  for (const section of ['filers', 'shelves', 'switches', 'clients'] as const) {
    for (const id of Object.keys(lab[section])) {
      const other = seen.get(id);
      if (other) report([section, id], `'${id}' is already the name of one of the ${other}`);
      seen.set(id, section);
    }
  }
  // A shelf id names a shelf on its loop (disk 0a.17 is shelf 1 of the loop on 0a): shelves cabled to
  // each other share loops and need ids of their own; shelves of another stack may reuse them.
  const stackOf = shelfStacks(lab);
  const shelfIds = new Map<string, string>();
  for (const [id, shelf] of Object.entries(lab.shelves)) {
    const key = `${stackOf(id)}#${shelf.shelfId}`;
    const other = shelfIds.get(key);
    if (other) report(['shelves', id, 'shelfId'], `shelf id ${shelf.shelfId} is already used by ${other}, on the same loop`);
    shelfIds.set(key, id);
    if (shelf.owner !== null && !own(lab.filers, shelf.owner)) report(['shelves', id, 'owner'], `no filer named '${shelf.owner}'`);
  }
}

/** Which stack each shelf is in: shelves joined by shelf-to-shelf cables, named by one of them. */
function shelfStacks(lab: LabFile): (shelf: string) => string {
  const parent = new Map<string, string>();
  const root = (shelf: string): string => {
    let at = shelf;
    while (parent.has(at) && parent.get(at) !== at) at = parent.get(at)!;
    return at;
  };
  for (const cable of lab.cables) {
    const [left, right] = cable.map((end) => end.split(':')[0] ?? '');
    if (!own(lab.shelves, left) || !own(lab.shelves, right)) continue;
    const [a, b] = [root(left), root(right)];
    if (a !== b) parent.set(a, b);
  }
  return root;
}

function checkCables(lab: LabFile, report: Report): void {
  const ports = actorPorts(lab);
  const used = new Map<string, number>();
  lab.cables.forEach((cable, index) => {
    cable.forEach((end, side) => {
      const [actor = '', port = ''] = end.split(':');
      const known = ports.get(actor);
      if (!known) report(['cables', index, side], `no actor named '${actor}'`);
      else if (!known.includes(port)) report(['cables', index, side], `${actor} has no port '${port}' (its ports: ${known.join(', ')})`);
      const previous = used.get(end);
      if (previous !== undefined) report(['cables', index, side], `port ${end} already has a cable (cables.${previous})`);
      used.set(end, index);
    });
    if (cable[0] === cable[1]) report(['cables', index], 'a cable needs two different ends');
  });
  checkSwitchLoops(lab, report);
}

/**
 * Switches forward every broadcast out of every other port: cabled to itself, or in a ring with other
 * switches, a lab's traffic multiplies every virtual second (no spanning tree here). The switches and
 * the cables between them must form a forest; the cable that closes a loop is refused.
 */
function checkSwitchLoops(lab: LabFile, report: Report): void {
  const parent = new Map<string, string>(Object.keys(lab.switches).map((id) => [id, id]));
  const root = (id: string): string => {
    let at = id;
    while (parent.get(at) !== at) at = parent.get(at)!;
    return at;
  };
  lab.cables.forEach(([a, b], index) => {
    const left = a.split(':')[0] ?? '';
    const right = b.split(':')[0] ?? '';
    if (!own(lab.switches, left) || !own(lab.switches, right)) return;
    if (left === right) return report(['cables', index], `${left} is cabled to itself: a switching loop (broadcasts would multiply)`);
    const [rootLeft, rootRight] = [root(left), root(right)];
    if (rootLeft === rootRight) return report(['cables', index], `this cable closes a loop of switches through ${left} and ${right} (broadcasts would multiply)`);
    parent.set(rootLeft, rootRight);
  });
}

function checkFilers(lab: LabFile, report: Report): void {
  const usedDisks = new Map<string, string>();
  for (const [id, filer] of Object.entries(lab.filers)) {
    if (filer.partner !== undefined) {
      const partner = own(lab.filers, filer.partner);
      if (!partner) report(['filers', id, 'partner'], `no filer named '${filer.partner}'`);
      else if (partner.partner !== id) report(['filers', id, 'partner'], `${filer.partner} does not name ${id} as its partner`);
    }
    const checkDisk = (disk: string, path: LabPath) => {
      const ref = parseDiskComponent(disk);
      const shelf = ref ? own(lab.shelves, ref.shelf) : undefined;
      if (!ref || !shelf) return report(path, `no disk '${disk}' (disks are shelf.bay, like shelf1.3)`);
      if (!populatedBays(shelf).includes(ref.bay)) return report(path, `bay ${ref.bay} of ${ref.shelf} is empty`);
      if (shelf.owner !== id) report(path, `disk ${disk} is owned by ${shelf.owner ?? 'nobody'}, not ${id}`);
      const other = usedDisks.get(disk);
      if (other) report(path, `disk ${disk} is already used at ${other}`);
      usedDisks.set(disk, path.join('.'));
    };
    filer.aggregates.forEach((aggr, a) => aggr.disks.forEach((disk, d) => checkDisk(disk, ['filers', id, 'aggregates', a, 'disks', d])));
    filer.spares.forEach((disk, s) => checkDisk(disk, ['filers', id, 'spares', s]));
    const aggregates = new Set(filer.aggregates.map((a) => a.name));
    filer.volumes.forEach((volume, v) => {
      if (!aggregates.has(volume.aggregate)) report(['filers', id, 'volumes', v, 'aggregate'], `${id} has no aggregate '${volume.aggregate}'`);
    });
    for (const [port, eth] of Object.entries(filer.ethernet)) {
      if (!own(lab.subnets, eth.subnet)) report(['filers', id, 'ethernet', port, 'subnet'], `no subnet named '${eth.subnet}'`);
    }
  }
}

function checkNetworks(lab: LabFile, report: Report): void {
  for (const [id, subnet] of Object.entries(lab.subnets)) {
    if (!parseCidr(subnet.cidr)) report(['subnets', id, 'cidr'], `'${subnet.cidr}' is not a valid network`);
    if (!own(lab.switches, subnet.switch)) report(['subnets', id, 'switch'], `no switch named '${subnet.switch}'`);
  }
  const addresses = new Map<string, string>();
  const claim = (cidr: string, path: LabPath) => {
    const ip = cidr.split('/')[0] ?? '';
    const other = addresses.get(ip);
    if (other) report(path, `address ${ip} is already used at ${other}`);
    addresses.set(ip, path.join('.'));
  };
  for (const [id, vserver] of Object.entries(lab.vservers)) {
    const home = own(lab.filers, vserver.home);
    if (!home) {
      report(['vservers', id, 'home'], `no filer named '${vserver.home}'`);
      continue;
    }
    const homeVolumes = new Set(home.volumes.map((v) => v.name));
    vserver.volumes.forEach((volume, v) => {
      if (!homeVolumes.has(volume)) report(['vservers', id, 'volumes', v], `${vserver.home} has no volume '${volume}'`);
    });
    vserver.addresses.forEach((entry, a) => {
      const path = ['vservers', id, 'addresses', a];
      claim(entry.address, [...path, 'address']);
      const eth = own(home.ethernet, entry.port);
      if (!eth) return report([...path, 'port'], `${vserver.home} has no Ethernet port '${entry.port}'`);
      const subnet = own(lab.subnets, eth.subnet);
      if (subnet && !inSubnet(entry.address, subnet.cidr)) report([...path, 'address'], `${entry.address} is not in subnet ${eth.subnet} (${subnet.cidr}) of ${vserver.home}:${entry.port}`);
    });
  }
  for (const [id, client] of Object.entries(lab.clients)) {
    claim(client.address, ['clients', id, 'address']);
    const vserver = own(lab.vservers, client.vserver);
    if (!vserver) report(['clients', id, 'vserver'], `no vserver named '${client.vserver}'`);
    else if (client.probe === true) checkProbe(lab, id, client, report);
    else if (client.volume !== undefined && !vserver.volumes.includes(client.volume)) report(['clients', id, 'volume'], `vserver ${client.vserver} has no volume '${client.volume}'`);
    if (!Object.values(lab.subnets).some((s) => inSubnet(client.address, s.cidr))) report(['clients', id, 'address'], `${client.address} is in none of the lab's subnets`);
  }
}

/** A probe names another vserver's volume (it shows that its own vserver cannot see it). */
function checkProbe(lab: LabFile, id: string, client: LabFile['clients'][string], report: Report): void {
  const volume = client.volume;
  if (volume === undefined) return report(['clients', id, 'probe'], 'a probe names the volume it tries (volume:)');
  const owner = Object.entries(lab.vservers).find(([, vserver]) => vserver.volumes.includes(volume));
  if (!owner) report(['clients', id, 'volume'], `no vserver has a volume '${volume}'`);
  else if (owner[0] === client.vserver) report(['clients', id, 'probe'], `${volume} is ${client.vserver}'s own volume: a probe tries another vserver's`);
}
