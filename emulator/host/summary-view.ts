// The run summary's facts the window draws and no actor publishes (issue 17/19): where each vserver runs
// and its load, the cluster's master and last failover or balance, a node's storage failover, each node's
// and port's load, the NVRAM mirror and log, and routing (with the routing table) when the lab reports
// it. Taken from `lab.summary()` a few times a second of wall time and kept under `summary.*` paths in
// the view, so they reach UIs in deltas like everything else. Pure: it picks fields, it computes nothing.
import type { RunSummary } from '../engine/summary.ts';

type Entry = [path: string, value: unknown];

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Only the fields present: a lab without a cluster or routing publishes none of them. */
function pick(from: Record<string, unknown> | undefined, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (from && from[key] !== undefined) out[key] = from[key];
  return out;
}

const FILER_FIELDS = ['load', 'master', 'routing', 'storageFailover'] as const;
const STORAGE_FIELDS = ['nvram', 'nvlogEntries', 'cps'] as const;
const CLIENT_FIELDS = ['lastPath', 'vserver', 'maxOutageMs'] as const;

/** `summary.vservers`, `summary.cluster`, `summary.filers.<f>`, `summary.clients.<c>`. */
export function summaryEntries(summary: RunSummary): Entry[] {
  const entries: Entry[] = [];
  if (Object.keys(summary.vservers).length > 0) entries.push(['summary.vservers', summary.vservers]);
  const cluster = record(summary['cluster']);
  if (cluster) entries.push(['summary.cluster', pick(cluster, ['master', 'members', 'lastFailover', 'lastBalance'])]);
  for (const [filer, value] of Object.entries(summary.filers)) {
    const facts = record(value);
    const ports = Object.entries(record(facts?.['ports']) ?? {})
      .map(([port, portValue]) => [port, pick(record(portValue), ['load', 'state', 'vips'])] as const)
      .filter(([, picked]) => Object.keys(picked).length > 0);
    entries.push([`summary.filers.${filer}`, {
      ...pick(facts, FILER_FIELDS),
      ...pick(record(facts?.['storage']), STORAGE_FIELDS),
      ...(ports.length > 0 ? { ports: Object.fromEntries(ports) } : {}),
    }]);
  }
  for (const [client, value] of Object.entries(summary.clients)) entries.push([`summary.clients.${client}`, pick(record(value), CLIENT_FIELDS)]);
  return entries;
}
