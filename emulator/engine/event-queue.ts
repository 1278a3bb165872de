// One actor's pending events, ordered by (time, source, sequence) — DESIGN.md §2. A binary heap: the
// order is total (a source never reuses a sequence), so the same events pop in the same order whatever
// order they were pushed in, which is what lets deliveries arrive from threads in any order.
import type { ActorEvent, Micros } from './actor.ts';

export interface QueuedEvent {
  readonly atUs: Micros;
  /** The sending actor, the actor itself for timers, or `~input`, `~link`, `~start`. */
  readonly source: string;
  readonly sequence: number;
  readonly event: ActorEvent;
}

export function compareQueued(left: QueuedEvent, right: QueuedEvent): number {
  if (left.atUs !== right.atUs) return left.atUs - right.atUs;
  if (left.source !== right.source) return left.source < right.source ? -1 : 1;
  return left.sequence - right.sequence;
}

export class EventQueue {
  private readonly heap: QueuedEvent[] = [];

  get size(): number {
    return this.heap.length;
  }

  /** Time of the earliest event, or Infinity when empty. */
  peekTime(): Micros {
    return this.heap.length === 0 ? Infinity : this.heap[0].atUs;
  }

  /** The earliest event, or undefined when empty. */
  peek(): QueuedEvent | undefined {
    return this.heap[0];
  }

  push(item: QueuedEvent): void {
    const heap = this.heap;
    heap.push(item);
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (compareQueued(heap[parent], item) <= 0) break;
      heap[index] = heap[parent];
      index = parent;
    }
    heap[index] = item;
  }

  pop(): QueuedEvent | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length === 0 || last === undefined) return top;
    let index = 0;
    const length = heap.length;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      const child = right < length && compareQueued(heap[right], heap[left]) < 0 ? right : left;
      if (compareQueued(heap[child], last) >= 0) break;
      heap[index] = heap[child];
      index = child;
    }
    heap[index] = last;
    return top;
  }

  /** Drops the events `keep` refuses; the rest pop in the same order as before. */
  retain(keep: (item: QueuedEvent) => boolean): void {
    const kept = this.heap.filter(keep).sort(compareQueued); // a sorted array is a heap
    this.heap.length = 0;
    for (const item of kept) this.heap.push(item);
  }

  /** The events in pop order, as plain data for a snapshot. */
  toSortedArray(): QueuedEvent[] {
    return [...this.heap].sort(compareQueued);
  }
}
