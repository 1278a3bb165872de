import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateCommand } from '../../../emulator/cli/validate.ts';
import type { FilerConfig } from '../../../emulator/hardware/filer/chassis.ts';
import { builtinLabPath, listBuiltinLabs, resolveLab, resolveLabText } from '../../../emulator/lab/catalog.ts';
import { labJsonSchema } from '../../../emulator/lab/schema.ts';

const read = (path: string) => readFileSync(path, 'utf8');
const haPairText = () => read(builtinLabPath('ha-pair'));

async function runValidate(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await validateCommand.run(args, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } });
  return { code, stdout, stderr };
}

/** The 1-based line of the first line containing `needle`. */
function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((line) => line.includes(needle)) + 1;
}

describe('built-in labs', () => {
  it('lists ha-pair and cluster-4, and filerlab validate passes on both', async () => {
    expect(listBuiltinLabs()).toEqual(['ha-pair', 'cluster-4']);
    const result = await runValidate(['ha-pair', 'cluster-4']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('ha-pair: ok (2 filers, 2 shelves, 2 switches, 2 vservers, 4 clients, 16 cables)');
    expect(result.stdout).toContain('cluster-4: ok (4 filers, 5 shelves');
  });

  it('cables ha-pair so each filer reaches both shelves on loop A and on loop B', () => {
    const resolved = resolveLab('ha-pair', read);
    if (!resolved.ok) throw new Error(resolved.errors.join('\n'));
    for (const id of ['filerA', 'filerB']) {
      const config = resolved.spec.actors.find((a) => a.id === id)?.config as FilerConfig;
      expect(config.fcPorts.map((p) => [p.port, p.loop, p.shelves.map((s) => s.actor).sort()])).toEqual([
        ['0a', 'A', ['shelf1', 'shelf2']],
        ['0b', 'B', ['shelf1', 'shelf2']],
      ]);
      expect(config.vservers[0].name).toBe(id);
      expect(config.vservers[0].addresses.map((a) => a.port)).toEqual(['e0a', 'e0b']);
    }
    const kinds = Object.fromEntries(resolved.spec.cables.map((c) => [c.id, c.kind]));
    expect(kinds['filerA:ic0-filerB:ic0']).toBe('interconnect');
    expect(kinds['filerA:0a-shelf1:A']).toBe('fc');
    expect(kinds['c1:e0-sw1:p3']).toBe('ethernet');
    expect(resolved.spec.actors.filter((a) => a.kind === 'client').map((a) => a.id)).toEqual(['c1', 'c2', 'c3', 'c4']);
  });
});

describe('broken lab files', () => {
  it('refuses a schema error with its line number and path', async () => {
    const text = haPairText().replace('systemId: "0101165002"', 'systemId: "42"');
    const result = resolveLabText('broken.lab.yaml', text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([`broken.lab.yaml:${lineOf(text, 'systemId: "42"')}: filers.filerB.systemId: ten digits`]);
  });

  it('refuses cross-check errors with their lines: unknown port, port used twice, disk used twice, address outside its subnet', () => {
    const text = haPairText()
      .replace('- [shelf1:A.out, shelf2:A]', '- [shelf1:A.out, shelf2:C]')
      .replace('- [c4:e0, sw2:p4]', '- [c4:e0, sw2:p3]')
      .replace('spares: [shelf1.12, shelf1.13]', 'spares: [shelf1.11, shelf1.13]')
      .replace('{ address: 10.1.2.11/24, port: e0b }', '{ address: 10.1.9.11/24, port: e0b }');
    const result = resolveLabText('x.lab.yaml', text);
    if (result.ok) throw new Error('expected errors');
    expect(result.errors).toContain(`x.lab.yaml:${lineOf(text, 'shelf2:C')}: cables.1.1: shelf2 has no port 'C' (its ports: A, A.out, B, B.out)`);
    expect(result.errors).toContain(`x.lab.yaml:${lineOf(text, '[c4:e0, sw2:p3]')}: cables.15.1: port sw2:p3 already has a cable (cables.14)`);
    expect(result.errors.some((e) => e.startsWith(`x.lab.yaml:${lineOf(text, 'spares: [shelf1.11')}: filers.filerA.spares.0: disk shelf1.11 is already used`))).toBe(true);
    expect(result.errors).toContain(`x.lab.yaml:${lineOf(text, '10.1.9.11/24')}: vservers.filerB.addresses.1.address: 10.1.9.11/24 is not in subnet net2 (10.1.2.0/24) of filerB:e0b`);
  });

  it('refuses YAML syntax errors with their line (where the unclosed [ is noticed), and filerlab validate exits 2', async () => {
    const path = fileURLToPath(new URL('./fixtures/syntax-error.lab.yaml', import.meta.url));
    const result = await runValidate([path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:5: `));
    expect(result.stdout).toBe('');
  });

  it('names an unreadable file', () => {
    const result = resolveLab('/nonexistent/lab.yaml', read);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toMatch(/^\/nonexistent\/lab\.yaml: cannot read the lab file/);
  });
});

describe('client workloads in lab files', () => {
  const c1Line = '  c1: { protocol: nfs, vserver: filerA, volume: vol1, address: 10.1.1.101/24 }';

  it('passes a workload and a stopped start through to the client actor', () => {
    const text = haPairText().replace(c1Line, [
      '  c1:',
      '    protocol: nfs',
      '    vserver: filerA',
      '    volume: vol1',
      '    address: 10.1.1.101/24',
      '    running: false',
      '    workload: { opsPerSecond: 50, mix: { write: 9, read: 1 }, fileSizeBytes: { min: 4096, max: 65536 }, maxFiles: 4 }',
    ].join('\n'));
    const resolved = resolveLabText('workload.lab.yaml', text);
    if (!resolved.ok) throw new Error(resolved.errors.join('\n'));
    const config = resolved.spec.actors.find((actor) => actor.id === 'c1')?.config as Record<string, unknown>;
    expect(config.running).toBe(false);
    expect(config.workload).toEqual({ opsPerSecond: 50, mix: { write: 9, read: 1 }, fileSizeBytes: { min: 4096, max: 65536 }, maxFiles: 4 });
  });

  it('refuses a bad workload with its line', () => {
    const text = haPairText().replace(c1Line, `${c1Line.slice(0, -2)}, workload: { opsPerSecond: -3 } }`);
    const result = resolveLabText('bad-workload.lab.yaml', text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toMatch(new RegExp(`^bad-workload.lab.yaml:${lineOf(text, 'opsPerSecond: -3')}: clients.c1.workload.opsPerSecond: `));
  });
});

describe('JSON Schema for editors', () => {
  it('is generated from the zod schema and committed in sync (filerlab validate --schema regenerates it)', () => {
    const committed = JSON.parse(read(fileURLToPath(new URL('../../../emulator/lab/filerlab-lab.schema.json', import.meta.url))));
    expect(committed).toEqual(labJsonSchema());
    expect(Object.keys((labJsonSchema() as { properties: object }).properties)).toContain('cables');
  });
});
