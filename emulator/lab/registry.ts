// Behaviours by kind, for the engine (and for each worker thread, which imports this module to rebuild
// the same table). The filer is its chassis plus the ONTAP subsystems listed here, in the order they see
// events: add a subsystem with one line.
import type { BehaviorRegistry } from '../engine/actor.ts';
import { createFilerBehavior, type AnyFilerSubsystem } from '../hardware/filer/filer-actor.ts';
import { switchBehavior } from '../hardware/net/switch-actor.ts';
import { shelfBehavior } from '../hardware/shelf/shelf-actor.ts';
import { clientBehavior } from '../clients/client-actor.ts';
import { consoleSubsystem } from '../ontap/console/console-subsystem.ts';
import { storageSubsystem } from '../ontap/storage/index.ts';
import { fileServiceSubsystem } from '../ontap/fileservice/index.ts';
import { haSubsystem } from '../ontap/ha/index.ts';
import { clusterSubsystem } from '../ontap/cluster/cluster-subsystem.ts';
import { optionsSubsystem } from '../ontap/options/options.ts';
import { shutdownWatchSubsystem } from '../ontap/system/shutdown-watch.ts';

export const filerSubsystems: readonly AnyFilerSubsystem[] = [
  // ONTAP's subsystems go here, one line each, in event order (console first, then storage, …).
  optionsSubsystem,
  consoleSubsystem,
  storageSubsystem,
  // Before the file service: the cluster's heartbeats are Ethernet frames the file service would take.
  clusterSubsystem,
  fileServiceSubsystem,
  haSubsystem,
  shutdownWatchSubsystem,
];

export const behaviors: BehaviorRegistry = {
  filer: createFilerBehavior(filerSubsystems),
  shelf: shelfBehavior,
  switch: switchBehavior,
  client: clientBehavior,
};
