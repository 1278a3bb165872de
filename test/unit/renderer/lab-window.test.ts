import { describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { addSample, chartPath, type ClientSeries, type StatsSample } from '../../../renderer/src/composables/client-series.ts';
import { filerBanner } from '../../../renderer/src/composables/filer-banner.ts';
import { shelfBays } from '../../../renderer/src/composables/disk-roles.ts';
import { shortcutFor } from '../../../renderer/src/composables/shortcuts.ts';
import { zoomAbout } from '../../../renderer/src/composables/pan-zoom.ts';
import { useLabStore } from '../../../renderer/src/stores/lab.ts';
import type { LabView } from '../../../emulator/protocol/channels.ts';

function sample(atUs: number, totalOk: number, outageMs = 0): StatsSample {
  return { atUs, intervalUs: 250_000, opsOk: 0, opsFailed: 0, latencyMsAvg: null, outageMs, totalOk, totalFailed: 0, totalLatencyMs: totalOk * 10 };
}

describe('client chart series', () => {
  it('derives rates from totals (robust to missed samples) and marks an outage as a gap', () => {
    const series: ClientSeries = { points: [] };
    addSample(series, sample(250_000, 5));
    addSample(series, sample(500_000, 10));
    addSample(series, sample(1_000_000, 20));
    addSample(series, sample(1_250_000, 20, 400));
    expect(series.points.map((point) => point.opsPerSecond)).toEqual([0, 20, 20, 0]);
    expect(series.points.map((point) => point.gap)).toEqual([false, false, false, true]);
    expect(series.points[1].latencyMs).toBe(10);
    expect(chartPath(series.points, (point) => point.opsPerSecond, 100, 10, 20).split('M')).toHaveLength(2);
    addSample(series, sample(1_500_000, 25));
    expect(chartPath(series.points, (point) => point.opsPerSecond, 100, 10, 20).split('M')).toHaveLength(3);
  });

  it('the store grows a client series from deltas', () => {
    setActivePinia(createPinia());
    const lab = useLabStore();
    const view: LabView = { lab: 'x', seed: 1, atUs: 0, pace: { mode: 'running', speed: 1 }, topology: { actors: [], cables: [] }, state: { 'c1.stats': sample(250_000, 1) }, unplugged: [], ems: [] };
    lab.receive({ type: 'lab.reset', view });
    for (let i = 2; i < 6; i++) {
      lab.receive({ type: 'lab.delta', delta: { atUs: i * 250_000, pace: view.pace, patches: [['c1.stats', sample(i * 250_000, i)]], ems: [], console: {} } });
    }
    expect(lab.series.get('c1')?.points).toHaveLength(5);
    expect(lab.chartTick).toBeGreaterThan(0);
  });
});

describe('banners, bays, shortcuts, zoom', () => {
  it('banners follow boot state, file service and HA countdowns', () => {
    expect(filerBanner({ 'f.state': 'panicked' }, 'f', 0).tone).toBe('bad');
    expect(filerBanner({ 'f.state': 'running', 'f.fileservice': 'serving' }, 'f', 0).label).toBe('serving');
    const ha = filerBanner({ 'f.state': 'running', 'f.ha.state': 'takeover', 'f.ha.countdown': { label: 'partner silent', endsAtUs: 15, totalUs: 10 } }, 'f', 10);
    expect(ha).toMatchObject({ label: 'in takeover', tone: 'ha', ha: 'takeover', progress: 0.5, detail: 'partner silent' });
  });

  it('bays take the owner’s role and the owner’s reconstruction progress', () => {
    const bays = shelfBays({
      's.bays.0.state': 'ok', 's.bays.0.owner': 'A', 'A.disks.s.0.role': 'reconstructing', 'B.disks.s.0.role': 'partner', 'A.raid.aggr0.rg0.reconstructPercent': 42,
      's.bays.1.state': 'failed', 's.bays.1.owner': 'A', 'A.disks.s.1.role': 'failed',
    }, 's', ['A', 'B']);
    expect(bays[0]).toMatchObject({ role: 'reconstructing', reconstructPercent: 42 });
    expect(bays[1]).toMatchObject({ health: 'failed', role: 'failed' });
    expect(bays[2]).toMatchObject({ health: 'empty', role: 'unknown' });
  });

  it('shortcuts map keys to intentions but not inside fields', () => {
    expect(shortcutFor('2', { tagName: 'BODY' })).toEqual({ kind: 'pace', pace: 10 });
    expect(shortcutFor('2', { tagName: 'INPUT' })).toBeUndefined();
    expect(shortcutFor('2', { tagName: 'BODY' }, true)).toBeUndefined();
  });

  it('zooms about the pointer within bounds', () => {
    const full = { width: 1000, height: 500 };
    const zoomed = zoomAbout({ x: 0, y: 0, ...full }, 2, 1, 1, full);
    expect(zoomed).toEqual({ x: 500, y: 250, width: 500, height: 250 });
    expect(zoomAbout(zoomed, 100, 0.5, 0.5, full).width).toBe(250);
  });
});
