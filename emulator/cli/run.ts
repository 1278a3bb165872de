// `filerlab run`: runs a lab (built-in or file) with a seed, an optional script, for a virtual
// duration, and prints the run summary. Exit 0 clean, 1 violations or failed expectations, 2 bad input.
import { MICROS_PER_SECOND } from '../engine/actor.ts';
import type { LabSpec } from '../engine/lab-spec.ts';
import type { Lab } from '../engine/lab.ts';
import type { RecordingCheckpoint } from '../engine/recording.ts';
import { parseRecording, RECORDING_CHECKPOINT_EVERY_US, RECORDING_END_MAX_US } from '../engine/recording.ts';
import { RECORDING_FLUSH_EVERY_US, RecordingStream } from '../host/recording-stream.ts';
import { sidecarPathOf } from '../host/keyframe-sidecar.ts';
import { LiveKeyframes } from '../host/live-keyframes.ts';
import { ConsoleTranscripts } from '../host/console-transcripts.ts';
import { outputFileProblem, outputFolderProblem, readInputFile, readInputText, writeFileAtomic } from '../host/files.ts';
import { loadLabSources, openLabSpec, recordedInputCheck, seedOf } from '../host/engine-lab-loader.ts';
import { BarrierSpin } from '../host/placement-workers.ts';
import type { LabSources, PlacementName } from '../host/engine-lab-loader.ts';
import { LabViewState } from '../host/engine-view.ts';
import { decodeLabState, encodeLabState } from '../host/state-file.ts';
import type { SavedLab } from '../host/state-file.ts';
import { runScripted } from '../host/engine-run.ts';
import type { RunDocument } from '../host/engine-run.ts';
import { parseDuration, parseScript, parseSpeed, resolveScript } from '../lab/script.ts';
import type { ResolvedStep } from '../lab/script.ts';
import type { CliCommand, CliIo } from './command.ts';
import { progressLine } from './progress.ts';

const USAGE = 'filerlab run [LAB | --resume STATE] [--seed N] [--for DURATION] [--script FILE] [--speed x|max] [--placement single|workers] [--threads N] [--record FILE] [--save-state FILE] [--consoles DIR] [--json]';
const DEFAULT_FOR_US = 30 * MICROS_PER_SECOND;
/** More threads than a lab has filers run no faster; this only bounds what is typed. */
const MAX_THREADS = 64;

interface RunArgs {
  lab: string;
  /** --seed; without it the lab file's `seed:`, else 1. */
  seed: number | undefined;
  forUs: number | undefined;
  script: string | undefined;
  speed: number | 'max';
  placement: PlacementName;
  /** --threads: at most this many worker threads in workers placement (default: by the cores). */
  threads: number | undefined;
  record: string | undefined;
  consoles: string | undefined;
  /** Continue the lab saved in this file (its topology, seed and time) instead of starting LAB. */
  resume: string | undefined;
  /** Save the lab at the end of the run to this file. */
  saveState: string | undefined;
  json: boolean;
}

