// A cable's line as the diagram draws it (DiagramCable.vue) and as points along it, so that whatever is
// placed beside a port (address tags) can keep off every cable. Pure, tested without a DOM.
import type { Anchor } from './diagram-layout.ts';

interface Point { readonly x: number; readonly y: number }
export interface Box { readonly x: number; readonly y: number; readonly width: number; readonly height: number }

/** The SVG path: straight when level or plumb, else a vertical S-curve through the middle height. */
export function cablePath(a: Anchor, b: Anchor): string {
  if (a.x === b.x || a.y === b.y) return `M ${a.x} ${a.y} L ${b.x} ${b.y}`;
  const middle = (a.y + b.y) / 2;
  return `M ${a.x} ${a.y} C ${a.x} ${middle}, ${b.x} ${middle}, ${b.x} ${b.y}`;
}

const SAMPLES = 32;

/** Points along the drawn line, ends included (the curve sampled finely enough for 15-px tags). */
export function cablePoints(a: Anchor, b: Anchor): Point[] {
  if (a.x === b.x || a.y === b.y) return [{ x: a.x, y: a.y }, { x: b.x, y: b.y }];
  const middle = (a.y + b.y) / 2;
  return Array.from({ length: SAMPLES + 1 }, (_, step) => {
    const t = step / SAMPLES;
    const u = 1 - t;
    // Cubic Bézier with control points (a.x, middle) and (b.x, middle).
    const x = u * u * u * a.x + 3 * u * u * t * a.x + 3 * u * t * t * b.x + t * t * t * b.x;
    const y = u * u * u * a.y + 3 * u * u * t * middle + 3 * u * t * t * middle + t * t * t * b.y;
    return { x, y };
  });
}

/** Whether the segment p–q passes through the box (grown by `margin`): Liang–Barsky clipping. */
export function segmentCrossesBox(p: Point, q: Point, box: Box, margin = 0): boolean {
  const left = box.x - margin;
  const right = box.x + box.width + margin;
  const top = box.y - margin;
  const bottom = box.y + box.height + margin;
  const dx = q.x - p.x;
  const dy = q.y - p.y;
  let enter = 0;
  let leave = 1;
  for (const [step, room] of [[-dx, p.x - left], [dx, right - p.x], [-dy, p.y - top], [dy, bottom - p.y]] as const) {
    if (step === 0) { if (room < 0) return false; continue; }
    const t = room / step;
    if (step < 0) enter = Math.max(enter, t);
    else leave = Math.min(leave, t);
    if (enter > leave) return false;
  }
  return true;
}

/** Whether a line through these points crosses the box. */
export function lineCrossesBox(points: readonly Point[], box: Box, margin = 0): boolean {
  for (let index = 1; index < points.length; index++) if (segmentCrossesBox(points[index - 1], points[index], box, margin)) return true;
  return false;
}

export function boxesOverlap(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}
