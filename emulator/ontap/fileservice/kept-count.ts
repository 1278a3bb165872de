// A count kept beside a table of the file service's state (sessions, pending requests) for code that
// asks after every event or request: counted once when a table is first seen (a new state, a restored
// lab), then moved by the few functions that add and remove entries. Beside the state, not in it: the
// state keeps the shape that snapshots and summaries hold, and the trace never sees it.
export class KeptCount<Table extends object> {
  private readonly counts = new WeakMap<Table, number>();

  constructor(private readonly countAfresh: (table: Table) => number) {}

  of(table: Table): number {
    let count = this.counts.get(table);
    if (count === undefined) {
      count = this.countAfresh(table);
      this.counts.set(table, count);
    }
    return count;
  }

  /** An entry came (+1) or went (-1); a table not counted yet is counted when first asked. */
  move(table: Table, change: number): void {
    const count = this.counts.get(table);
    if (count !== undefined && change !== 0) this.counts.set(table, count + change);
  }
}
