// Seed 004's console commands, in clustered ONTAP's shapes: `cluster show`, `vserver show`,
// `network interface show`, `network port show` and `network interface migrate`. Each node answers from
// its own view: what it serves, and what the other nodes said in their last heartbeats.
import type { CommandContext, CommandDefinition } from '../console/command.ts';
import { subsystemState } from '../../hardware/filer/subsystem.ts';
import { CLUSTER_SUBSYSTEM, fileServiceOf } from '../cluster/cluster-subsystem.ts';
import { lifByName, lifOfAddress, lifsOf } from '../cluster/lifs.ts';
import { portLoad } from '../cluster/port-failover.ts';
import type { ClusterState } from '../cluster/types.ts';
import { moveServedAddress } from '../fileservice/vserver-service.ts';
import { logEms } from '../ems.ts';

function clusterOf(ctx: CommandContext): ClusterState | undefined {
  const cluster = subsystemState<ClusterState>(ctx.filer, CLUSTER_SUBSYSTEM);
  return cluster?.active && cluster.running ? cluster : undefined;
}

function row(cells: readonly (string | number)[], widths: readonly number[]): string {
  return cells.map((cell, index) => String(cell).padEnd(widths[index] ?? 8)).join(' ').trimEnd();
}

function table(header: readonly (readonly string[])[], widths: readonly number[], rows: readonly (readonly (string | number)[])[]): string[] {
  const lines = header.map((cells) => row(cells, widths));
  lines.push(widths.map((width) => '-'.repeat(width)).join(' '));
  for (const cells of rows) lines.push(row(cells, widths));
  lines.push(`${rows.length} entries were displayed.`);
  return lines;
}

/** Where each vserver runs as this node sees it: itself, then the others' heartbeats. */
function placements(cluster: ClusterState, ctx: CommandContext): Record<string, string> {
  const where: Record<string, string> = {};
  for (const [node, member] of Object.entries(cluster.members)) if (member.state === 'up') for (const vserver of member.serving) where[vserver] = node;
  for (const served of fileServiceOf(ctx.filer)?.served ?? []) where[served.vserver] = ctx.localName;
  return where;
}

/** Where each address is up as this node sees it: `node:port`. */
function lifPlaces(cluster: ClusterState, ctx: CommandContext): Record<string, string> {
  const where: Record<string, string> = {};
  // A port with its node (`node2:e0a`) is an address a peer routes for that node (seed 004 claim 9).
  for (const [node, member] of Object.entries(cluster.members)) if (member.state === 'up') for (const [address, port] of Object.entries(member.lifPorts)) where[address] = port.includes(':') ? port : `${node}:${port}`;
  for (const served of fileServiceOf(ctx.filer)?.served ?? []) where[served.address] = served.routedVia ?? `${ctx.localName}:${served.port}`;
  return where;
}

function notClustered(ctx: CommandContext): 'done' {
  ctx.print('This node is not part of a cluster (or its OS is not up).');
  return 'done';
}

const clusterShow: CommandDefinition = {
  name: 'cluster show', synopsis: 'show the cluster nodes, their health and the master', usage: ['cluster show'], privilege: 'admin',
  run: (_args, ctx) => {
    const cluster = clusterOf(ctx);
    if (!cluster) return notClustered(ctx);
    const nodes = [ctx.localName, ...Object.keys(cluster.members)].sort();
    const health = (node: string): string => (node === ctx.localName || cluster.members[node]?.state === 'up' ? 'true' : 'false');
    ctx.printLines(table([['Node', 'Health', 'Eligibility', 'Master']], [20, 7, 11, 6],
      nodes.map((node) => [node, health(node), health(node), node === cluster.master ? 'master' : ''])));
    return 'done';
  },
};

const vserverShow: CommandDefinition = {
  name: 'vserver show', synopsis: 'show the vservers and the node each runs on', usage: ['vserver show'], privilege: 'admin',
  run: (_args, ctx) => {
    const cluster = clusterOf(ctx);
    if (!cluster) return notClustered(ctx);
    const where = placements(cluster, ctx);
    const rows = ctx.filer.config.labVservers.filter((vserver) => vserver.name !== vserver.home)
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((vserver) => [vserver.name, where[vserver.name] ?? vserver.home, where[vserver.name] ? 'running' : 'down', vserver.priority, String(vserver.migrate), vserver.volumes.join(',')]);
    ctx.printLines(table([['Vserver', 'Node', 'State', 'Priority', 'Migrate', 'Volumes']], [11, 10, 9, 8, 7, 12], rows));
    return 'done';
  },
};

