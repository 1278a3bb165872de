import { describe, expect, it } from 'vitest';
import { consoleSubsystem } from '../../../emulator/ontap/console/console-subsystem.ts';
import { ConsoleBench, filerConfig } from './harness.ts';

const plain = ConsoleBench.plain;

function warmBench(): ConsoleBench {
  const bench = new ConsoleBench();
  bench.advance(1000);
  return bench;
}

describe('console boot', () => {
  it('a warm lab is at the prompt at time 0, running', () => {
    const bench = warmBench();
    expect(bench.output.endsWith('filerA> ')).toBe(true);
    expect(bench.state.chassis.boot).toBe('running');
  });

  it('a cold lab stops at LOADER-A>, boot_ontap boots to the prompt and raises os-boot', () => {
    const phases: string[] = [];
    const spy = { name: 'spy', create: () => ({}), handle: () => false, lifecycle: (s: object, _f: unknown, phase: string) => { phases.push(phase); return s; } };
    const bench = new ConsoleBench(filerConfig({ start: 'cold' }), [consoleSubsystem, spy]);
    bench.advance(3_000_000);
    expect(bench.output.endsWith('LOADER-A> ')).toBe(true);
    expect(bench.state.chassis.boot).toBe('loader');
    const out = plain(bench.run('boot_ontap', 10_000_000));
    expect(out).toContain('NetApp Data ONTAP Release 7.3.7');
    expect(out).toContain('[filerA: kern.uptime.filer:info]');
    expect(out.endsWith('filerA> ')).toBe(true);
    expect(phases).toEqual(['power-on', 'os-boot']);
    expect(bench.state.chassis.boot).toBe('running');
  });

  it('the loader answers unknown commands and the B controller says LOADER-B>', () => {
    const bench = new ConsoleBench(filerConfig({ name: 'filerB', partner: 'filerA', start: 'cold' }));
    bench.advance(3_000_000);
    expect(bench.output.endsWith('LOADER-B> ')).toBe(true);
    expect(plain(bench.run('frobnicate'))).toContain('Unknown command: frobnicate');
  });

  it('halt returns to the loader and raises os-halt; reboot comes back to the prompt', () => {
    const bench = warmBench();
    const halted = plain(bench.run('halt', 5_000_000));
    expect(halted).toContain('[filerA: kern.shutdown:notice]: System shut down because : "halt".');
    expect(halted.endsWith('LOADER-A> ')).toBe(true);
    expect(plain(bench.run('boot_ontap', 10_000_000)).endsWith('filerA> ')).toBe(true);
    const rebooted = plain(bench.run('reboot', 15_000_000));
    expect(rebooted).toContain('Starting AUTOBOOT');
    expect(rebooted).toContain('The system was down for');
    expect(rebooted.endsWith('filerA> ')).toBe(true);
  });

  it('halt -t N waits N minutes of lab time before going down; Ctrl-C cancels it', () => {
    const bench = warmBench();
    expect(plain(bench.run('halt -t 2', 1_000_000))).toBe('halt -t 2\nhalt: the system will halt in 2 minutes. (Press Ctrl-C to cancel.)\n');
    bench.advance(117_000_000);
    expect(bench.state.chassis.boot).toBe('running');
    const down = plain(bench.run('', 5_000_000));
    expect(down).toContain('[filerA: kern.shutdown:notice]: System shut down because : "halt".');
    expect(down.endsWith('LOADER-A> ')).toBe(true);
    plain(bench.run('boot_ontap', 10_000_000));
    expect(plain(bench.run('reboot -t 1', 1_000_000))).toContain('reboot: the system will reboot in 1 minute. (Press Ctrl-C to cancel.)');
    const start = bench.output.length;
    bench.type('\x03');
    bench.advance(120_000_000);
    const after = plain(bench.output.slice(start));
    expect(after).toContain('reboot: cancelled.');
    expect(after).not.toContain('kern.shutdown');
    expect(after.endsWith('filerA> ')).toBe(true);
  });

  it('options: ranges are enforced, and a cf option says it applies to both members of the pair', () => {
    const bench = warmBench();
    expect(plain(bench.run('options cf.takeover.detection.seconds 5'))).toBe(
      'options cf.takeover.detection.seconds 5\noptions: cf.takeover.detection.seconds: value 5 is out of range; it must be between 10 and 180.\nfilerA> ');
    expect(plain(bench.run('options cf.takeover.detection.seconds 181'))).toContain('must be between 10 and 180');
    expect(plain(bench.run('options cf.takeover.detection.seconds 30'))).toBe([
      'options cf.takeover.detection.seconds 30',
      'You are changing option cf.takeover.detection.seconds which applies to both members of',
      'the cluster in takeover mode.',
      'This value must be the same in both cluster members prior to any takeover',
      'or giveback, or that next takeover/giveback may not work correctly.',
      'Mon Jun  3 09:00:02 GMT [filerA: mgr.opt.changed:info]: Option cf.takeover.detection.seconds changed to 30.',
      // The bench runs no HA subsystem, so the partner cannot be told (options-pair.script shows the pair).
      'options: the partner filerB cannot be reached over the interconnect: set cf.takeover.detection.seconds there too.',
      'filerA> ',
    ].join('\n'));
    expect(plain(bench.run('options cf.takeover.detection.seconds'))).toContain('cf.takeover.detection.seconds                 30');
    expect(plain(bench.run('options raid.timeout 0'))).toContain('must be between 1 and 1000');
    expect(plain(bench.run('options raid.timeout 2'))).toMatch(/^options raid\.timeout 2\n[^\n]+ GMT \[filerA: mgr\.opt\.changed:info\]: Option raid\.timeout changed to 2\.\nfilerA> $/);
  });

  it('an Ethernet link event is logged in the product\'s words and EMS shape', () => {
    const bench = warmBench();
    const start = bench.output.length;
    bench.links.set('e0b', false);
    bench.deliver({ type: 'link', port: 'e0b', up: false });
    bench.advance(1000);
    bench.links.set('e0b', true);
    bench.deliver({ type: 'link', port: 'e0b', up: true });
    bench.advance(1000);
    const out = plain(bench.output.slice(start));
    expect(out).toMatch(/\n?Mon Jun {2}3 09:00:00 GMT \[filerA: netif\.linkDown:error\]: Ethernet e0b: Link down, check cable\.\n/);
    expect(out).toMatch(/Mon Jun {2}3 09:00:00 GMT \[filerA: netif\.linkUp:info\]: Ethernet e0b: Link up\.\n/);
  });

  it('power off darkens the console; power on shows the firmware again and autoboots', () => {
    const bench = warmBench();
    bench.deliver({ type: 'input', input: { kind: 'power', on: false } });
    const before = bench.output.length;
    bench.type('cf status\r');
    expect(bench.output.length).toBe(before);
    bench.deliver({ type: 'input', input: { kind: 'power', on: true } });
    bench.advance(60_000_000);
    const afterPowerOn = bench.output.slice(before);
    expect(afterPowerOn).toContain('Boot Loader version');
    expect(afterPowerOn).not.toContain('LOADER-A> ');
    expect(bench.output.endsWith('filerA> ')).toBe(true);
  });
});