function parseArgs(args: string[]): RunArgs | string {
  const parsed: RunArgs = { lab: 'ha-pair', seed: undefined, forUs: undefined, script: undefined, speed: 'max', placement: 'single', threads: undefined, record: undefined, consoles: undefined, resume: undefined, saveState: undefined, json: false };
  let labGiven = false;
  let seedGiven = false;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    const value = (): string | undefined => args[++index];
    switch (arg) {
      case '--json': parsed.json = true; break;
      case '--seed': {
        const text = value();
        if (!text || !/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) return `--seed takes a whole number, not '${text ?? ''}'`;
        parsed.seed = Number(text);
        seedGiven = true;
        break;
      }
      case '--for': {
        const text = value() ?? '';
        parsed.forUs = parseDuration(text);
        if (parsed.forUs === undefined) return `--for takes a duration like 500ms, 30s, 2m, not '${text}'`;
        break;
      }
      case '--speed': {
        const text = value() ?? '';
        const speed = parseSpeed(text);
        if (speed === undefined) return `--speed takes x from 0.1 to 100 or max, not '${text}'`;
        parsed.speed = speed;
        break;
      }
      case '--placement': {
        const text = value();
        if (text !== 'single' && text !== 'workers') return `--placement is single or workers, not '${text ?? ''}'`;
        parsed.placement = text;
        break;
      }
      case '--threads': {
        const text = value();
        if (!text || !/^\d+$/.test(text) || Number(text) < 1 || Number(text) > MAX_THREADS) return `--threads takes a whole number from 1 to ${MAX_THREADS}, not '${text ?? ''}'`;
        parsed.threads = Number(text);
        break;
      }
      case '--script': case '--record': case '--consoles': case '--resume': case '--save-state': {
        const text = value();
        if (!text) return `${arg} needs a path`;
        const field = ({ '--script': 'script', '--record': 'record', '--consoles': 'consoles', '--resume': 'resume', '--save-state': 'saveState' } as const)[arg];
        parsed[field] = text;
        break;
      }
      default:
        if (arg.startsWith('-') || labGiven) return `unexpected argument '${arg}'`;
        parsed.lab = arg;
        labGiven = true;
    }
  }
  if (parsed.threads !== undefined && parsed.placement !== 'workers') return '--threads is for --placement workers';
  if (parsed.resume !== undefined && (labGiven || seedGiven)) return '--resume continues the saved lab with its own topology and seed: give no LAB or --seed';
  return parsed;
}

function loadScript(path: string | undefined): { ok: true; lines: ReturnType<typeof parseScript> } | { ok: false; error: string } {
  if (!path) return { ok: true, lines: { ok: true, lines: [] } };
  const read = readInputText(path, 'script');
  return read.ok ? { ok: true, lines: parseScript(read.text) } : { ok: false, error: `${path}: ${read.error}` };
}

/** Why an output of the run (--record, --save-state, --consoles) cannot be written, found before it starts. */
function outputProblems(args: RunArgs): string[] {
  const problems: string[] = [];
  for (const [option, file] of [['--record', args.record], ['--save-state', args.saveState]] as const) {
    const problem = file === undefined ? undefined : outputFileProblem(file);
    if (problem) problems.push(`${option}: ${problem}`);
  }
  const folder = args.consoles === undefined ? undefined : outputFolderProblem(args.consoles);
  if (folder) problems.push(`--consoles: ${folder}`);
  if (args.record !== undefined && args.record === args.saveState) problems.push('--record and --save-state name the same file');
  return problems;
}

type StartingPoint =
  | { ok: true; source: string; spec: LabSpec; seed: number; saved?: SavedLab }
  | { ok: false; errors: string[] };

/** A fresh lab by name or file, or the saved lab of --resume. */
function startingPoint(args: RunArgs, sources: LabSources): StartingPoint {
  if (args.resume === undefined) {
    const resolved = sources.resolve(args.lab);
    return resolved.ok ? { ok: true, source: args.lab, spec: resolved.spec, seed: seedOf(args.seed, resolved) } : resolved;
  }
  const file = readInputFile(args.resume, 'state');
  if (!file.ok) return { ok: false, errors: [`filerlab run: ${args.resume}: ${file.error}`] };
  const decoded = decodeLabState(file.bytes);
  if (!decoded.ok) return { ok: false, errors: [`filerlab run: ${args.resume}: ${decoded.error}`] };
  const { snapshot } = decoded.saved;
  return { ok: true, source: snapshot.spec.name, spec: snapshot.spec, seed: snapshot.seed, saved: decoded.saved };
}

