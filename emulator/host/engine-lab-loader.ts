// Where the host finds labs and behaviours: the built-in lab catalog and the behaviour registry of
// emulator/lab (loaded lazily, so that a host without them still starts and says why), and the
// placement by name. Shared by `filerlab run` and the lab session.
import { availableParallelism } from 'node:os';
import type { BehaviorRegistry } from '../engine/actor.ts';
import { createLab } from '../engine/lab.ts';
import type { Lab } from '../engine/lab.ts';
import type { LabInput, LabSpec } from '../engine/lab-spec.ts';
import { singlePlacement } from '../engine/placement.ts';
import type { Placement } from '../engine/placement.ts';
import type { LabSnapshot } from '../engine/snapshot.ts';
import type { RecordedInputCheck } from '../engine/recording.ts';
import { labInputSchema } from '../protocol/channels.ts';
import { readInputText, readLabTextOrThrow } from './files.ts';
import { startLabThread } from './lab-thread.ts';
import { threadsForCores, workersPlacement } from './placement-workers.ts';
import type { BarrierSpin } from './placement-workers.ts';

export type PlacementName = 'single' | 'workers';

/** A resolved lab file: its spec and the `seed:` it names (used when no --seed is given). */
export type ResolvedSpec = { ok: true; spec: LabSpec; seed?: number } | { ok: false; errors: string[] };

export interface LabSources {
  listLabs(): string[];
  resolve(nameOrPath: string): ResolvedSpec;
  readonly registry: BehaviorRegistry;
  /** The module a worker thread imports to rebuild the registry (exports `behaviors`). */
  readonly registryUrl: string;
  /** Checks an input against the lab's components and fault catalogues; the reason when refused. */
  validate?(spec: LabSpec, input: LabInput): string | undefined;
  /** A lab's YAML text (a built-in name or a file path), for the toolbar's Save. */
  readText?(nameOrPath: string): LabText | { ok: false; errors: string[] };
  /** Parses and checks lab text a UI hands in (a file opened from disk); errors read `name:line: …`. */
  resolveText?(name: string, yaml: string): ResolvedSpec;
}

/** A lab file's text and the name it is saved under (`<name>.lab.yaml`). */
export interface LabText {
  readonly ok: true;
  readonly name: string;
  readonly yaml: string;
}

const REGISTRY_URL = new URL('../lab/registry.ts', import.meta.url).href;
const CATALOG_URL = new URL('../lab/catalog.ts', import.meta.url).href;
const COMPONENTS_URL = new URL('../lab/components.ts', import.meta.url).href;

/** What this loader needs of emulator/lab/catalog.ts (imported by URL: it may not be built yet). */
interface CatalogModule {
  listBuiltinLabs(): string[];
  resolveLab(nameOrPath: string, readText: (path: string) => string): CatalogResolved;
  resolveLabText(source: string, text: string): CatalogResolved;
  builtinLabPath(name: string): string;
}

type CatalogResolved = { ok: true; spec: LabSpec; lab: { seed?: number } } | { ok: false; errors: string[] };

/** The spec and the lab file's own `seed:` (DESIGN.md §8: a lab file may name its seed). */
function withSeed(resolved: CatalogResolved): ResolvedSpec {
  if (!resolved.ok) return resolved;
  return resolved.lab.seed === undefined ? { ok: true, spec: resolved.spec } : { ok: true, spec: resolved.spec, seed: resolved.lab.seed };
}

/** The seed a lab runs with: the one given (--seed), else its file's `seed:`, else 1. */
export function seedOf(given: number | undefined, resolved: { seed?: number }): number {
  return given ?? resolved.seed ?? 1;
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
        resolve: (nameOrPath) => withSeed(catalog.resolveLab(nameOrPath, readLabTextOrThrow)),
        registry: registry.behaviors,
        registryUrl: REGISTRY_URL,
        validate: components.validateInput,
        readText: (nameOrPath) => readLabText(catalog, nameOrPath),
        resolveText: (name, yaml) => withSeed(catalog.resolveLabText(name, yaml)),
      },
    };
  } catch (error) {
    return { ok: false, error: `the lab catalog is not available: ${(error as Error).message}` };
  }
}

