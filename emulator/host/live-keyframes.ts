// Keyframes taken from the lab being recorded (issue 22): the live lab already has the state a player
// would rebuild by replaying, so while a recording is made (the window's Record, `filerlab run
// --record`) its snapshot goes to the recording's sidecar (keyframe-sidecar.ts) every so often. The
// caller offers a keyframe whenever the lab is idle between slices; one is taken when enough virtual
// time has passed and its cost stays a small share of the wall time.
import { performance } from 'node:perf_hooks';
import type { Micros } from '../engine/actor.ts';
import type { Lab } from '../engine/lab.ts';
import type { LabViewState } from './engine-view.ts';
import { keepSnapshot } from './kept-snapshot.ts';
import { KeyframeSidecarWriter } from './keyframe-sidecar.ts';
import { StatsHistory } from './stats-history.ts';
import { summaryEntries } from './summary-view.ts';

/**
 * Virtual time between live keyframes. A seek runs forward at most this far (or LIVE_KEYFRAME_GAP_MAX_US):
 * ha-pair replays at 70x–100x on one core, so 60 s is under a second of wall time. An ha-pair keyframe
 * grows with what the clients wrote: ~6 MB on disk at 2 virtual minutes, ~20 MB at 30.
 */
export const LIVE_KEYFRAME_EVERY_US: Micros = 60_000_000;
/**
 * The share of wall time keyframes may take from the lab (snapshot, summary, serialization; the
 * compression runs off the main thread): at max speed a keyframe waits until this holds, up to
 * LIVE_KEYFRAME_GAP_MAX_US. Paced at 1x a keyframe costs a few tenths of a percent.
 */
export const KEYFRAME_WALL_SHARE_MAX = 0.25;
/** The longest stretch of virtual time without a keyframe, whatever they cost: a seek's bound. */
export const LIVE_KEYFRAME_GAP_MAX_US: Micros = 120_000_000;

export class LiveKeyframes {
  private readonly writer: KeyframeSidecarWriter;
  private readonly stats: StatsHistory;
  private nextUs: Micros;
  private lastCostMs = 0;
  private lastTakenMs = -Infinity;
  /** Keyframes written so far. */
  taken = 0;

  /**
   * Writes keyframes of `lab` to `sidecarPath` for the recording whose header line is `headerLine`,
   * the first one at the next offer; `view` is the window's view of the lab, kept with each keyframe.
   */
  constructor(
    sidecarPath: string, headerLine: string, private readonly lab: Lab, private readonly view: LabViewState,
    private readonly everyUs: Micros = LIVE_KEYFRAME_EVERY_US, sidecarBytesMax?: number,
  ) {
    this.writer = new KeyframeSidecarWriter(sidecarPath, headerLine, sidecarBytesMax);
    this.stats = new StatsHistory(lab);
    this.nextUs = lab.nowUs;
  }

  /** Why keyframes stopped being written, if they failed (the recording itself goes on). */
  get problem(): string | undefined {
    return this.writer.problem;
  }

  /** The lab is idle: takes a keyframe if one is due. */
  async offer(): Promise<void> {
    const lab = this.lab;
    if (lab.nowUs < this.nextUs || this.writer.problem || this.writer.full) return;
    const started = performance.now();
    const overdue = lab.nowUs >= this.nextUs - this.everyUs + LIVE_KEYFRAME_GAP_MAX_US;
    if (!overdue && started - this.lastTakenMs < this.lastCostMs / KEYFRAME_WALL_SHARE_MAX) return;
    // As bytes, serialized where the lab runs (kept-snapshot.ts): the host's thread never reads it.
    const kept = await keepSnapshot(lab);
    // An input entered but not yet stamped has no place in the recording's order: the next offer.
    if (kept.inputsTaken > kept.inputsLogged) return;
    this.view.absorbSummary(summaryEntries(await lab.summary()));
    this.writer.append(lab.nowUs, lab.inputLog, kept.inputsLogged, { snapshot: kept.bytes, view: this.view.save(), stats: this.stats.save() });
    this.taken++;
    this.nextUs = lab.nowUs + this.everyUs;
    this.lastTakenMs = performance.now();
    this.lastCostMs = this.lastTakenMs - started;
  }

  /** Waits for the keyframes under way and closes the sidecar. */
  async close(): Promise<void> {
    this.stats.dispose();
    await this.writer.close();
  }
}
