// Pan and zoom of the diagram as a viewBox: the wheel zooms about the pointer, dragging the canvas pans,
// a double click fits the whole lab again. The SVG keeps its size; only the viewBox changes.
import { computed, ref, watch } from 'vue';
import type { Ref } from 'vue';

export interface ViewBox { x: number; y: number; width: number; height: number }

export const ZOOM_MIN = 0.25;
export const ZOOM_MAX = 4;

/** The viewBox zoomed by `factor` (>1 zooms in) about a point given as fractions of the box. */
export function zoomAbout(box: ViewBox, factor: number, fx: number, fy: number, full: { width: number; height: number }): ViewBox {
  const scale = full.width / box.width;
  const next = Math.min(ZOOM_MAX, Math.max(ZOOM_MIN, scale * factor));
  const width = full.width / next;
  const height = full.height / next;
  return { x: box.x + (box.width - width) * fx, y: box.y + (box.height - height) * fy, width, height };
}

export function usePanZoom(size: Ref<{ width: number; height: number } | undefined>) {
  const box = ref<ViewBox>({ x: 0, y: 0, width: 1, height: 1 });
  const fit = () => { if (size.value) box.value = { x: 0, y: 0, ...size.value }; };
  watch(size, (next, before) => { if (next && (!before || next.width !== before.width || next.height !== before.height)) fit(); }, { immediate: true });
  let drag: { x: number; y: number; box: ViewBox; scale: number } | undefined;

  function wheel(event: WheelEvent): void {
    const svg = event.currentTarget as SVGSVGElement;
    const rect = svg.getBoundingClientRect();
    if (!size.value || rect.width === 0) return;
    box.value = zoomAbout(box.value, event.deltaY < 0 ? 1.15 : 1 / 1.15, (event.clientX - rect.left) / rect.width, (event.clientY - rect.top) / rect.height, size.value);
  }
  function down(event: PointerEvent): void {
    if (event.button !== 0 || (event.target as Element).closest('.node, .link-end')) return;
    const rect = (event.currentTarget as SVGSVGElement).getBoundingClientRect();
    drag = { x: event.clientX, y: event.clientY, box: { ...box.value }, scale: box.value.width / Math.max(1, rect.width) };
  }
  function move(event: PointerEvent): void {
    if (!drag) return;
    box.value = { ...drag.box, x: drag.box.x - (event.clientX - drag.x) * drag.scale, y: drag.box.y - (event.clientY - drag.y) * drag.scale };
  }
  const up = () => { drag = undefined; };
  const viewBox = computed(() => `${box.value.x} ${box.value.y} ${box.value.width} ${box.value.height}`);
  const zoom = computed(() => (size.value ? size.value.width / box.value.width : 1));
  return { viewBox, zoom, wheel, down, move, up, fit };
}
