// The seek index of a recording being played (issue 22): a second lab replays the recording at full
// speed in the background, in short slices between which the host's event loop turns, and every
// KEYFRAME_EVERY_US of virtual time keeps a keyframe — the lab's snapshot and the view UIs draw — in a
// temporary folder (an ha-pair snapshot is ~20 MB: kept on disk, not in memory). A seek restores the
// keyframe at or before its target and runs forward less than one interval. On the way the index
// checks the recording's trace-hash checkpoints: a recording this build does not replay exactly is
// said so, at the checkpoint where it parts. A recording made with keyframes beside it (its sidecar,
// keyframe-sidecar.ts) starts from those at once and indexes in the background only what lies past
// the last of them (the end of a recording, or the rest of one whose writer died).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Micros } from '../engine/actor.ts';
import type { Lab } from '../engine/lab.ts';
import type { ParsedRecording } from '../engine/recording.ts';
import type { LabSnapshot } from '../engine/snapshot.ts';
import { keyframeBodyChunks, loadSidecarBody, readKeyframeBody } from './keyframe-sidecar.ts';
import { keepSnapshot } from './kept-snapshot.ts';
import { LIVE_KEYFRAME_GAP_MAX_US } from './live-keyframes.ts';
import type { SidecarKeyframe } from './keyframe-sidecar.ts';
import { LabViewState } from './engine-view.ts';
import type { SavedLabView } from './engine-view.ts';
import { RecordingFeed } from './recording-feed.ts';
import { StatsHistory } from './stats-history.ts';
import type { StatsEntry } from './stats-history.ts';
import { summaryEntries } from './summary-view.ts';

/**
 * Virtual time between keyframes: a seek runs forward at most this far. `filerlab bench seek` on a
 * 30-minute ha-pair recording: the costliest seek took 1.2 s of CPU at 15 s (2.4 s at 30 s); the price
 * is disk, a keyframe each 15 s (~10 MB each for ha-pair at 2 virtual minutes), deleted on close.
 */
export const KEYFRAME_EVERY_US: Micros = 15_000_000;
/** A sidecar whose last keyframe is this near the recording's end is complete (live-keyframes.ts's longest gap). */
const SIDECAR_TAIL_MAX_US: Micros = LIVE_KEYFRAME_GAP_MAX_US;
/** Wall time one background slice may take before the event loop turns (the played lab, the UIs). */
const SLICE_WALL_MS = 12;

export interface Keyframe {
  readonly atUs: Micros;
  /** How many of the recording's inputs its lab holds (the feed starts after them). */
  readonly inputsHeld: number;
  /** Where its snapshot and view are, in a temporary file or the recording's sidecar; neither for the fresh lab at 0. */
  readonly file?: string;
  readonly sidecar?: SidecarKeyframe;
}

/** The keyframes a recording's sidecar holds, with its path. */
export interface SidecarKeyframes {
  readonly file: string;
  readonly keyframes: readonly SidecarKeyframe[];
}

export interface LoadedKeyframe {
  readonly atUs: Micros;
  readonly inputsHeld: number;
  readonly snapshot?: LabSnapshot;
  readonly view?: SavedLabView;
  /** The clients' chart samples of the minute before it. */
  readonly stats?: readonly StatsEntry[];
}

export class KeyframeIndex {
  private readonly keyframes: Keyframe[] = [{ atUs: 0, inputsHeld: 0 }];
  private readonly dir = mkdtempSync(path.join(os.tmpdir(), 'filerlab-keyframes-'));
  private stopped = false;
  private finished = false;
  private waiters: { readonly atUs: Micros; readonly resolve: () => void }[] = [];
  /** Why indexing stopped early, when it did. */
  problem: string | undefined;
  /** Set when the whole recording is indexed (or indexing stopped). */
  readonly built: Promise<void>;

  /**
   * Starts indexing at once: on a fresh lab from `openAt()`, or past the last keyframe of `sidecar`
   * on a lab `openAt` restores from it; `onProgress` hears each keyframe.
   */
  constructor(
    private readonly recording: ParsedRecording, openAt: (from?: LoadedKeyframe) => Promise<Lab>, private readonly onProgress: () => void,
    readonly everyUs: Micros = KEYFRAME_EVERY_US, private readonly sidecar?: SidecarKeyframes,
  ) {
    for (const keyframe of sidecar?.keyframes ?? []) {
      if (keyframe.atUs > 0) this.keyframes.push({ atUs: keyframe.atUs, inputsHeld: keyframe.inputsHeld, sidecar: keyframe });
    }
    // A sidecar that reaches the recording's end leaves nothing to index: a seek past its last keyframe
    // runs forward no further than between two of its keyframes.
    const sidecarComplete = sidecar !== undefined && recording.end.atUs - this.indexedUs <= SIDECAR_TAIL_MAX_US;
    this.finished = sidecarComplete;
    this.built = (sidecarComplete ? Promise.resolve() : this.buildFrom(openAt)).catch((error: unknown) => {
      this.problem = `the recording could not be indexed: ${(error as Error).message}`;
      this.finished = true;
      this.wake();
      this.onProgress();
    });
  }

  private async buildFrom(openAt: (from?: LoadedKeyframe) => Promise<Lab>): Promise<void> {
    const start = this.load(this.keyframes.at(-1)!);
    await this.build(await openAt(start.snapshot ? start : undefined), start);
  }

