// `vserver migrate` (seed 004, step 3): the operator moves a vserver to another node with the same
// migration the master's balancer and the failover spread use (cluster/migration.ts): the node serving
// it writes a CP of its aggregate and releases it, the destination reserves, mounts and serves it.
// `vserver migrate -vserver <vserver> -destination-node <node>`, or `vserver migrate <vserver> <node>`.
import type { CommandDefinition } from '../console/command.ts';
import { subsystemState } from '../../hardware/filer/subsystem.ts';
import { operatorMigrate } from '../cluster/balance.ts';
import { CLUSTER_SUBSYSTEM, fileServiceOf } from '../cluster/cluster-subsystem.ts';
import type { ClusterState } from '../cluster/types.ts';
import { logEms } from '../ems.ts';

const vserverMigrate: CommandDefinition = {
  name: 'vserver migrate', synopsis: 'move a vserver, with its addresses and its aggregate, to another node',
  usage: ['vserver migrate -vserver <vserver> -destination-node <node>', 'vserver migrate <vserver> <node>'], privilege: 'admin',
  completions: ['-vserver', '-destination-node'],
  run: (args, ctx) => {
    const cluster = subsystemState<ClusterState>(ctx.filer, CLUSTER_SUBSYSTEM);
    const fs = fileServiceOf(ctx.filer);
    if (!cluster?.active || !cluster.running || !fs) { ctx.print('Error: this node is not part of a cluster.'); return 'done'; }
    const flagged = args[0]?.startsWith('-') ?? false;
    const value = (flag: string): string | undefined => { const index = args.indexOf(flag); return index >= 0 ? args[index + 1] : undefined; };
    const vserver = flagged ? value('-vserver') : args[0];
    const node = flagged ? value('-destination-node') : args[1];
    if (vserver === undefined || node === undefined) return ctx.usage();
    const refusal = operatorMigrate(cluster, fs, ctx.filer, ctx.actor, vserver, node);
    if (refusal !== null) { ctx.print(`Error: ${refusal}.`); return 'done'; }
    ctx.print(`Info: migrating vserver ${vserver} to ${node}: a CP of its aggregate, then ${node} mounts it and serves its addresses.`);
    logEms(ctx.filer, ctx.actor, 'vsrv.migrate.requested', 'notice', `${vserver}: migration to ${node} requested by the operator.`);
    return 'done';
  },
};

export const vserverMigrateCommands: readonly CommandDefinition[] = [vserverMigrate];