export const runCommand: CliCommand = {
  summary: 'Run a lab with a seed (and a script) and print the run summary',
  usage: USAGE,
  async run(argv: string[], io: CliIo): Promise<number> {
    const args = parseArgs(argv);
    if (typeof args === 'string') { io.stderr(`filerlab run: ${args}\nusage: ${USAGE}\n`); return 2; }
    const outputs = outputProblems(args);
    if (outputs.length > 0) { io.stderr(outputs.map((problem) => `filerlab run: ${problem}\n`).join('')); return 2; }
    const script = loadScript(args.script);
    if (!script.ok) { io.stderr(`filerlab run: ${script.error}\n`); return 2; }
    if (!script.lines.ok) { io.stderr(script.lines.errors.map((error) => `${args.script}: ${error}\n`).join('')); return 2; }
    const loaded = await loadLabSources();
    if (!loaded.ok) { io.stderr(`filerlab run: ${loaded.error}\n`); return 2; }
    const start = startingPoint(args, loaded.sources);
    if (!start.ok) { io.stderr(start.errors.map((error) => `${error}\n`).join('')); return 2; }
    const fromUs = start.saved?.snapshot.nowUs ?? 0;
    const resolved = resolveScript(script.lines.lines, start.spec);
    if (!resolved.ok) { io.stderr(resolved.errors.map((error) => `${args.script}: ${error}\n`).join('')); return 2; }
    const steps: ResolvedStep[] = resolved.steps;
    const early = steps.find((step) => step.line.atUs < fromUs);
    if (early) { io.stderr(`${args.script}: line ${early.line.line}: at ${early.line.atUs / 1e6} s is before the saved lab's time, ${fromUs / 1e6} s (script times count from the lab's start)\n`); return 2; }
    // --for is how long this run lasts; script times count from the lab's start.
    const untilUs = fromUs + (args.forUs ?? Math.max(DEFAULT_FOR_US, ...steps.map((step) => step.line.atUs - fromUs)));
    if (args.record && untilUs > RECORDING_END_MAX_US) { io.stderr(`filerlab run: --record: a recording ends by ${RECORDING_END_MAX_US / 3_600_000_000} h of virtual time; this run would end at ${(untilUs / 3_600_000_000).toFixed(2)} h\n`); return 2; }

    const spin = new BarrierSpin();
    const opened = await openLabSpec(loaded.sources, start.source, start.spec, { seed: start.seed, placement: args.placement, maxThreads: args.threads, snapshot: start.saved?.snapshot, spin });
    if (!opened.ok) { io.stderr(opened.errors.map((error) => `${error}\n`).join('')); return 2; }
    const lab = opened.lab;
    const transcripts = new ConsoleTranscripts(lab);
    // A saved lab keeps the window's view of it too, so that it opens drawn in the app; so do the
    // keyframes written beside a recording.
    const view = args.saveState || args.record ? LabViewState.follow(lab, start.saved?.view) : undefined;
    const progress = progressLine(io, 'run', untilUs);
    let document: RunDocument;
    const writeFailures: string[] = [];
    // The recording is written as the run goes: a crash loses at most its last virtual second.
    const recorder = args.record ? recordingStream(args.record, lab, view!, start.source, writeFailures) : undefined;
    try {
      document = await runScripted(lab, {
        steps, untilUs, speed: args.speed, spin, checkpointEveryUs: recorder ? RECORDING_CHECKPOINT_EVERY_US : undefined,
        onCheckpoint: (atUs, traceHash) => recorder?.checkpoint({ atUs, traceHash }),
        sampleEveryUs: RECORDING_FLUSH_EVERY_US, onSample: recorder ? () => recorder.sample() : undefined,
        onProgress: progress ? (atUs) => progress.show(atUs) : undefined,
      });
      progress?.clear();
      if (recorder) {
        await recorder.finish({ atUs: document.virtualMs * 1000, traceHash: document.traceHash });
        // Read back as replay reads it: a file it would refuse is reported here, near its cause.
        const written = readInputText(args.record!, 'recording');
        const refused = written.ok ? parseRecording(written.text, recordedInputCheck(loaded.sources)) : written;
        if (!refused.ok) writeFailures.push(`--record: the recording would not replay (${refused.error})`);
      }
      if (args.saveState) {
        const bytes = encodeLabState({ snapshot: await lab.snapshot(), view: view?.save(), source: start.saved?.source });
        writeFailures.push(...attempt(() => writeFileAtomic(args.saveState!, bytes)));
      }
    } finally {
      await recorder?.abandon();
      await lab.dispose();
    }
    if (args.consoles) writeFailures.push(...attempt(() => transcripts.write(args.consoles!)));
    io.stdout(args.json ? `${JSON.stringify(document)}\n` : describe(document));
    if (writeFailures.length > 0) { io.stderr(writeFailures.map((failure) => `filerlab run: ${failure}\n`).join('')); return 2; }
    return document.violations.length > 0 || document.expectations.failed.length > 0 ? 1 : 0;
  },
};

