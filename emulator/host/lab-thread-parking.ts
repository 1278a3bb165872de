// Lab threads kept warm between labs (lab-thread.ts). A new thread compiles its code afresh and runs its
// first lab minute at about half the speed of a warm one; a thread whose lab was disposed cleanly is
// parked here and the next lab with the same behaviours and heap limit opens in it.
import type { Worker } from 'node:worker_threads';

/** What must match for a parked thread to take a lab: the behaviours it imported and its heap limit. */
export interface ParkingOptions {
  readonly registryUrl: string;
  readonly maxHeapMb?: number;
}

/**
 * Threads whose lab was disposed cleanly, kept for the next lab: a reset, a restored state, a seek in
 * a recording and the bench's runs each open a new lab. Parked threads do not keep the process alive.
 */
const PARKED_THREADS = 1;
interface ParkedThread { readonly worker: Worker; readonly registryUrl: string; readonly maxHeapMb: number | undefined; readonly gone: () => void }
const parked: ParkedThread[] = [];

/** How many threads wait for a lab (for tests and the bench). */
export function parkedLabThreads(): number {
  return parked.length;
}

export function takeParked(options: ParkingOptions): Worker | undefined {
  const index = parked.findIndex((thread) => thread.registryUrl === options.registryUrl && thread.maxHeapMb === options.maxHeapMb);
  if (index < 0) return undefined;
  const [thread] = parked.splice(index, 1);
  thread.worker.off('exit', thread.gone).off('error', thread.gone);
  thread.worker.ref();
  return thread.worker;
}

export function park(worker: Worker, options: ParkingOptions): boolean {
  if (parked.length >= PARKED_THREADS) return false;
  const thread: ParkedThread = {
    worker, registryUrl: options.registryUrl, maxHeapMb: options.maxHeapMb,
    gone: () => { const index = parked.indexOf(thread); if (index >= 0) parked.splice(index, 1); },
  };
  worker.on('exit', thread.gone).on('error', thread.gone);
  worker.unref();
  parked.push(thread);
  return true;
}
