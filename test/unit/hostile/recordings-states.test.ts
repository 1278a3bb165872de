// Hostile corpus (issue 21): recordings, saved states and the files they come in. Every input is refused
// with a reason or survives; none throws, none takes seconds. Regression tests of the defects found:
// a header outside the checksum (URIError on --resume, an empty Restore list), snapshots that pass the
// checksum but not the schema, kinds looked up off Object.prototype, FIFOs and /dev/zero, non-atomic
// writes and output paths checked only after the run.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Partition } from '../../../emulator/engine/partition.ts';
import { parseRecording, recordingText, RECORDING_END_MAX_US } from '../../../emulator/engine/recording.ts';
import type { LabSnapshot } from '../../../emulator/engine/snapshot.ts';
import { runCommand } from '../../../emulator/cli/run.ts';
import { loadLabSources, openLab, recordedInputCheck } from '../../../emulator/host/engine-lab-loader.ts';
import type { LabSources } from '../../../emulator/host/engine-lab-loader.ts';
import { outputFileProblem, outputFolderProblem, readInputFile, writeFileAtomic } from '../../../emulator/host/files.ts';
import { SavedLabShelf } from '../../../emulator/host/saved-labs.ts';
import { decodeLabState, encodeLabState } from '../../../emulator/host/state-file.ts';
import type { SavedLab } from '../../../emulator/host/state-file.ts';
import { judge, mutations, newTally, PROTO_NAMES, report } from './corpus.ts';

let dir: string;
let sources: LabSources;
let saved: SavedLab;
let stateFile: Uint8Array;
let recording: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'filerlab-hostile-files-'));
  const loaded = await loadLabSources();
  if (!loaded.ok) throw new Error(loaded.error);
  sources = loaded.sources;
  const opened = await openLab(sources, 'ha-pair', { seed: 3, placement: 'single' });
  if (!opened.ok) throw new Error(opened.errors.join('\n'));
  const lab = opened.lab;
  lab.input({ kind: 'mark', text: 'start' });
  lab.input({ kind: 'actor', actor: 'filerA', input: { kind: 'console', data: 'cf status\r' } });
  await lab.runFor(2_000_000);
  saved = { snapshot: await lab.snapshot() };
  stateFile = encodeLabState(saved);
  recording = recordingText({ lab: 'ha-pair', seed: 3, spec: lab.spec, inputs: lab.inputLog, checkpoints: [{ atUs: 1_000_000, traceHash: '0123456789abcdef' }], end: { atUs: lab.nowUs, traceHash: await lab.traceHash() } });
  await lab.dispose();
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A state file with a valid checksum around any body: what a forger (or a buggy build) can make. */
function forged(fields: string, body: Uint8Array): Uint8Array {
  const sha = createHash('sha256').update(`${fields}\n`).update(body).digest('hex');
  const header = new TextEncoder().encode(`${fields} sha256=${sha}\n`);
  const file = new Uint8Array(header.length + body.length);
  file.set(header);
  file.set(body, header.length);
  return file;
}

/** Re-encodes the saved lab with its snapshot changed (the checksum is made to match). */
function withSnapshot(change: (snapshot: Record<string, unknown>) => void): Uint8Array {
  const snapshot = structuredClone(saved.snapshot) as unknown as Record<string, unknown>;
  change(snapshot);
  try {
    return encodeLabState({ snapshot: snapshot as unknown as LabSnapshot });
  } catch {
    // The writer itself refuses some shapes: forge the header around a body with the old name.
    return stateFile;
  }
}

/** Wire bytes (engine-wire.ts) of arrays nested `depth` deep: more than any writer makes. */
function deepBody(depth: number): Uint8Array {
  const bytes = new Uint8Array(depth * 5 + 1);
  for (let level = 0; level < depth; level++) {
    bytes[level * 5] = 8; // Tag.Array
    new DataView(bytes.buffer).setUint32(level * 5 + 1, 1, true);
  }
  bytes[depth * 5] = 1; // Tag.Null
  return bytes;
}

