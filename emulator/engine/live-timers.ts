// An actor's live timers: set, and neither fired nor cancelled. Timer ids come from a counter, so a
// sorted array of them grows at its end; an actor has a handful live at a time (a client 3 to 5, a
// filer up to some 60 in ha-pair), and a binary search and a short shift cost less than a Set's
// hashing, which under constant add and delete also rehashed its table every few timers.
export class LiveTimers {
  private readonly ids: number[] = [];

  constructor(ids: Iterable<number> = []) {
    for (const id of ids) this.add(id);
  }

  get size(): number {
    return this.ids.length;
  }

  add(id: number): void {
    const ids = this.ids;
    if (ids.length === 0 || ids[ids.length - 1] < id) {
      ids.push(id);
      return;
    }
    const index = this.search(id);
    if (ids[index] === id) return;
    ids.push(id);
    for (let at = ids.length - 1; at > index; at--) ids[at] = ids[at - 1];
    ids[index] = id;
  }

  has(id: number): boolean {
    return this.ids[this.search(id)] === id;
  }

  /** Removes `id`; false when it was not live. */
  delete(id: number): boolean {
    const ids = this.ids;
    const index = this.search(id);
    if (ids[index] !== id) return false;
    for (let at = index; at < ids.length - 1; at++) ids[at] = ids[at + 1];
    ids.pop();
    return true;
  }

  /** The live ids in ascending order, as plain data for a snapshot. */
  toArray(): number[] {
    return this.ids.slice();
  }

  /** The index of the first id not below `id` (the length when there is none). */
  private search(id: number): number {
    const ids = this.ids;
    let low = 0;
    let high = ids.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (ids[middle] < id) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
