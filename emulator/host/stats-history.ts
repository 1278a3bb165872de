// The clients' chart samples of the last minute of a played lab (issue 22): a window draws its charts
// from `<client>.stats` samples as they arrive, and a seek sends the whole view at once, which holds
// only each client's latest sample. Kept with each keyframe and followed on the played lab, they go out
// after a seek's reset, so the charts show the minute before the seek's target as it was.
import type { Micros } from '../engine/actor.ts';
import type { Lab } from '../engine/lab.ts';

/** As long as a window's chart reaches back (renderer's POINTS_KEPT at 250 ms). */
export const CHART_HISTORY_US: Micros = 60_000_000;

export type StatsEntry = readonly [path: string, value: unknown, atUs: Micros];

export class StatsHistory {
  private entries: StatsEntry[];
  private readonly subscription: { dispose(): void };

  /** Follows `lab` from now on, starting from `saved` (a keyframe's). */
  constructor(lab: Lab, saved: readonly StatsEntry[] = []) {
    this.entries = [...saved];
    this.subscription = lab.onDidEmit((emission) => {
      for (const output of emission.outputs) {
        if (output.type === 'publish' && output.path.endsWith('.stats')) this.entries.push([output.path, output.value, output.atUs]);
      }
      this.trim(emission.atUs);
    });
  }

  /** Stops following the lab (one that runs on without this history). */
  dispose(): void {
    this.subscription.dispose();
  }

  /** The samples of the last CHART_HISTORY_US, oldest first. */
  save(): StatsEntry[] {
    return [...this.entries];
  }

  /** As patches (path, value) in the order they came: what a window's charts are fed. */
  patches(): [string, unknown][] {
    return this.entries.map(([path, value]) => [path, value]);
  }

  private trim(nowUs: Micros): void {
    const first = this.entries.findIndex((entry) => entry[2] >= nowUs - CHART_HISTORY_US);
    if (first > 0) this.entries.splice(0, first);
    else if (first < 0) this.entries = [];
  }
}