  /** The latest keyframe time: a seek up to one interval past it restores a keyframe. */
  get indexedUs(): Micros {
    return this.keyframes.at(-1)!.atUs;
  }

  /**
   * Resolves once a keyframe at or past `atUs` is kept, or indexing has stopped: a seek far ahead waits
   * for the index, which is on its way there anyway, rather than run a second lab the same way.
   */
  reach(atUs: Micros): Promise<void> {
    if (this.finished || this.indexedUs >= atUs) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ atUs, resolve }));
  }

  /** Whether indexing has ended (the whole recording, or stopped at a problem). */
  get done(): boolean {
    return this.finished;
  }

  /** The keyframe at or before `atUs`. */
  nearest(atUs: Micros): Keyframe {
    return this.keyframes.findLast((keyframe) => keyframe.atUs <= atUs) ?? this.keyframes[0]!;
  }

  private read(keyframe: Keyframe): LoadedKeyframe {
    const { atUs, inputsHeld } = keyframe;
    if (keyframe.sidecar) return { atUs, inputsHeld, ...loadSidecarBody(this.sidecar!.file, keyframe.sidecar) };
    if (!keyframe.file) return { atUs, inputsHeld };
    return { atUs, inputsHeld, ...readKeyframeBody(readFileSync(keyframe.file)) };
  }

  /**
   * The keyframe's lab, or the nearest before it that loads: a damaged one in a sidecar (gzip's CRC
   * fails) is dropped from the index and the one before it serves, down to the fresh lab at 0.
   */
  load(keyframe: Keyframe): LoadedKeyframe {
    for (let candidate = keyframe; ; candidate = this.nearest(candidate.atUs - 1)) {
      try {
        return this.read(candidate);
      } catch {
        this.keyframes.splice(this.keyframes.indexOf(candidate), 1);
      }
    }
  }

  /** Stops indexing and deletes the keyframes. */
  async dispose(): Promise<void> {
    this.stopped = true;
    await this.built;
    rmSync(this.dir, { recursive: true, force: true });
  }

  private wake(): void {
    const ready = this.waiters.filter((waiter) => this.finished || this.indexedUs >= waiter.atUs);
    this.waiters = this.waiters.filter((waiter) => !ready.includes(waiter));
    for (const waiter of ready) waiter.resolve();
  }

  /** Indexes the recording from `start` (a fresh lab at 0, or the last sidecar keyframe) to its end. */
  private async build(lab: Lab, start: LoadedKeyframe): Promise<void> {
    const view = LabViewState.follow(lab, start.view);
    const stats = new StatsHistory(lab, start.stats);
    const feed = new RecordingFeed(this.recording.inputs, start.inputsHeld);
    const checkpoints = this.recording.checkpoints;
    const endUs = this.recording.end.atUs;
    let nextCheck = checkpoints.findIndex((checkpoint) => checkpoint.atUs > start.atUs);
    if (nextCheck < 0) nextCheck = checkpoints.length;
    let nextKeyframeUs = start.atUs + this.everyUs;
    let sliceUs = 1_000_000;
    try {
      while (!this.stopped && lab.nowUs < endUs) {
        const stopUs = Math.min(nextKeyframeUs, checkpoints[nextCheck]?.atUs ?? Infinity, endUs, lab.nowUs + sliceUs);
        const started = performance.now();
        await feed.runUntil(lab, stopUs);
        const tookMs = performance.now() - started;
        sliceUs = tookMs < SLICE_WALL_MS / 2 ? Math.min(sliceUs * 2, this.everyUs) : tookMs > SLICE_WALL_MS ? Math.max(Math.floor(sliceUs / 2), 10_000) : sliceUs;
        const checkpoint = checkpoints[nextCheck];
        if (checkpoint && lab.nowUs === checkpoint.atUs) {
          nextCheck++;
          const actual = await lab.traceHash();
          if (actual !== checkpoint.traceHash) {
            this.problem = `this build does not replay the recording exactly: at checkpoint ${checkpoint.atUs / 1e6} s the trace is ${actual}, the recording says ${checkpoint.traceHash}`;
            break;
          }
        }
        // Nobody takes this view's deltas: drop them, or they would pile up.
        view.takeDelta(lab.nowUs, { mode: 'paused', speed: 1 });
        if (lab.nowUs === nextKeyframeUs && !this.stopped) {
          view.absorbSummary(summaryEntries(await lab.summary()));
          const file = path.join(this.dir, `${nextKeyframeUs}.v8`);
          // As bytes, serialized where the lab runs (kept-snapshot.ts): this thread only writes them out.
          const kept = await keepSnapshot(lab);
          writeFileSync(file, Buffer.concat(keyframeBodyChunks({ snapshot: kept.bytes, view: view.save(), stats: stats.save() })));
          this.keyframes.push({ atUs: nextKeyframeUs, inputsHeld: kept.inputsTaken, file });
          nextKeyframeUs += this.everyUs;
          this.wake();
          this.onProgress();
        }
        // The event loop turns between slices: the played lab and the UIs go on meanwhile.
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      await lab.dispose();
      this.finished = true;
      this.wake();
      this.onProgress();
    }
  }
}