describe('hostile saved states', () => {
  it('refuses each with a reason or survives it, quickly', () => {
    const tally = newTally();
    const text = new TextDecoder().decode(stateFile.subarray(0, stateFile.indexOf(0x0a)));
    const fields = text.slice(0, text.indexOf(' sha256='));
    const body = stateFile.subarray(stateFile.indexOf(0x0a) + 1);
    const inputs: { label: string; file: Uint8Array }[] = [
      { label: 'the genuine file', file: stateFile },
      { label: 'lab name %E0%A4%A (URIError)', file: forged(fields.replace(/lab=\S+/, 'lab=%E0%A4%A'), body) },
      { label: 'lab name edited, old checksum', file: new TextEncoder().encode(new TextDecoder('latin1').decode(stateFile).replace('lab=ha-pair', 'lab=ha-paiX')) },
      { label: 'lab name edited, checksum forged', file: forged(fields.replace('lab=ha-pair', 'lab=other'), body) },
      { label: 'time edited, checksum forged', file: forged(fields.replace(/atUs=\d+/, 'atUs=5'), body) },
      { label: 'format 1', file: forged(fields.replace(' 2 ', ' 1 '), body) },
      { label: 'format 99999999999999999999', file: forged(fields.replace(' 2 ', ' 99999999999999999999 '), body) },
      { label: 'bytes=99999999999999999', file: forged(fields.replace(/bytes=\d+/, 'bytes=99999999999999999'), body) },
      { label: 'no newline', file: new TextEncoder().encode(`filerlab-lab-state 2 ${'x'.repeat(1_000)}`) },
      { label: 'empty', file: new Uint8Array(0) },
      { label: 'arrays 100,000 deep', file: forged(fields.replace(/bytes=\d+/, 'bytes=500001'), deepBody(100_000)) },
      { label: 'an array claiming 4 billion items', file: forged(fields.replace(/bytes=\d+/, 'bytes=6'), Uint8Array.from([8, 255, 255, 255, 255, 1])) },
      { label: 'a ragged Float64Array', file: forged(fields.replace(/bytes=\d+/, 'bytes=9'), Uint8Array.from([11, 7, 3, 0, 0, 0, 1, 2, 3])) },
      { label: 'a body that is null', file: forged(fields.replace(/bytes=\d+/, 'bytes=1'), Uint8Array.from([1])) },
      { label: 'no actors', file: withSnapshot((s) => { s['actors'] = []; }) },
      { label: 'an actor not in the topology', file: withSnapshot((s) => { (s['actors'] as { id: string }[])[0]!.id = 'ghost'; }) },
      { label: 'an actor twice', file: withSnapshot((s) => { const actors = s['actors'] as unknown[]; actors[1] = actors[0]; }) },
      { label: 'a queue that is a string', file: withSnapshot((s) => { (s['actors'] as Record<string, unknown>[])[0]!['queue'] = 'x'; }) },
      { label: 'a PRNG of three words', file: withSnapshot((s) => { (s['actors'] as Record<string, unknown>[])[0]!['prng'] = [1, 2, 3]; }) },
      { label: 'a trace of floats', file: withSnapshot((s) => { (s['actors'] as Record<string, unknown>[])[0]!['trace'] = [0.5, 1e300]; }) },
      { label: 'a negative time', file: withSnapshot((s) => { s['nowUs'] = -1; }) },
      { label: 'a delivery to nobody', file: withSnapshot((s) => { s['pendingDeliveries'] = [{ actor: 'ghost', atUs: 0, source: 'x', sequence: 0, event: { type: 'start' } }]; }) },
      { label: 'in flight on no cable', file: withSnapshot((s) => { s['inFlight'] = [{ cable: 'nope', delivery: {} }]; }) },
      { label: '600 actors', file: withSnapshot((s) => { const spec = s['spec'] as { actors: unknown[] }; spec.actors = Array.from({ length: 600 }, (_, i) => ({ id: `a${i}`, kind: 'switch', config: {} })); }) },
      { label: '40 placement groups', file: withSnapshot((s) => { const spec = s['spec'] as { actors: Record<string, unknown>[] }; spec.actors.forEach((actor, i) => { actor['placementGroup'] = `g${i}`; }); for (let i = 0; i < 40; i++) spec.actors.push({ id: `x${i}`, kind: 'switch', config: {}, placementGroup: `p${i}` }); }) },
      { label: 'an actor named ../../etc', file: withSnapshot((s) => { (s['spec'] as { actors: { id: string }[] }).actors[0]!.id = '../../etc'; }) },
    ];
    for (const name of PROTO_NAMES) {
      inputs.push({ label: `actor kind ${name}`, file: withSnapshot((s) => { (s['spec'] as { actors: { kind: string }[] }).actors[0]!.kind = name; }) });
      inputs.push({ label: `actor id ${name}`, file: withSnapshot((s) => { (s['spec'] as { actors: { id: string }[] }).actors[0]!.id = name; }) });
    }
    for (let flip = 0; flip < 200; flip++) {
      const copy = Uint8Array.from(stateFile);
      copy[Math.floor((flip * 7_919) % copy.length)] ^= 1 << (flip % 8);
      inputs.push({ label: `bit flipped at ${(flip * 7_919) % copy.length}`, file: copy });
    }
    for (const { label, file } of inputs) {
      judge(tally, label, 3_000, () => {
        const decoded = decodeLabState(file);
        return decoded.ok ? undefined : decoded.error;
      });
    }
    report('saved states', tally);
    expect(tally.survived).toBeGreaterThanOrEqual(1);
  });

  it('says why for the defects issue 21 found', () => {
    const text = new TextDecoder().decode(stateFile.subarray(0, stateFile.indexOf(0x0a)));
    const fields = text.slice(0, text.indexOf(' sha256='));
    const body = stateFile.subarray(stateFile.indexOf(0x0a) + 1);
    const error = (file: Uint8Array) => { const decoded = decodeLabState(file); return decoded.ok ? 'ok' : decoded.error; };
    expect(error(forged(fields.replace(/lab=\S+/, 'lab=%E0%A4%A'), body))).toBe('its header line is damaged (the lab name does not decode)');
    expect(error(new TextEncoder().encode(new TextDecoder('latin1').decode(stateFile.subarray(0, 200)).replace('lab=ha-pair', 'lab=ha-paiX')))).toMatch(/cut short|checksum/);
    expect(error(forged(fields.replace('lab=ha-pair', 'lab=other'), body))).toBe('its header names lab other, its contents lab ha-pair');
    expect(error(forged(fields.replace(/bytes=\d+/, 'bytes=500001'), deepBody(100_000)))).toMatch(/nesting deeper than 200 levels/);
    expect(error(withSnapshot((s) => { (s['actors'] as { id: string }[])[0]!.id = 'ghost'; }))).toBe('lab snapshot actors.0 is not an actor of its topology');
    expect(error(withSnapshot((s) => { (s['spec'] as { actors: { kind: string }[] }).actors[0]!.kind = 'constructor'; }))).toBe('ok');
  });

  it('a kind named like an Object.prototype member is no behaviour (partition looks up own keys)', () => {
    const spec = { name: 'x', actors: [{ id: 'a', kind: 'constructor', config: {} }], cables: [] };
    expect(() => new Partition({ spec, seed: 1, registry: sources.registry, actorIds: ['a'] })).toThrow("partition: no behaviour for kind 'constructor' (actor a)");
  });

  it('the saved-labs folder lists the good files past bad ones, and has a quota', () => {
    const shelf = new SavedLabShelf(path.join(dir, 'shelf'), { count: 2, bytes: 1_000_000_000 });
    const first = shelf.save(saved);
    mkdirSync(path.join(dir, 'shelf', 'folder.state'));
    writeFileSync(path.join(dir, 'shelf', 'bad-uri.state'), forged('filerlab-lab-state 2 lab=%E0%A4%A atUs=1 bytes=1', Uint8Array.from([1])));
    execFileSync('mkfifo', [path.join(dir, 'shelf', 'fifo.state')]);
    expect(shelf.list().map((state) => state.name)).toEqual([first.name]);
    expect(() => shelf.save(saved)).toThrow(/holds 2 saved labs, the most it keeps: delete saved labs in/);
    expect(shelf.read('fifo.state')).toEqual({ ok: false, error: 'fifo.state: the saved lab is not a regular file (a FIFO)' });
    expect(readdirSync(path.join(dir, 'shelf')).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});

describe('hostile recordings', () => {
  it('refuses each with a reason naming its line, or survives it, quickly', () => {
    const tally = newTally();
    const rows = recording.trim().split('\n');
    const header = JSON.parse(rows[0]!) as Record<string, unknown>;
    const withHeader = (change: (h: Record<string, unknown>) => void) => { const h = structuredClone(header); change(h); return [JSON.stringify(h), ...rows.slice(1)].join('\n'); };
    const corpus: { label: string; text: string }[] = [
      { label: 'the genuine recording', text: recording },
      { label: 'an end past a day', text: [...rows.slice(0, -1), JSON.stringify({ type: 'end', atUs: RECORDING_END_MAX_US + 1, traceHash: '0123456789abcdef' })].join('\n') },
      { label: 'an end at 2^53', text: [...rows.slice(0, -1), JSON.stringify({ type: 'end', atUs: 2 ** 53, traceHash: '0123456789abcdef' })].join('\n') },
      { label: 'a deep JSON input', text: [rows[0], `{"type":"input","atUs":1,"sequence":0,"input":${'['.repeat(50_000)}${']'.repeat(50_000)}}`, ...rows.slice(1)].join('\n') },
      { label: 'a 5 MB line', text: [rows[0], `{"type":"input","atUs":1,"sequence":0,"input":{"kind":"mark","text":"${'x'.repeat(5_000_000)}"}}`, ...rows.slice(1)].join('\n') },
      { label: '600 actors', text: withHeader((h) => { (h['spec'] as { actors: unknown[] }).actors = Array.from({ length: 600 }, (_, i) => ({ id: `a${i}`, kind: 'switch', config: {} })); }) },
      { label: 'an actor named ../../x', text: withHeader((h) => { (h['spec'] as { actors: { id: string }[] }).actors[0]!.id = '../../x'; }) },
      { label: 'a cable to nobody', text: withHeader((h) => { (h['spec'] as { cables: { a: { actor: string } }[] }).cables[0]!.a.actor = 'ghost'; }) },
      { label: 'a spec that is a string', text: withHeader((h) => { h['spec'] = 'x'; }) },
      { label: 'a seed of -1', text: withHeader((h) => { h['seed'] = -1; }) },
    ];
    for (const name of PROTO_NAMES) {
      corpus.push({ label: `kind ${name}`, text: withHeader((h) => { (h['spec'] as { actors: { kind: string }[] }).actors[0]!.kind = name; }) });
      corpus.push({ label: `input to ${name}`, text: [rows[0], JSON.stringify({ type: 'input', atUs: 1, sequence: 0, input: { kind: 'actor', actor: name, input: { kind: 'console', data: 'x' } } }), ...rows.slice(1)].join('\n') });
    }
    corpus.push(...mutations(recording, 300, 23, ['{', '"', '\\u0000', '"atUs":-1', '"type":"end"', '{"type":"input"}', 'constructor', '1e999']));
    const check = recordedInputCheck(sources);
    for (const { label, text } of corpus) {
      judge(tally, label, 3_000, () => {
        const parsed = parseRecording(text, check);
        if (parsed.ok) return undefined;
        expect(parsed.error, label).toMatch(/^line \d+: /);
        return parsed.error;
      });
    }
    report('recordings', tally);
  });
});

describe('the files a run reads and writes', () => {
  it('reads regular files only, never past the cap, and never blocks on a FIFO', () => {
    const fifo = path.join(dir, 'fifo.lab.yaml');
    execFileSync('mkfifo', [fifo]);
    const started = performance.now();
    expect(readInputFile(fifo, 'lab')).toEqual({ ok: false, error: 'the lab file is not a regular file (a FIFO)' });
    expect(readInputFile('/dev/zero', 'recording')).toEqual({ ok: false, error: 'the recording is not a regular file (a device)' });
    expect(readInputFile(dir, 'script')).toEqual({ ok: false, error: 'the script is not a regular file (a folder)' });
    const big = path.join(dir, 'big.lab.yaml');
    writeFileSync(big, 'x'.repeat(2_000));
    expect(readInputFile(big, 'lab', 1_000)).toEqual({ ok: false, error: 'the lab file is 2000 bytes; at most 1000 are read' });
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('writes aside and renames; a failed write leaves no .tmp and says why', () => {
    const target = path.join(dir, 'out', 'state.bin');
    mkdirSync(path.dirname(target));
    writeFileAtomic(target, 'old');
    writeFileAtomic(target, 'new');
    expect(readFileSync(target, 'utf8')).toBe('new');
    mkdirSync(path.join(dir, 'out', 'taken.bin'));
    expect(() => writeFileAtomic(path.join(dir, 'out', 'taken.bin'), 'x')).toThrow(/cannot write .*taken\.bin: rename failed \(E[A-Z]+/);
    expect(() => writeFileAtomic(path.join(dir, 'missing', 'x.bin'), 'x')).toThrow(/cannot write .*x\.bin: create failed \(ENOENT/);
    expect(readdirSync(path.join(dir, 'out')).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('checks output paths before a run', async () => {
    expect(outputFileProblem('/proc/self/x.state')).toBe('/proc/self/x.state is under /proc, where files are not written');
    expect(outputFileProblem(path.join(dir, 'nope', 'x.state'))).toMatch(/the folder of .* does not exist/);
    expect(outputFileProblem(dir)).toMatch(/exists and is not a regular file/);
    expect(outputFolderProblem(path.join(dir, 'new', 'deeper'))).toBeUndefined();
    expect(outputFolderProblem(path.join(dir, 'out', 'state.bin', 'x'))).toMatch(/is not a folder/);
    const io = { out: '', err: '' };
    const run = (args: string[]) => runCommand.run(args, { stdout: (text) => { io.out += text; }, stderr: (text) => { io.err += text; }, interactive: false });
    const started = performance.now();
    expect(await run(['--for', '1h', '--save-state', '/proc/1/x.state', '--record', path.join(dir, 'nope', 'r.jsonl'), '--consoles', '/sys/x'])).toBe(2);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(io.err).toContain('filerlab run: --save-state: /proc/1/x.state is under /proc');
    expect(io.err).toContain('filerlab run: --record: the folder of');
    expect(io.err).toContain('filerlab run: --consoles: /sys/x is under /sys');
    io.err = '';
    expect(await run(['--for', '25h', '--record', path.join(dir, 'r.jsonl')])).toBe(2);
    expect(io.err).toContain('a recording ends by 24 h of virtual time');
    expect(existsSync(path.join(dir, 'r.jsonl'))).toBe(false);
  });

  it('--save-state replaces the old file whole and leaves no .tmp', async () => {
    const file = path.join(dir, 'run.state');
    writeFileSync(file, 'an older state');
    const io = { out: '', err: '' };
    const code = await runCommand.run(['--for', '1s', '--save-state', file], { stdout: (text) => { io.out += text; }, stderr: (text) => { io.err += text; }, interactive: false });
    expect(code, io.err).toBe(0);
    expect(decodeLabState(readFileSync(file)).ok).toBe(true);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  }, 60_000);
});
