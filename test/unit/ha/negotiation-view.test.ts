// What HA publishes for the window during a negotiated takeover (emulator/ontap/ha/view.ts, paths in
// emulator/protocol/ha-view.ts): filerA's monitor with its fault, class and request; filerB's verdict
// and countdown; each value published only when it changed; the refused case with its reason.
import { describe, expect, it } from 'vitest';
import { MICROS_PER_SECOND } from '../../../emulator/engine/actor.ts';
import { createLab, type LabEmission } from '../../../emulator/engine/lab.ts';
import { behaviors } from '../../../emulator/lab/registry.ts';
import { haViewPaths, type HaMonitorView, type HaNegotiationView } from '../../../emulator/protocol/ha-view.ts';
import { builtinSpec } from '../hardware/probe.ts';

async function haPair() {
  const lab = await createLab({ spec: builtinSpec('ha-pair'), seed: 1, registry: behaviors });
  const published: Array<{ atUs: number; path: string; value: unknown }> = [];
  lab.onDidEmit((emission: LabEmission) => {
    for (const output of emission.outputs) if (output.type === 'publish') published.push({ atUs: output.atUs, path: output.path, value: output.value });
  });
  const last = <T>(path: string): T | undefined => published.filter((entry) => entry.path === path).at(-1)?.value as T | undefined;
  const count = (path: string) => published.filter((entry) => entry.path === path).length;
  return { lab, published, last, count };
}

const fault = (actor: string, name: string) => ({ kind: 'actor', actor, input: { kind: 'fault', fault: name, args: [] } }) as const;

describe('the negotiated takeover in the window’s view', () => {
  it('publishes filerA’s fault with its class and request, filerB’s please-shutdown and countdown, then the takeover', async () => {
    const { lab, published, last, count } = await haPair();
    await lab.runFor(5 * MICROS_PER_SECOND);
    expect(last<HaMonitorView>(haViewPaths.monitor('filerA'))).toMatchObject({ faults: [], diagnosis: 'none', request: null });
    const quietCount = count(haViewPaths.monitor('filerA'));
    await lab.runFor(5 * MICROS_PER_SECOND);
    // Nothing changed: nothing more published (the monitor's view is checked every tick).
    expect(count(haViewPaths.monitor('filerA'))).toBe(quietCount);

    expect(lab.input(fault('filerA', 'nvram-battery'))).toEqual({ ok: true });
    await lab.runFor(20 * MICROS_PER_SECOND);
    const asked = published.find((entry) => entry.path === haViewPaths.monitor('filerA') && (entry.value as HaMonitorView).request !== null);
    expect(asked?.value).toMatchObject({
      faults: [{ type: 'nvram-battery', class: 'takeover', text: 'NVRAM battery low' }], diagnosis: 'takeover',
      request: { faultType: 'nvram-battery', pending: true },
    });
    const request = (asked?.value as HaMonitorView).request!;
    expect(request.atMs).toBe(asked!.atUs / 1000);

    const accepted = published.find((entry) => entry.path === haViewPaths.negotiation('filerB') && (entry.value as HaNegotiationView).countdown.state === 'running');
    const running = accepted?.value as HaNegotiationView;
    expect(running.partnerFaultType).toBe('nvram-battery');
    expect(running.verdict).toMatchObject({ kind: 'please-shutdown', faultType: 'nvram-battery', reason: null });
    expect(running.countdown.startedAtMs).toBe(running.verdict!.atMs);
    expect(running.countdown.endsAtMs! - running.countdown.startedAtMs!).toBe(30_000);
    expect(running.verdict!.atMs).toBeGreaterThanOrEqual(request.atMs);

    // filerA shut down in time: the countdown stopped, the verdict stays for the window to fade, and
    // filerA's request is no longer pending but remembers the answer it had.
    expect(last<HaNegotiationView>(haViewPaths.negotiation('filerB'))).toMatchObject({ countdown: { state: 'idle', starts: 1 }, verdict: { kind: 'please-shutdown' } });
    expect(last<HaMonitorView>(haViewPaths.monitor('filerA'))).toMatchObject({ faults: [], request: { faultType: 'nvram-battery', pending: false, answer: 'please-shutdown' } });
    expect(last(haViewPaths.state('filerB'))).toBe('takeover');
    expect(last(haViewPaths.state('filerA'))).toBe('down');
  }, 60_000);

  it('publishes filerB’s refusal with its reason, and filerA hearing it', async () => {
    const { lab, last } = await haPair();
    await lab.runFor(2 * MICROS_PER_SECOND);
    lab.input({ kind: 'actor', actor: 'filerB', input: { kind: 'console', data: 'cf disable\r' } });
    await lab.runFor(2 * MICROS_PER_SECOND);
    lab.input(fault('filerA', 'nvram-battery'));
    await lab.runFor(5 * MICROS_PER_SECOND);
    expect(last<HaNegotiationView>(haViewPaths.negotiation('filerB'))).toMatchObject({
      partnerFaultType: 'nvram-battery', lastRefusal: 'cluster failover is disabled',
      verdict: { kind: 'refused', faultType: 'nvram-battery', reason: 'cluster failover is disabled' }, countdown: { state: 'idle', starts: 0 },
    });
    expect(last<HaMonitorView>(haViewPaths.monitor('filerA'))).toMatchObject({
      diagnosis: 'takeover', request: { faultType: 'nvram-battery', pending: true, answer: 'refused', reason: 'cluster failover is disabled' },
    });
  }, 60_000);

  it('lists a warning fault with its class and asks for nothing', async () => {
    const { lab, last } = await haPair();
    await lab.runFor(2 * MICROS_PER_SECOND);
    lab.input(fault('filerB', 'fan'));
    await lab.runFor(2 * MICROS_PER_SECOND);
    expect(last<HaMonitorView>(haViewPaths.monitor('filerB'))).toEqual({
      faults: [{ type: 'fan', class: 'warning', text: 'fan failed' }], diagnosis: 'warning', request: null,
    });
  }, 60_000);
});
