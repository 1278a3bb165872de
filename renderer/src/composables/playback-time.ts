// Times typed in the playback bar's Go to box: seconds (`75`, `75.5`), `m:ss` or `h:mm:ss(.mmm)`;
// undefined for anything else. Pure, for the bar and its tests.
export function parsePlaybackTime(text: string): number | undefined {
  const match = /^\s*(?:(?:(\d+):)?(\d+):)?(\d+(?:\.\d{1,6})?)\s*$/.exec(text);
  if (!match) return undefined;
  const [, hours, minutes, seconds] = match;
  const totalSeconds = Number(hours ?? 0) * 3600 + Number(minutes ?? 0) * 60 + Number(seconds);
  return Number.isFinite(totalSeconds) ? Math.round(totalSeconds * 1_000_000) : undefined;
}

/** Where `atUs` sits on a bar of `endUs`, as a CSS percentage. */
export function barPercent(atUs: number, endUs: number): string {
  return `${endUs > 0 ? Math.min(100, Math.max(0, (atUs / endUs) * 100)) : 0}%`;
}