describe('console commands', () => {
  it('unknown commands get the real answer and a new prompt', () => {
    expect(plain(warmBench().run('frob now'))).toBe("frob now\nfrob not found.  Type '?' for a list of commands\nfilerA> ");
  });

  it('bad arguments print the usage line', () => {
    const bench = warmBench();
    expect(plain(bench.run('cf status -x'))).toContain('usage: cf status [-t]');
    expect(plain(bench.run('ifconfig e0a sideways'))).toContain('usage: ifconfig -a');
    expect(plain(bench.run('halt -q'))).toContain('usage: halt [-t <minutes>] [-f] [-d <dump string>]');
    expect(plain(bench.run('ifconfig e9z'))).toContain('ifconfig: e9z: no such interface');
  });

  it('cf without the HA subsystem says the filer is not in a pair (HA has its own lab scripts)', () => {
    const bench = warmBench();
    expect(plain(bench.run('cf status'))).toContain('Cluster not configured');
    expect(plain(bench.run('cf takeover'))).toContain('cf: this filer is not in an HA pair.');
    expect(plain(bench.run('cf partner'))).toContain('filerB');
  });

  it('? lists commands, <cmd> ? and help <cmd> show usage', () => {
    const bench = warmBench();
    const listing = plain(bench.run('?'));
    for (const word of ['cf', 'sysconfig', 'ifconfig', 'options', 'halt', 'sysstat', 'rdfile']) expect(listing).toMatch(new RegExp(`\\b${word}\\b`));
    expect(plain(bench.run('cf ?'))).toContain('usage: cf {');
    expect(plain(bench.run('help options'))).toContain('options - display or set system options');
  });

  it('priv set advanced warns and stars the prompt', () => {
    const bench = warmBench();
    const out = plain(bench.run('priv set advanced'));
    expect(out).toContain('Warning: These advanced commands are potentially dangerous');
    expect(out.endsWith('filerA*> ')).toBe(true);
    expect(plain(bench.run('priv set admin')).endsWith('filerA> ')).toBe(true);
  });

  it('priv set diag prints its own warning and the starred prompt', () => {
    const bench = warmBench();
    expect(plain(bench.run('priv set diag'))).toBe('priv set diag\nWarning: These diagnostic commands are for use by NetApp\n         personnel only.\nfilerA*> ');
    expect(plain(bench.run('priv'))).toContain('diag\n');
    expect(plain(bench.run('priv set -q advanced'))).toBe('priv set -q advanced\nfilerA*> ');
  });

  it('options are listed, set and validated', () => {
    const bench = warmBench();
    expect(plain(bench.run('options cf.takeover.detection.seconds'))).toMatch(/cf\.takeover\.detection\.seconds\s+15/);
    bench.run('options cifs.persistent_state on');
    expect(plain(bench.run('options cifs.persistent_state'))).toMatch(/cifs\.persistent_state\s+on/);
    expect(plain(bench.run('options cifs.persistent_state maybe'))).toContain('invalid value');
    expect(plain(bench.run('options no.such'))).toContain('No such option');
  });

  it('ifconfig down takes the port down; rdfile /etc/messages shows the EMS log', () => {
    const bench = warmBench();
    bench.run('ifconfig e0b down');
    expect(bench.state.chassis.ports['e0b'].adminDown).toBe(true);
    expect(plain(bench.run('ifconfig e0b'))).toContain('auto-unknown-cfg_down');
    expect(plain(bench.run('rdfile /etc/messages'))).toMatch(/Mon Jun {2}3 09:00:\d\d GMT \[filerA: net\.ifconfig\.down:info\]: Interface e0b/);
    expect(bench.ems.some((event) => event.source === 'net.ifconfig.down')).toBe(true);
  });

  it('every command prints its real shape', () => {
    const bench = warmBench();
    expect(plain(bench.run('sysconfig'))).toContain('        System ID: 0118054321 (filerA); partner ID: unknown (filerB)\n');
    expect(plain(bench.run('fcadmin config'))).toMatch(/0a\s+initiator\s+CONFIGURED\s+online/);
    expect(plain(bench.run('fcadmin device_map'))).toContain('Loop Map for channel 0b:');
    expect(plain(bench.run('ifconfig -a'))).toContain('inet 10.1.1.10 netmask 0xffffff00 broadcast 10.1.1.255');
    expect(plain(bench.run('environment status'))).toContain('Chassis temperature: 27C');
    // cifs sessions and nfsstat belong to the file service once it registers them (placeholders here).
    for (const line of ['cifs sessions', 'nfsstat']) {
      const out = plain(bench.run(line));
      expect(out).not.toContain('not found');
      expect(out.endsWith('filerA> ')).toBe(true);
    }
    expect(plain(bench.run('date'))).toMatch(/^date\nMon Jun {2}3 09:00:\d\d GMT 2013\n/);
    expect(plain(bench.run('uptime'))).toMatch(/up .* 0 NFS ops/);
    expect(plain(bench.run('version'))).toContain('NetApp Release 7.3.7: ');
  });

  it('sysstat repeats each interval until Ctrl-C', () => {
    const bench = warmBench();
    const out = plain(bench.run('sysstat 1', 3_500_000));
    expect(out.match(/>60/g)?.length).toBe(4);
    expect(out.endsWith('filerA> ')).toBe(false);
    bench.type('\x03');
    expect(plain(bench.output).endsWith('^C\nfilerA> ')).toBe(true);
    const after = bench.output.length;
    bench.advance(5_000_000);
    expect(bench.output.length).toBe(after);
  });

  it('Tab completes a unique word and lists several', () => {
    const bench = warmBench();
    bench.type('sysc\t');
    expect(bench.console.editor.line).toBe('sysconfig ');
    bench.type('\x15cf \t');
    expect(plain(bench.output)).toContain('disable');
    bench.type('\x15cf st\t');
    expect(bench.console.editor.line).toBe('cf status ');
  });
});
