// A filer's banner on the diagram: what it is doing, in a trainee's words, with a tone and, while
// something runs down (a takeover countdown), a progress bar. Built from published values only, so
// HA's states show in its own words (HA_STATE_LABELS) whenever the label is not empty (not up or down).
//
//   <filer>.state        BootState (hardware)            <filer>.fileservice  'stopped' | 'waiting-for-storage' | 'serving'
//   <filer>.ha.state     HaViewState (emulator/protocol/ha-view.ts)
//   <filer>.ha.countdown { label: string, endsAtUs: number, totalUs: number } (optional, not published yet)
import { HA_STATE_LABELS, haViewPaths } from '../../../emulator/protocol/ha-view.ts';
import type { HaViewState } from '../../../emulator/protocol/ha-view.ts';
import { isHaState } from './ha-view.ts';

export type BannerTone = 'ok' | 'busy' | 'bad' | 'off' | 'ha';

export interface FilerBanner {
  readonly label: string;
  readonly tone: BannerTone;
  /** 0–1 of a countdown left, when one runs. */
  readonly progress?: number;
  readonly detail?: string;
  /** The HA state behind an 'ha' banner (each has its own look). */
  readonly ha?: HaViewState;
}

type State = Readonly<Record<string, unknown>>;

const BOOT_BANNERS: Record<string, FilerBanner> = {
  off: { label: 'powered off', tone: 'off' },
  firmware: { label: 'firmware', tone: 'busy' },
  loader: { label: 'at LOADER', tone: 'busy' },
  booting: { label: 'booting', tone: 'busy' },
  halted: { label: 'halted', tone: 'off' },
  panicked: { label: 'PANIC — dumping core', tone: 'bad' },
  hung: { label: 'hung', tone: 'bad' },
};

interface Countdown { label?: unknown; endsAtUs?: unknown; totalUs?: unknown }

export function filerBanner(state: State, filer: string, atUs: number): FilerBanner {
  const ha = state[haViewPaths.state(filer)];
  if (isHaState(ha) && HA_STATE_LABELS[ha] !== '') {
    const countdown = state[`${filer}.ha.countdown`] as Countdown | undefined;
    const endsAtUs = Number(countdown?.endsAtUs);
    const totalUs = Number(countdown?.totalUs);
    const progress = totalUs > 0 ? Math.min(1, Math.max(0, (endsAtUs - atUs) / totalUs)) : undefined;
    const detail = typeof countdown?.label === 'string' ? countdown.label : undefined;
    return { label: HA_STATE_LABELS[ha], tone: 'ha', ha, ...(progress === undefined ? {} : { progress }), ...(detail ? { detail } : {}) };
  }
  const boot = state[`${filer}.state`];
  if (typeof boot !== 'string') return { label: '…', tone: 'off' };
  if (boot !== 'running') return BOOT_BANNERS[boot] ?? { label: boot, tone: 'busy' };
  const service = state[`${filer}.fileservice`];
  if (service === 'serving' || service === undefined) return { label: 'serving', tone: 'ok' };
  if (service === 'waiting-for-storage') return { label: 'mounting storage', tone: 'busy' };
  return { label: 'running, not serving', tone: 'busy' };
}
