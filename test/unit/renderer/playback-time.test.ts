// The playback bar's Go to box and marker positions (renderer/src/composables/playback-time.ts).
import { describe, expect, it } from 'vitest';
import { barPercent, parsePlaybackTime } from '../../../renderer/src/composables/playback-time.ts';

describe('playback times', () => {
  it('reads seconds, m:ss and h:mm:ss(.mmm) as microseconds', () => {
    expect(parsePlaybackTime('75')).toBe(75_000_000);
    expect(parsePlaybackTime(' 1:15.5 ')).toBe(75_500_000);
    expect(parsePlaybackTime('0:30:00')).toBe(1_800_000_000);
    expect(parsePlaybackTime('1:02:03.004')).toBe(3_723_004_000);
  });

  it('refuses what is not a time', () => {
    for (const text of ['', 'soon', '-5', '1:2:3:4', '1e3', '5s']) expect(parsePlaybackTime(text)).toBeUndefined();
  });

  it('places a time on the bar, clamped to it', () => {
    expect(barPercent(50, 200)).toBe('25%');
    expect(barPercent(300, 200)).toBe('100%');
    expect(barPercent(5, 0)).toBe('0%');
  });
});
