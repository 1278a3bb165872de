// The toolbar's clock: virtual microseconds as hh:mm:ss.mmm (hours grow past 99 if a lab runs that long).
export function formatVirtualTime(atUs: number): string {
  const totalMs = Math.floor(Math.max(0, atUs) / 1_000);
  const ms = totalMs % 1_000;
  const totalSeconds = Math.floor(totalMs / 1_000);
  const seconds = totalSeconds % 60;
  const minutes = Math.floor(totalSeconds / 60) % 60;
  const hours = Math.floor(totalSeconds / 3_600);
  const two = (value: number) => String(value).padStart(2, '0');
  return `${two(hours)}:${two(minutes)}:${two(seconds)}.${String(ms).padStart(3, '0')}`;
}
