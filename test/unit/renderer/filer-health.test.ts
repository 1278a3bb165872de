// A filer's front panel says what the filer knows (filer-health.ts), and a client card what the client
// experiences (client-experience.ts): issue 19's "what misleads today".
import { describe, expect, it } from 'vitest';
import { clientExperience } from '../../../renderer/src/composables/client-experience.ts';
import { filerHealth, healthLine } from '../../../renderer/src/composables/filer-health.ts';

const monitor = (faults: Array<[string, string, string]>) => ({ faults: faults.map(([type, cls, text]) => ({ type, class: cls, text })), diagnosis: 'warning', request: null });

describe('the filer’s front panel', () => {
  it('says no faults, LED off, on a healthy filer', () => {
    const health = filerHealth({ 'f.faults': [], 'f.led.fault': false, 'f.raid.aggr0.rg0.status': 'normal' }, 'f');
    expect(health).toEqual({ items: [], led: false });
    expect(healthLine(health)).toBe('no faults');
  });

  it('lights the LED and says a RAID group is degraded or reconstructing (with progress) though the chassis has no fault', () => {
    const health = filerHealth({ 'f.faults': [], 'f.led.fault': false, 'f.raid.aggr0.rg0.status': 'reconstructing', 'f.raid.aggr0.rg0.reconstructPercent': 34.4, 'f.raid.aggr1.rg0.status': 'degraded' }, 'f');
    expect(health.led).toBe(true);
    expect(health.items).toEqual([{ text: 'aggr0/rg0 reconstructing 34%', severity: 'warning' }, { text: 'aggr1/rg0 degraded', severity: 'warning' }]);
    expect(healthLine(health)).toBe('aggr0/rg0 reconstructing 34% +1 more');
    expect(filerHealth({ 'f.raid.aggr0.rg0.status': 'failed' }, 'f').items).toEqual([{ text: 'aggr0/rg0 failed', severity: 'bad' }]);
  });

  it('names the monitor’s faults with their class, and chassis faults the monitor does not see (OS down); not panic or hang', () => {
    const up = filerHealth({ 'f.faults': ['nvram-battery', 'fan'], 'f.led.fault': true, 'f.ha.monitor': monitor([['nvram-battery', 'takeover', 'NVRAM battery low'], ['fan', 'warning', 'fan failed']]) }, 'f');
    expect(up.items).toEqual([{ text: 'NVRAM battery low (needs takeover)', severity: 'bad' }, { text: 'fan failed (warning only)', severity: 'warning' }]);
    const down = filerHealth({ 'f.faults': ['overtemp', 'panic'], 'f.led.fault': true, 'f.ha.monitor': monitor([]) }, 'f');
    expect(down).toEqual({ items: [{ text: 'overtemp', severity: 'warning' }], led: true });
  });
});

describe('a client card', () => {
  const stats = (outageMs: number) => ({ atUs: 1, intervalUs: 250_000, opsOk: 0, opsFailed: 0, latencyMsAvg: null, outageMs, totalOk: 10, totalFailed: 0, totalLatencyMs: 5 });

  it('says mounted or ready while ops succeed, retrying after a second without an answer, not responding after five', () => {
    expect(clientExperience({ 'c.state': 'mounted', 'c.stats': stats(3) }, 'c')).toEqual({ label: 'mounted', tone: 'ok' });
    expect(clientExperience({ 'c.state': 'mounted', 'c.stats': stats(1_200) }, 'c')).toEqual({ label: 'retrying', tone: 'busy' });
    expect(clientExperience({ 'c.state': 'mounted', 'c.stats': stats(12_345) }, 'c')).toEqual({ label: 'not responding · 12 s', tone: 'bad' });
    expect(clientExperience({ 'c.state': 'ready', 'c.stats': stats(0) }, 'c')).toEqual({ label: 'ready', tone: 'ok' });
  });

  it('says reconnecting while a CIFS session is set up again during an outage, stopped when stopped', () => {
    expect(clientExperience({ 'c.state': 'session-setup', 'c.stats': stats(800) }, 'c')).toEqual({ label: 'reconnecting', tone: 'busy' });
    expect(clientExperience({ 'c.state': 'connecting', 'c.stats': stats(0) }, 'c')).toEqual({ label: 'connecting', tone: 'busy' });
    expect(clientExperience({ 'c.state': 'stopped', 'c.stats': stats(9_000) }, 'c')).toEqual({ label: 'stopped', tone: 'off' });
    expect(clientExperience({}, 'c').label).toBe('…');
  });
});
