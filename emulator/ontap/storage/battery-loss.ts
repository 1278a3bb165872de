// Writes lost with the NVRAM (a power loss on a low battery): the one loss the pair cannot prevent when
// every copy of a write was in that NVRAM — the partner down or unmirrored, the disks out of reach for a
// CP. The lab counts them by client as the power goes, from the entries the card wiped, so that a run
// (and the fuzzer, which tells a declared loss from a silent one) can say what was lost and why. Kept
// across power cycles; reported in the run summary as `filers.<f>.storage.batteryLosses`.
import type { Micros } from '../../engine/actor.ts';
import type { FilerState } from '../../hardware/filer/subsystem.ts';
import type { LogEntry } from './nvram-log.ts';

export interface BatteryLoss {
  readonly atUs: Micros;
  /** Log entries wiped, both halves. */
  readonly entries: number;
  /** Entries that carried a client's request, by client. */
  readonly byClient: Readonly<Record<string, number>>;
}

/** Who asked for each entry of the local log, by sequence number (a CIFS entry carries no origin). */
export type Requesters = Record<number, string>;

/** A CP trimmed the local log: the requesters of entries older than its first are forgotten. */
export function forgetRequestersBefore(requesters: Requesters | undefined, firstSeq: number): void {
  if (!requesters) return;
  for (const key of Object.keys(requesters)) {
    if (Number(key) >= firstSeq) break; // integer keys iterate in ascending order
    delete requesters[Number(key)];
  }
}

/** At power-off: what the card wiped, if anything, becomes a loss on the record. */
export function accountWipedEntries(record: BatteryLoss[], requesters: Requesters, filer: FilerState, atUs: Micros): BatteryLoss[] {
  const wiped = filer.chassis.nvram.wipedAtPowerOff;
  if (!wiped) return record;
  filer.chassis.nvram.wipedAtPowerOff = null;
  const byClient: Record<string, number> = {};
  const count = (client: string | undefined): void => { if (client !== undefined) byClient[client] = (byClient[client] ?? 0) + 1; };
  for (const entry of wiped.local as readonly LogEntry[]) count(requesters[entry.seq] ?? entry.origin?.client);
  // The partner half's numbers are the partner's: only its NFS entries name their client.
  for (const entry of wiped.partner as readonly LogEntry[]) count(entry.origin?.client);
  return [...record, { atUs, entries: wiped.local.length + wiped.partner.length, byClient }];
}

export function summarizeBatteryLosses(record: readonly BatteryLoss[]): { atMs: number; entries: number; byClient: Record<string, number> }[] {
  return record.map((loss) => ({ atMs: loss.atUs / 1000, entries: loss.entries, byClient: { ...loss.byClient } }));
}
