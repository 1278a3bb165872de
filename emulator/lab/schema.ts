// The `*.lab.yaml` format (DESIGN.md §8), as a zod 4 schema. The JSON Schema editors use is generated
// from it into filerlab-lab.schema.json (`filerlab validate --schema > emulator/lab/filerlab-lab.schema.json`;
// a test fails when the two drift apart). Cross-checks that need the whole file
// (cables name existing ports, disks used once, addresses in their subnets) live in cross-check.ts.
import { z } from 'zod';

/**
 * Names every JavaScript object answers to (`constructor`, `toString`, `hasOwnProperty`, …): a lab
 * names its parts and looks them up by name, so these are refused rather than risk a lookup that finds
 * Object.prototype instead of nothing (issue 21: `vserver: toString` crashed the checks).
 */
export const RESERVED_NAMES: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

export function isReservedName(text: string): boolean {
  return RESERVED_NAMES.has(text);
}

/**
 * A record's entry by a name a user wrote, as an own key only: never a member of Object.prototype.
 * Every lookup of a lab file's parts by name goes through here.
 */
export function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

const name = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,31}$/, 'a name: a letter, then letters, digits, _ or -')
  .refine((text) => !isReservedName(text), { error: (issue) => `'${String(issue.input)}' is reserved (every JavaScript object has it); choose another name` });
const cidr = z.string().regex(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/, 'an address with its prefix length, like 10.1.1.10/24');
const portEnd = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*:[A-Za-z0-9.]+$/, 'a port as actor:port, like filerA:0a');
const diskRef = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*\.\d{1,2}$/, 'a disk as shelf.bay, like shelf1.3');

export const filerSchema = z.object({
  systemId: z.string().regex(/^\d{10}$/, 'ten digits'),
  partner: name.optional(),
  start: z.enum(['warm', 'cold']).optional().describe('overrides the lab\'s start for this filer'),
  nvramMb: z.number().int().min(16).max(4096).default(512),
  fcPorts: z.array(z.string().regex(/^\d[a-z]$/, 'an FC port like 0a')).min(1).max(8),
  ethernet: z.record(z.string().regex(/^e\d[a-z]$/, 'an Ethernet port like e0a'), z.object({ subnet: name }).strict()),
  interconnect: z.array(z.string().regex(/^ic\d$/, 'an interconnect port like ic0')).max(2).default([]),
  aggregates: z.array(z.object({
    name,
    raidGroupSize: z.number().int().min(2).max(28),
    disks: z.array(diskRef).min(2),
  }).strict()).default([]),
  volumes: z.array(z.object({ name, aggregate: name, sizeMb: z.number().int().min(20) }).strict()).default([]),
  spares: z.array(diskRef).default([]),
  options: z.record(z.string().min(1).max(64).refine((text) => !isReservedName(text), { error: (issue) => `'${String(issue.input)}' is not an option name` }),
    z.union([z.string(), z.number(), z.boolean()])).default({}),
}).strict();

export const shelfSchema = z.object({
  shelfId: z.number().int().min(1).max(7),
  /** Who owns the disks (software ownership); bays lists the populated bays (all 14 by default). */
  owner: name.nullable().default(null),
  bays: z.array(z.number().int().min(0).max(13)).optional(),
  diskSizeMb: z.number().int().min(64).max(1_048_576).default(2048),
}).strict();

export const switchSchema = z.object({
  ports: z.number().int().min(2).max(48),
}).strict();

export const subnetSchema = z.object({
  cidr: z.string().regex(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/, 'a network like 10.1.1.0/24'),
  switch: name,
}).strict();

export const vserverSchema = z.object({
  home: name,
  addresses: z.array(z.object({ address: cidr, port: z.string() }).strict()).min(1),
  volumes: z.array(name).default([]),
  priority: z.number().int().min(0).max(100).default(50),
  migrate: z.boolean().default(true),
}).strict();

/** What a client workstation does: op mix weights, rate, file sizes (emulator/clients/workload.ts). */
export const workloadSchema = z.object({
  mix: z.object({
    create: z.number().min(0).max(100),
    write: z.number().min(0).max(100),
    read: z.number().min(0).max(100),
    rename: z.number().min(0).max(100),
    remove: z.number().min(0).max(100),
  }).strict().partial().optional(),
  opsPerSecond: z.number().positive().max(10_000).optional(),
  fileSizeBytes: z.object({ min: z.number().int().min(0).max(1_048_576), max: z.number().int().min(1).max(1_048_576) }).strict()
    .refine((size) => size.min <= size.max, 'min must not exceed max').optional(),
  maxFiles: z.number().int().min(1).max(10_000).optional(),
}).strict();

export const clientSchema = z.object({
  protocol: z.enum(['nfs', 'cifs']),
  vserver: name,
  address: cidr,
  /** The volume the client works in (the vserver's first by default). */
  volume: name.optional(),
  /**
   * A probe (seed 004 claim 1): the client asks its vserver for `volume`, a volume of another vserver,
   * to show that a vserver's file systems are its own; the mount is refused and the client says why.
   */
  probe: z.boolean().optional(),
  /** Whether the workload runs from the start (default) or waits for `client <c> start`. */
  running: z.boolean().optional(),
  workload: workloadSchema.optional(),
}).strict();

export const labFileSchema = z.object({
  name,
  description: z.string().max(2000).optional(),
  seed: z.number().int().min(0).optional(),
  start: z.enum(['warm', 'cold']).default('warm'),
  filers: z.record(name, filerSchema).refine((f) => Object.keys(f).length >= 1, 'a lab needs at least one filer'),
  shelves: z.record(name, shelfSchema).default({}),
  switches: z.record(name, switchSchema).default({}),
  subnets: z.record(name, subnetSchema).default({}),
  vservers: z.record(name, vserverSchema).default({}),
  clients: z.record(name, clientSchema).default({}),
  /** Each cable joins two ports: `[filerA:0a, shelf1:A]`. Client ends are `c1:e0`; switch ends `sw1:p3`. */
  cables: z.array(z.tuple([portEnd, portEnd])).default([]),
}).strict();

export type LabFile = z.infer<typeof labFileSchema>;
export type LabFileInput = z.input<typeof labFileSchema>;

/** The JSON Schema for editors (`# yaml-language-server: $schema=…`). */
export function labJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(labFileSchema, { io: 'input' }) as Record<string, unknown>;
}