const interfaceShow: CommandDefinition = {
  name: 'network interface show', synopsis: 'show the vservers\' logical interfaces and where they are up', usage: ['network interface show'], privilege: 'admin',
  run: (_args, ctx) => {
    const cluster = clusterOf(ctx);
    if (!cluster) return notClustered(ctx);
    const where = lifPlaces(cluster, ctx);
    const rows = ctx.filer.config.labVservers.flatMap((vserver) => lifsOf(vserver)).map((lif) => {
      const [node = '-', port = '-'] = (where[lif.address] ?? '').split(':');
      const up = where[lif.address] !== undefined;
      return [lif.vserver, lif.name, up ? 'up/up' : 'up/down', lif.cidr, up ? node : '-', up ? port : '-', String(up && node === lif.homeNode && port === lif.homePort)];
    });
    ctx.printLines(table([['', 'Logical', 'Status', 'Network', 'Current', 'Current', 'Is'], ['Vserver', 'Interface', 'Admin/Oper', 'Address/Mask', 'Node', 'Port', 'Home']],
      [11, 10, 10, 16, 10, 7, 5], rows));
    return 'done';
  },
};

const portShow: CommandDefinition = {
  name: 'network port show', synopsis: 'show this node\'s Ethernet ports, their addresses and load', usage: ['network port show'], privilege: 'admin',
  run: (_args, ctx) => {
    const cluster = clusterOf(ctx);
    const fs = fileServiceOf(ctx.filer);
    if (!cluster || !fs) return notClustered(ctx);
    const rows = ctx.filer.config.ethernetPorts.map((eth) => {
      const vips = fs.served.filter((served) => served.port === eth.port).map((served) => lifOfAddress(ctx.filer.config.labVservers, served.address)?.name ?? served.address);
      return [ctx.localName, eth.port, ctx.actor.linkUp(eth.port) ? 'up' : 'down', eth.subnet ?? '-', cluster.ports[eth.port]?.state ?? 'up', portLoad(cluster, fs, eth.port).toFixed(1), vips.join(',') || '-'];
    });
    ctx.printLines(table([['Node', 'Port', 'Link', 'Subnet', 'Failover', 'Req/s', 'Interfaces']], [10, 5, 5, 14, 9, 7, 20], rows));
    return 'done';
  },
};

/** `-name value` pairs. */
function flags(args: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let index = 0; index + 1 < args.length; index += 2) if (args[index].startsWith('-')) out[args[index].slice(1)] = args[index + 1];
  return out;
}

const interfaceMigrate: CommandDefinition = {
  name: 'network interface migrate', synopsis: 'move a logical interface to another port of this node',
  usage: ['network interface migrate -vserver <vserver> -lif <lif> -destination-port <port> [-destination-node <node>]'], privilege: 'admin',
  completions: ['-vserver', '-lif', '-destination-port', '-destination-node'],
  run: (args, ctx) => {
    const cluster = clusterOf(ctx);
    const fs = fileServiceOf(ctx.filer);
    if (!cluster || !fs) return notClustered(ctx);
    const given = flags(args);
    const vserver = given['vserver'];
    const name = given['lif'];
    const port = given['destination-port'];
    if (vserver === undefined || name === undefined || port === undefined) return ctx.usage();
    if (given['destination-node'] !== undefined && given['destination-node'] !== ctx.localName) {
      ctx.print(`Error: a lif moves to another node only with its vserver; ${name} stays on ${ctx.localName}.`);
      return 'done';
    }
    const lif = lifByName(ctx.filer.config.labVservers, vserver, name);
    if (!lif || !fs.served.some((served) => served.address === lif.address)) { ctx.print(`Error: ${vserver} has no interface ${name} up on ${ctx.localName}.`); return 'done'; }
    if (!ctx.filer.config.ethernetPorts.some((eth) => eth.port === port) || !ctx.actor.linkUp(port)) { ctx.print(`Error: port ${ctx.localName}:${port} is not a healthy Ethernet port.`); return 'done'; }
    const from = fs.served.find((served) => served.address === lif.address)?.port;
    if (!moveServedAddress(fs, ctx.filer, ctx.actor, lif.address, lif.cidr, port)) { ctx.print(`${name} is already on ${port}.`); return 'done'; }
    cluster.lifMoves += 1;
    logEms(ctx.filer, ctx.actor, 'vif.lif.migrated', 'notice', `${name} moved ${ctx.localName}:${from} -> ${ctx.localName}:${port} (operator).`);
    return 'done';
  },
};

export const clusterCommands: readonly CommandDefinition[] = [clusterShow, vserverShow, interfaceShow, portShow, interfaceMigrate];
