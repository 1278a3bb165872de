// `filerlab console` and the window's console panes drop from the first delta what the scrollback
// already showed. Both must agree with the plain definition and stay linear: the old loop of endsWith
// took minutes on a 256 KiB delta (issue 21; the renderer's copy was still quadratic).
import { describe, expect, it } from 'vitest';
import { withoutOverlap as hostOverlap } from '../../../emulator/cli/console-client.ts';
import { withoutOverlap as rendererOverlap } from '../../../renderer/src/components/console/overlap.ts';
import { seeded } from './hostile-client.ts';

function plain(scrollback: string, delta: string): string {
  for (let length = Math.min(scrollback.length, delta.length); length > 0; length--) {
    if (scrollback.endsWith(delta.slice(0, length))) return delta.slice(length);
  }
  return delta;
}

describe.each([['filerlab console', hostOverlap], ['the renderer', rendererOverlap]] as const)('withoutOverlap of %s', (_name, withoutOverlap) => {
  it('agrees with the plain definition on 5,000 random cases over a small alphabet', () => {
    const random = seeded(7);
    const text = (length: number) => Array.from({ length }, () => 'ab\r\n'[Math.floor(random() * 4)]).join('');
    for (let index = 0; index < 5_000; index++) {
      const scrollback = text(Math.floor(random() * 12));
      const delta = text(Math.floor(random() * 12));
      expect(withoutOverlap(scrollback, delta), JSON.stringify([scrollback, delta])).toBe(plain(scrollback, delta));
    }
    expect(withoutOverlap('filerA> cf status\r\n', 'cf status\r\nCluster enabled')).toBe('Cluster enabled');
    expect(withoutOverlap('', 'abc')).toBe('abc');
    expect(withoutOverlap('abc', '')).toBe('');
  });

  it('is linear on a full scrollback and a 256 KiB delta of one repeated key', () => {
    const scrollback = 'a'.repeat(256 * 1024);
    const delta = `${'a'.repeat(256 * 1024 - 1)}b`;
    const started = performance.now();
    expect(withoutOverlap(scrollback, delta)).toBe('b');
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
