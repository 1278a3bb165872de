// A binary min-heap with a caller-given order, for the conductor's messages in flight and pending
// port changes.
export class MinHeap<T> {
  private items: T[] = [];

  constructor(private readonly compare: (left: T, right: T) => number, initial: readonly T[] = []) {
    for (const item of initial) this.push(item);
  }

  get size(): number {
    return this.items.length;
  }

  /** The items in heap order (not sorted), to read without popping. */
  get unordered(): readonly T[] {
    return this.items;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const items = this.items;
    items.push(item);
    let index = items.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (this.compare(items[parent], item) <= 0) break;
      items[index] = items[parent];
      index = parent;
    }
    items[index] = item;
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child = right < items.length && this.compare(items[right], items[left]) < 0 ? right : left;
      if (this.compare(items[child], last) >= 0) break;
      items[index] = items[child];
      index = child;
    }
    items[index] = last;
    return top;
  }

  /** Keeps only the items that pass; O(n log n), for rare events such as a link going down. */
  retain(keep: (item: T) => boolean): number {
    const kept = this.items.filter(keep);
    const removed = this.items.length - kept.length;
    if (removed > 0) {
      this.items = [];
      for (const item of kept) this.push(item);
    }
    return removed;
  }

  toSortedArray(): T[] {
    return [...this.items].sort(this.compare);
  }
}