/** The run's recording as it goes: each sample flushes it and offers a keyframe to its sidecar. */
interface RunRecorder {
  checkpoint(checkpoint: RecordingCheckpoint): void;
  sample(): Promise<void>;
  finish(end: RecordingCheckpoint): Promise<void>;
  abandon(): Promise<void>;
}

/**
 * The run's recording, written as it goes, with its keyframes beside it (`<file>.keys`, for a player
 * to seek in at once); a failure to write either is a sentence in `failures`, and the run goes on
 * without it (its summary is still printed).
 */
function recordingStream(file: string, lab: Lab, view: LabViewState, source: string, failures: string[]): RunRecorder | undefined {
  let stream: RecordingStream | undefined;
  let keyframes: LiveKeyframes | undefined;
  const guard = (act: (open: RecordingStream) => void): void => {
    if (!stream) return;
    try { act(stream); } catch (error) {
      failures.push(`--record: ${(error as Error).message}`);
      try { stream.abandon(); } catch { /* already failing */ }
      stream = undefined;
    }
  };
  const closeKeyframes = async (): Promise<void> => {
    const closing = keyframes;
    keyframes = undefined;
    if (!closing) return;
    try { await closing.close(); } catch (error) { failures.push(`--record: keyframes: ${(error as Error).message}`); }
    if (closing.problem) failures.push(`--record: ${closing.problem}`);
  };
  try { stream = new RecordingStream(file, lab, source); } catch (error) { failures.push(`--record: ${(error as Error).message}`); return undefined; }
  try { keyframes = new LiveKeyframes(sidecarPathOf(file), stream.headerLine, lab, view); } catch (error) { failures.push(`--record: keyframes: ${(error as Error).message}`); }
  return {
    checkpoint: (checkpoint) => guard((open) => open.checkpoint(checkpoint)),
    sample: async () => {
      guard((open) => open.flush());
      // Nobody takes this view's deltas: drop them, or they would pile up.
      view.takeDelta(lab.nowUs, { mode: 'paused', speed: 1 });
      try { await keyframes?.offer(); } catch (error) { failures.push(`--record: keyframes: ${(error as Error).message}`); await closeKeyframes(); }
    },
    finish: async (end) => { guard((open) => { open.finish(end); stream = undefined; }); await closeKeyframes(); },
    abandon: async () => { guard((open) => { open.abandon(); stream = undefined; }); await closeKeyframes(); },
  };
}

/** Runs a write; its failure as a sentence (the run's summary is still printed). */
function attempt(write: () => void): string[] {
  try {
    write();
    return [];
  } catch (error) {
    return [(error as Error).message];
  }
}

function describe(document: RunDocument): string {
  const lines = [
    `lab ${document.lab}, seed ${document.seed}, placement ${document.placement}`,
    `${document.virtualMs} ms virtual in ${document.wallMs} ms wall, ${document.events} events, trace ${document.traceHash}`,
  ];
  for (const [name, filer] of Object.entries(document.filers)) lines.push(`  filer ${name}: ${JSON.stringify(filer)}`);
  for (const [name, vserver] of Object.entries(document.vservers)) lines.push(`  vserver ${name}: ${JSON.stringify(vserver)}`);
  for (const [name, client] of Object.entries(document.clients)) lines.push(`  client ${name}: ${JSON.stringify(client)}`);
  for (const violation of document.violations) lines.push(`  VIOLATION ${JSON.stringify(violation)}`);
  const { passed, failed } = document.expectations;
  lines.push(`expectations: ${passed} passed, ${failed.length} failed`);
  for (const failure of failed) lines.push(`  line ${failure.line}: ${failure.text} — found ${JSON.stringify(failure.actual)}`);
  return `${lines.join('\n')}\n`;
}
