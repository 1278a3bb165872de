// The inspector's cards as a trainee reads them (issue 19): each a title and label/value rows in the
// domain's words, built from the published state and the topology; no `disks.shelf1.0.role` paths, no
// `[]` or `true,false`. Pure, tested without a DOM; InspectorCard.vue draws them.
import { isClientStatsSample } from '../../../emulator/protocol/client-stats.ts';
import { consoleDiskName, diskPlace, type FcPortPath } from '../../../emulator/protocol/disk-names.ts';
import { shelfBays } from './disk-roles.ts';

type State = Readonly<Record<string, unknown>>;
type Actors = ReadonlyArray<{ readonly id: string; readonly kind: string; readonly config: unknown }>;

export type RowTone = 'ok' | 'warn' | 'bad';
export interface CardRow {
  readonly label: string;
  readonly value: string;
  readonly tone?: RowTone;
  readonly testid?: string;
}

function row(label: string, value: string, tone?: RowTone, testid?: string): CardRow {
  return { label, value, ...(tone ? { tone } : {}), ...(testid ? { testid } : {}) };
}

/** `[true,true,false]` → "2 of 3 ok", failed units named by number from 1. */
export function unitsText(value: unknown, noun: string): CardRow | undefined {
  if (!Array.isArray(value)) return undefined;
  const good = value.filter((unit) => unit === true).length;
  const failed = value.flatMap((unit, index) => (unit === true ? [] : [`#${index + 1}`]));
  return row(noun, `${good} of ${value.length} ok${failed.length > 0 ? ` (${failed.join(', ')} failed)` : ''}`, failed.length > 0 ? 'bad' : 'ok');
}

function powerRow(state: State, actor: string): CardRow | undefined {
  const power = state[`${actor}.power`];
  return typeof power === 'string' ? row('power', power, power === 'on' ? 'ok' : 'bad') : undefined;
}

const present = (rows: ReadonlyArray<CardRow | undefined>): CardRow[] => rows.filter((item): item is CardRow => item !== undefined);

/** A filer's chassis: power, temperature, fans, power supplies, the fault LED. */
export function environmentRows(state: State, actor: string): CardRow[] {
  const temperature = state[`${actor}.sensors.temperatureC`];
  const led = state[`${actor}.led.fault`];
  return present([
    powerRow(state, actor),
    typeof temperature === 'number' ? row('temperature', `${temperature} °C`, temperature >= 45 ? 'bad' : undefined) : undefined,
    unitsText(state[`${actor}.sensors.fans`], 'fans'),
    unitsText(state[`${actor}.sensors.psus`] ?? state[`${actor}.psus`], 'power supplies'),
    typeof led === 'boolean' ? row('fault LED', led ? 'lit' : 'off', led ? 'bad' : undefined) : undefined,
  ]);
}

/** A filer's OS, file service and disk access; the summary's node load when it is in a cluster. */
export function filerStateRows(state: State, filer: string): CardRow[] {
  const facts = summaryOf(state, `summary.filers.${filer}`);
  const os = state[`${filer}.state`];
  const service = state[`${filer}.fileservice`];
  const access = state[`${filer}.storage.diskAccess`];
  return present([
    typeof os === 'string' ? row('OS', os, os === 'running' ? 'ok' : 'bad', 'filer-os') : undefined,
    typeof service === 'string' ? row('file service', service, service === 'serving' ? 'ok' : 'warn') : undefined,
    typeof access === 'string' ? row('disk access', access, access === 'ok' ? 'ok' : 'bad') : undefined,
    typeof facts['load'] === 'number' ? row('load', `${facts['load']} ops/s`) : undefined,
    typeof facts['master'] === 'string' ? row('cluster master', facts['master'] === filer ? 'this node' : facts['master'], undefined, 'filer-master') : undefined,
  ]);
}

/** The NVRAM mirror and log fill the summary reports (the battery and CIFS record are NvramSection's). */
export function nvramRows(state: State, filer: string): CardRow[] {
  const facts = summaryOf(state, `summary.filers.${filer}`);
  return present([
    typeof facts['nvram'] === 'string' ? row('mirror', facts['nvram'], facts['nvram'] === 'mirrored' ? 'ok' : 'warn', 'nvram-mirror') : undefined,
    typeof facts['nvlogEntries'] === 'number' ? row('log', `${facts['nvlogEntries']} writes logged, not yet in a consistency point`) : undefined,
    typeof facts['cps'] === 'number' ? row('consistency points', String(facts['cps'])) : undefined,
  ]);
}

/** A shelf: power, supplies, its two modules (A, B) with their in and out links, the bays in use. */
export function shelfRows(state: State, shelf: string): CardRow[] {
  const link = (port: string) => {
    const value = state[`${shelf}.ports.${port}.link`];
    return value === true ? 'up' : value === false ? 'down' : '—';
  };
  const modules = ['A', 'B'].map((module) => {
    const inLink = link(module);
    return row(`module ${module}`, `in ${inLink} · out ${link(`${module}.out`)}`, inLink === 'up' ? 'ok' : 'bad', `shelf-module-${module}`);
  });
  const bays = shelfBays(state, shelf, []);
  const used = bays.filter((bay) => bay.health !== 'empty');
  const unwell = used.filter((bay) => bay.health !== 'ok');
  return present([
    powerRow(state, shelf),
    unitsText(state[`${shelf}.psus`], 'power supplies'),
    ...modules,
    row('bays', `${used.length} of ${bays.length} in use${unwell.length > 0 ? `, ${unwell.length} not ok` : ''}`, unwell.length > 0 ? 'warn' : undefined),
  ]);
}