function readLabText(catalog: CatalogModule, nameOrPath: string): LabText | { ok: false; errors: string[] } {
  const builtin = catalog.listBuiltinLabs().includes(nameOrPath);
  const path = builtin ? catalog.builtinLabPath(nameOrPath) : nameOrPath;
  const read = readInputText(path, 'lab');
  return read.ok ? { ok: true, name: builtin ? nameOrPath : labFileName(path), yaml: read.text } : { ok: false, errors: [`${path}: ${read.error}`] };
}

/** `labs/my-pair.lab.yaml` → `my-pair`: the name a lab file is saved under again. */
export function labFileName(path: string): string {
  const base = path.split(/[\\/]/).at(-1) ?? path;
  return base.replace(/\.lab\.ya?ml$/i, '').replace(/\.ya?ml$/i, '') || 'lab';
}

/**
 * `workers` runs one thread per filer where the machine has a core for each and one for the conductor;
 * on fewer cores filers share threads (threadsForCores), unless `maxThreads` says how many. Where that
 * comes to one thread, the whole lab runs in it instead (labThreadFor).
 */
export function placementNamed(name: PlacementName, registryUrl: string, spin?: BarrierSpin, maxThreads?: number): Placement {
  if (name !== 'workers') return singlePlacement;
  return workersPlacement({ registryUrl, spin, maxThreads: workerThreads(maxThreads) });
}

/** How many worker threads `workers` may use: `--threads` when given, else as the cores allow. */
export function workerThreads(maxThreads?: number): number {
  return maxThreads ?? threadsForCores(availableParallelism());
}

export interface OpenLabOptions {
  readonly seed: number;
  readonly placement: PlacementName;
  readonly snapshot?: LabSnapshot;
  /** Whether a workers placement's threads spin at barriers (the host that paces the lab says). */
  readonly spin?: BarrierSpin;
  /** At most this many worker threads (`--threads`); without it, as many as the cores allow (threadsForCores). */
  readonly maxThreads?: number;
}

/** openLab's options: without a seed (no --seed given), the lab file's `seed:`, else 1. */
export type OpenLabByNameOptions = Omit<OpenLabOptions, 'seed'> & { readonly seed?: number };

export async function openLab(sources: LabSources, nameOrPath: string, options: OpenLabByNameOptions):
  Promise<{ ok: true; lab: Lab } | { ok: false; errors: string[] }> {
  const resolved = sources.resolve(nameOrPath);
  if (!resolved.ok) return resolved;
  return openLabSpec(sources, nameOrPath, resolved.spec, { ...options, seed: seedOf(options.seed, resolved) });
}

/** Starts a lab from a resolved spec; `source` names it in errors. */
export async function openLabSpec(sources: LabSources, source: string, spec: LabSpec, options: OpenLabOptions):
  Promise<{ ok: true; lab: Lab } | { ok: false; errors: string[] }> {
  try {
    const lab = labThreadFor(options)
      ? await startLabThread({ spec, seed: options.seed, registryUrl: sources.registryUrl, snapshot: options.snapshot })
      : await createLab({
        spec, seed: options.seed, registry: sources.registry,
        placement: placementNamed(options.placement, sources.registryUrl, options.spin, options.maxThreads), snapshot: options.snapshot,
      });
    return { ok: true, lab };
  } catch (error) {
    return { ok: false, errors: [`${source}: ${(error as Error).message}`] };
  }
}

/**
 * Whether `workers` runs the whole lab in one thread of its own (lab-thread.ts): where it would have one
 * thread for the filers (a 2-core machine, or --threads 1). Filers in one thread beside a conductor
 * with the rest only take turns with it, a barrier every few virtual ms; one thread with everything
 * needs none, and leaves the host's thread free.
 */
export function labThreadFor(options: Pick<OpenLabOptions, 'placement' | 'maxThreads'>): boolean {
  return options.placement === 'workers' && workerThreads(options.maxThreads) === 1;
}

/** The Transport's schema for shape, then the lab's own catalogue (actors, ports, fault kinds). */
export function recordedInputCheck(sources: LabSources): RecordedInputCheck {
  return (input: unknown, spec: LabSpec): string | undefined => {
    const shaped = labInputSchema.safeParse(input);
    if (!shaped.success) {
      const issue = shaped.error.issues[0]!;
      return `${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue.message}`;
    }
    return sources.validate?.(spec, shaped.data);
  };
}
