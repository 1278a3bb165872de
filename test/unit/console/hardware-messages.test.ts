// The hardware's messages (fan, PSU, panic, core dump) reach /etc/messages like any EMS event and are
// printed on the console as ONTAP prints them; a reset (a panic cleared, or after its core dump) runs
// the firmware again through the console's boot sequence, back to the prompt.
import { describe, expect, it } from 'vitest';
import { PANIC_DUMP_US } from '../../../emulator/hardware/filer/chassis-faults.ts';
import { ConsoleBench, filerConfig } from './harness.ts';

const plain = ConsoleBench.plain;

function warmBench(): ConsoleBench {
  const bench = new ConsoleBench(filerConfig());
  bench.advance(3_000_000);
  return bench;
}

function inject(bench: ConsoleBench, kind: 'fault' | 'clear', fault: string): void {
  bench.deliver({ type: 'input', input: { kind, fault, args: [] } });
}

describe('hardware messages on the console', () => {
  it('a failed fan and PSU show above the prompt and in rdfile /etc/messages', () => {
    const bench = warmBench();
    const start = bench.output.length;
    inject(bench, 'fault', 'fan');
    inject(bench, 'fault', 'psu');
    const printed = plain(bench.output.slice(start));
    expect(printed).toMatch(/GMT \[filerA: monitor\.chassisFan\.failed:error\]: Chassis fan 1 has failed\.\nfilerA> /);
    const messages = plain(bench.run('rdfile /etc/messages'));
    expect(messages).toMatch(/\[filerA: monitor\.chassisFan\.failed:error\]: Chassis fan 1 has failed\./);
    expect(messages).toMatch(/\[filerA: monitor\.chassisPowerSupply\.degraded:warning\]: Power supply 1 has failed/);
    inject(bench, 'clear', 'fan');
    expect(plain(bench.run('rdfile /etc/messages'))).toContain('monitor.chassis.ok:info]: Chassis fan 1 is spinning again.');
    // The timeline got each once: the console records, it does not log them again.
    expect(bench.ems.filter((event) => event.source === 'monitor.chassisFan.failed')).toHaveLength(1);
  });

  it('a panic dumps core, resets through the firmware and autoboots to the prompt; the log keeps it all', () => {
    const bench = warmBench();
    inject(bench, 'fault', 'panic');
    expect(bench.console.mode).toBe('frozen');
    const start = bench.output.length;
    bench.advance(PANIC_DUMP_US + 1_000);
    expect(bench.state.chassis.boot).toBe('firmware');
    expect(bench.console.mode).toBe('booting');
    bench.advance(30_000_000);
    const after = plain(bench.output.slice(start));
    // Frozen, the OS cannot print: the firmware's raw line, then the BIOS banner of the restart.
    expect(after).toMatch(/\[filerA: kern\.core\.dumped:notice\]: Core dump complete; rebooting\.[\s\S]*Phoenix TrustedCore[\s\S]*filerA> $/);
    expect(bench.state.chassis.boot).toBe('running');
    const messages = plain(bench.run('rdfile /etc/messages'));
    expect(messages).toMatch(/\[filerA: kern\.panic:emergency\]: PANIC: Fault injected by the lab operator/);
    expect(messages).toContain('kern.core.dumped:notice]: Core dump complete; rebooting.');
  });

  it('a reset pressed during the dump restarts once', () => {
    const bench = warmBench();
    inject(bench, 'fault', 'panic');
    bench.advance(1_000_000);
    const start = bench.output.length;
    inject(bench, 'clear', 'panic');
    expect(bench.console.mode).toBe('booting');
    bench.advance(PANIC_DUMP_US + 30_000_000);
    expect(plain(bench.output.slice(start)).match(/Phoenix TrustedCore/g)).toHaveLength(1);
    expect(bench.console.mode).toBe('prompt');
  });
});