/** One disk: console name, place, role (its owner's word), health, each loop's path, the reservation. */
export function diskRows(state: State, actors: Actors, shelf: string, bay: number): CardRow[] {
  const filers = actors.filter((actor) => actor.kind === 'filer');
  const view = shelfBays(state, shelf, filers.map((filer) => filer.id))[bay];
  const paths = filers.flatMap((filer) => fcPorts(filer.config)
    .filter((port) => port.shelves.some((candidate) => candidate.actor === shelf))
    .map((port) => ({ filer: filer.id, loop: port.loop ?? '?', name: consoleDiskName([port], shelf, bay) ?? '' })));
  const loops = ['A', 'B'].map((loop) => {
    const on = paths.filter((path) => path.loop === loop);
    return row(`loop ${loop}`, on.length > 0 ? on.map((path) => `${path.name} from ${path.filer}`).join(', ') : 'no path', on.length > 0 ? undefined : 'warn', `disk-loop-${loop}`);
  });
  const owner = view?.owner ?? null;
  const name = paths.find((path) => path.filer === owner)?.name ?? paths[0]?.name;
  const reservation = state[`${shelf}.bays.${bay}.reservation`];
  const holder = filers.find((filer) => (filer.config as { systemId?: unknown } | null)?.systemId === reservation)?.id;
  return [
    row('name', name ?? '—', undefined, 'disk-name'),
    row('place', diskPlace(shelf, bay)),
    row('role', view?.role ?? 'unknown', view?.role === 'failed' ? 'bad' : undefined, 'disk-role'),
    row('health', view?.health ?? 'empty', view?.health === 'ok' ? 'ok' : 'bad', 'disk-health'),
    row('owner', owner ?? 'none'),
    ...loops,
    row('reservation', typeof reservation === 'string' ? `held by ${holder ?? 'an unknown system'} (system id ${reservation})` : 'none', undefined, 'disk-reservation'),
  ];
}

/** A client: protocol, its server and vserver, phase, the last interval's ops and latency, its outages. */
export function clientRows(state: State, actors: Actors, client: string): CardRow[] {
  const config = (actors.find((actor) => actor.id === client)?.config ?? {}) as { protocol?: unknown; server?: unknown; vserver?: unknown; volume?: unknown };
  const sample = state[`${client}.stats`];
  const facts = summaryOf(state, `summary.clients.${client}`);
  const phase = state[`${client}.state`];
  const rows = present([
    typeof config.protocol === 'string' ? row('protocol', config.protocol.toUpperCase()) : undefined,
    typeof config.server === 'string' ? row('server', `${config.server}${typeof config.vserver === 'string' ? ` (vserver ${config.vserver})` : ''}`) : undefined,
    typeof config.volume === 'string' ? row('volume', config.volume) : undefined,
    typeof phase === 'string' ? row('state', phase, undefined, 'client-phase') : undefined,
  ]);
  if (isClientStatsSample(sample)) {
    const perSecond = Math.round(sample.opsOk / (sample.intervalUs / 1_000_000));
    rows.push(
      row('ops', `${perSecond}/s now · ${sample.totalOk} ok, ${sample.totalFailed} failed in all`, sample.totalFailed > 0 ? 'warn' : undefined),
      row('latency', sample.latencyMsAvg === null ? 'no answer this interval' : `${sample.latencyMsAvg} ms now · ${sample.totalOk > 0 ? Math.round(sample.totalLatencyMs / sample.totalOk) : 0} ms mean`),
      row('outage', sample.outageMs > 0 ? `open for ${sample.outageMs} ms` : 'none now', sample.outageMs > 0 ? 'bad' : 'ok', 'client-outage'),
    );
  }
  if (typeof facts['maxOutageMs'] === 'number') rows.push(row('longest outage', `${facts['maxOutageMs']} ms`));
  const path = clientPath(state, client);
  if (path.length > 0) rows.push(row('last path', path.join(' → ')));
  return rows;
}

/** A switch: up or not, and how many of its ports have a link. */
export function switchRows(state: State, actor: string): CardRow[] {
  const status = state[`${actor}.state`];
  const links = Object.keys(state).filter((path) => path.startsWith(`${actor}.ports.`) && path.endsWith('.link'));
  const up = links.filter((path) => state[path] === true).length;
  return present([
    powerRow(state, actor),
    typeof status === 'string' ? row('state', status, status === 'up' ? 'ok' : 'bad') : undefined,
    row('ports with a link', `${up} of ${links.length}`),
  ]);
}

interface FcPortWithLoop extends FcPortPath { readonly loop?: string }

function fcPorts(config: unknown): readonly FcPortWithLoop[] {
  const ports = (config as { fcPorts?: unknown } | null)?.fcPorts;
  return Array.isArray(ports) ? ports.filter((port): port is FcPortWithLoop => typeof port?.port === 'string' && Array.isArray(port?.shelves)) : [];
}

/** A `summary.*` value as a record ({} when the host has not published it). */
export function summaryOf(state: State, path: string): Record<string, unknown> {
  const value = state[path];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** A client's last path through the lab, hop by hop (`c1>node2>node1`), when the lab reports it. */
export function clientPath(state: State, client: string): string[] {
  const path = summaryOf(state, `summary.clients.${client}`)['lastPath'];
  if (typeof path === 'string') return path.split('>').filter((hop) => hop !== '');
  return Array.isArray(path) ? path.filter((hop): hop is string => typeof hop === 'string') : [];
}
