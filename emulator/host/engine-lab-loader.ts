// Where the host finds labs and behaviours: the built-in lab catalog and the behaviour registry of
// emulator/lab (loaded lazily, so that a host without them still starts and says why), and the
// placement by name. Shared by `filerlab run` and the lab session.
import { readFileSync } from 'node:fs';
import type { BehaviorRegistry } from '../engine/actor.ts';
import { createLab } from '../engine/lab.ts';
import type { Lab } from '../engine/lab.ts';
import type { LabInput, LabSpec } from '../engine/lab-spec.ts';
import { singlePlacement } from '../engine/placement.ts';
import type { Placement } from '../engine/placement.ts';
import type { LabSnapshot } from '../engine/snapshot.ts';
import { workersPlacement } from './placement-workers.ts';

export type PlacementName = 'single' | 'workers';

export interface LabSources {
  listLabs(): string[];
  resolve(nameOrPath: string): { ok: true; spec: LabSpec } | { ok: false; errors: string[] };
  readonly registry: BehaviorRegistry;
  /** The module a worker thread imports to rebuild the registry (exports `behaviors`). */
  readonly registryUrl: string;
  /** Checks an input against the lab's components and fault catalogues; the reason when refused. */
  validate?(spec: LabSpec, input: LabInput): string | undefined;
}

const REGISTRY_URL = new URL('../lab/registry.ts', import.meta.url).href;
const CATALOG_URL = new URL('../lab/catalog.ts', import.meta.url).href;
const COMPONENTS_URL = new URL('../lab/components.ts', import.meta.url).href;

/** What this loader needs of emulator/lab/catalog.ts (imported by URL: it may not be built yet). */
interface CatalogModule {
  listBuiltinLabs(): string[];
  resolveLab(nameOrPath: string, readText: (path: string) => string): { ok: true; spec: LabSpec } | { ok: false; errors: string[] };
}

/** The lab layer's catalog and registry, or why they cannot be loaded. */
export async function loadLabSources(): Promise<{ ok: true; sources: LabSources } | { ok: false; error: string }> {
  try {
    const catalog = await import(/* @vite-ignore */ CATALOG_URL) as CatalogModule;
    const registry = await import(/* @vite-ignore */ REGISTRY_URL) as { behaviors: BehaviorRegistry };
    const components = await import(/* @vite-ignore */ COMPONENTS_URL) as { validateInput?: LabSources['validate'] };
    return {
      ok: true,
      sources: {
        listLabs: () => catalog.listBuiltinLabs(),
        resolve: (nameOrPath) => catalog.resolveLab(nameOrPath, (path: string) => readFileSync(path, 'utf8')),
        registry: registry.behaviors,
        registryUrl: REGISTRY_URL,
        validate: components.validateInput,
      },
    };
  } catch (error) {
    return { ok: false, error: `the lab catalog is not available: ${(error as Error).message}` };
  }
}

export function placementNamed(name: PlacementName, registryUrl: string): Placement {
  return name === 'workers' ? workersPlacement({ registryUrl }) : singlePlacement;
}

export interface OpenLabOptions {
  readonly seed: number;
  readonly placement: PlacementName;
  readonly snapshot?: LabSnapshot;
}

export async function openLab(sources: LabSources, nameOrPath: string, options: OpenLabOptions):
  Promise<{ ok: true; lab: Lab } | { ok: false; errors: string[] }> {
  const resolved = sources.resolve(nameOrPath);
  if (!resolved.ok) return resolved;
  try {
    const lab = await createLab({
      spec: resolved.spec, seed: options.seed, registry: sources.registry,
      placement: placementNamed(options.placement, sources.registryUrl), snapshot: options.snapshot,
    });
    return { ok: true, lab };
  } catch (error) {
    return { ok: false, errors: [`${nameOrPath}: ${(error as Error).message}`] };
  }
}
