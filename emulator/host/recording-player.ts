// A recording played in the window (issue 22): the recording, the feed that hands its inputs to the
// played lab at their stamps, and the seek index built behind it. The lab session runs the played lab
// at the chosen pace through `advance`; a seek asks `seekPlan` whether to run the lab on or restore a
// keyframe. Taking over drops the player: the lab goes on live from where it stood (a branch).
import type { Micros } from '../engine/actor.ts';
import type { Lab } from '../engine/lab.ts';
import type { ParsedRecording } from '../engine/recording.ts';
import type { PlaybackState } from '../protocol/playback.ts';
import { KeyframeIndex } from './keyframe-index.ts';
import type { Keyframe, LoadedKeyframe, SidecarKeyframes } from './keyframe-index.ts';
import { RecordingFeed } from './recording-feed.ts';
import { StatsHistory } from './stats-history.ts';
import type { StatsEntry } from './stats-history.ts';

/** Marks the session writes itself when the pace changes: not the instructor's markers. */
const PACE_MARK = /^speed (?:max|[\d.]+)$/;

export type SeekPlan = { readonly kind: 'runOn' } | { readonly kind: 'restore'; readonly keyframe: Keyframe };

export class RecordingPlayer {
  readonly index: KeyframeIndex;
  private feed: RecordingFeed;
  private charts: StatsHistory | undefined;

  /**
   * `openAt` builds the recording's lab at time 0, or restored from a keyframe (for the index);
   * `onChange` hears index progress; `sidecar`, the keyframes written beside the recording, if any.
   */
  constructor(
    readonly name: string, readonly recording: ParsedRecording, openAt: (from?: LoadedKeyframe) => Promise<Lab>, onChange: () => void,
    keyframeEveryUs?: Micros, sidecar?: SidecarKeyframes,
  ) {
    this.feed = new RecordingFeed(recording.inputs, 0);
    this.index = new KeyframeIndex(recording, openAt, onChange, keyframeEveryUs, sidecar);
  }

  get endUs(): Micros {
    return this.recording.end.atUs;
  }

  state(): PlaybackState {
    const { recording } = this;
    return {
      name: this.name, lab: recording.lab, seed: recording.seed, fromUs: recording.fromUs, endUs: this.endUs, cutShort: recording.cutShort,
      markers: recording.inputs.flatMap((stamped) => (stamped.input.kind === 'mark' && !PACE_MARK.test(stamped.input.text) ? [{ atUs: stamped.atUs, text: stamped.input.text }] : [])),
      // An index that reached the end covers it all, even the part after its last keyframe.
      indexedUs: this.index.done && !this.index.problem ? this.endUs : Math.min(this.index.indexedUs, this.endUs),
      ...(this.index.problem ? { problem: this.index.problem } : {}),
    };
  }

  /** Runs the played lab toward `targetUs` (never past the recording's end), its inputs fed as recorded. */
  advance(lab: Lab, targetUs: Micros): Promise<void> {
    return this.feed.runUntil(lab, Math.min(targetUs, this.endUs));
  }

  /** Step: to just past the next event or recorded input, whichever comes first. */
  stepTargetUs(lab: Lab): Micros {
    return Math.min(lab.nextEventUs(), this.feed.nextInputUs(), this.endUs) + 1;
  }

  atEnd(lab: Lab): boolean {
    return lab.nowUs >= this.endUs;
  }

  /** Run the lab on when the target is ahead and no keyframe nearer; else restore the keyframe before it. */
  seekPlan(lab: Lab | undefined, targetUs: Micros): SeekPlan {
    const keyframe = this.index.nearest(targetUs);
    if (lab && targetUs >= lab.nowUs && (keyframe.atUs <= lab.nowUs || targetUs - lab.nowUs < this.index.everyUs / 2)) return { kind: 'runOn' };
    return { kind: 'restore', keyframe };
  }

  /**
   * Before a seek: when no keyframe lies within an interval of the target yet, waits for the index to
   * get there — unless the played lab itself is nearer (then it runs on).
   */
  async awaitIndex(lab: Lab | undefined, targetUs: Micros): Promise<void> {
    const wantedUs = targetUs - this.index.everyUs;
    const playedIsNearer = lab !== undefined && lab.nowUs <= targetUs && lab.nowUs > this.index.indexedUs;
    if (this.index.indexedUs < wantedUs && !playedIsNearer) await this.index.reach(wantedUs);
  }

  /** The played lab from here on: fed after the inputs it holds (a keyframe's), its charts' last minute followed. */
  follow(lab: Lab, inputsHeld: number, stats?: readonly StatsEntry[]): void {
    this.feed = new RecordingFeed(this.recording.inputs, inputsHeld);
    this.charts?.dispose();
    this.charts = new StatsHistory(lab, stats);
  }

  /** The chart samples of the last minute, as patches: sent after a seek so the charts show it. */
  chartPatches(): [string, unknown][] {
    return this.charts?.patches() ?? [];
  }

  dispose(): Promise<void> {
    return this.index.dispose();
  }
}
