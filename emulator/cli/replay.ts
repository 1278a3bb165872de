// `filerlab replay FILE`: re-executes a recording (from `filerlab run --record` or the window's Record
// button) on a fresh lab of its topology and seed, and checks the trace hash at every checkpoint and
// at the end. Exit 0 when all match, 1 at the first that differs, 2 for a file that is not a recording.
import { parseRecording } from '../engine/recording.ts';
import type { ParsedRecording } from '../engine/recording.ts';
import { replayRecording } from '../engine/replay.ts';
import { ConsoleTranscripts } from '../host/console-transcripts.ts';
import { outputFolderProblem, readInputText } from '../host/files.ts';
import { loadLabSources, openLabSpec, recordedInputCheck } from '../host/engine-lab-loader.ts';
import type { LabSources, PlacementName } from '../host/engine-lab-loader.ts';
import type { CliCommand, CliIo } from './command.ts';
import { progressLine } from './progress.ts';

const USAGE = 'filerlab replay FILE [--placement single|workers] [--consoles DIR] [--json]';

interface ReplayArgs {
  file: string;
  placement: PlacementName;
  consoles: string | undefined;
  json: boolean;
}

/** What `--json` prints. */
interface ReplayDocument {
  recording: string;
  lab: string;
  seed: number;
  placement: string;
  inputs: number;
  virtualMs: number;
  wallMs: number;
  events: number;
  traceHash: string;
  /** True when every checkpoint and the end matched. */
  matches: boolean;
  checks: { atMs: number; expected: string; actual: string; matches: boolean }[];
  divergedAtMs: number | null;
  /** The recording has no end line (its run stopped, e.g. the app crashed): replayed as far as it goes. */
  cutShort: boolean;
  /** The markers in it (script `mark` lines, the instructor's markers), by virtual time. */
  markers: { atMs: number; text: string }[];
}

function parseArgs(args: string[]): ReplayArgs | string {
  let file: string | undefined;
  const parsed: Omit<ReplayArgs, 'file'> = { placement: 'single', consoles: undefined, json: false };
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    switch (arg) {
      case '--json': parsed.json = true; break;
      case '--placement': {
        const text = args[++index];
        if (text !== 'single' && text !== 'workers') return `--placement is single or workers, not '${text ?? ''}'`;
        parsed.placement = text;
        break;
      }
      case '--consoles': {
        const text = args[++index];
        if (!text) return '--consoles needs a directory';
        parsed.consoles = text;
        break;
      }
      default:
        if (arg.startsWith('-') || file !== undefined) return `unexpected argument '${arg}'`;
        file = arg;
    }
  }
  return file === undefined ? 'which recording? (a .filerlab.jsonl file)' : { ...parsed, file };
}

/** A recording file read and checked (shared with `filerlab export`). */
export function readRecording(path: string, sources: LabSources): { ok: true; recording: ParsedRecording } | { ok: false; error: string } {
  const read = readInputText(path, 'recording');
  return read.ok ? parseRecording(read.text, recordedInputCheck(sources), { cutShort: 'accept' }) : read;
}

export const replayCommand: CliCommand = {
  summary: 'Replay a recording and check that it gives the same trace, checkpoint by checkpoint',
  usage: USAGE,
  async run(argv: string[], io: CliIo): Promise<number> {
    const args = parseArgs(argv);
    if (typeof args === 'string') { io.stderr(`filerlab replay: ${args}\nusage: ${USAGE}\n`); return 2; }
    const folder = args.consoles === undefined ? undefined : outputFolderProblem(args.consoles);
    if (folder) { io.stderr(`filerlab replay: --consoles: ${folder}\n`); return 2; }
    const loaded = await loadLabSources();
    if (!loaded.ok) { io.stderr(`filerlab replay: ${loaded.error}\n`); return 2; }
    const read = readRecording(args.file, loaded.sources);
    if (!read.ok) { io.stderr(`filerlab replay: ${args.file}: ${read.error}\n`); return 2; }
    const { recording } = read;
    const opened = await openLabSpec(loaded.sources, `${args.file} (its topology)`, recording.spec, { seed: recording.seed, placement: args.placement });
    if (!opened.ok) { io.stderr(opened.errors.map((error) => `filerlab replay: ${error}\n`).join('')); return 2; }
    const lab = opened.lab;
    const transcripts = new ConsoleTranscripts(lab);
    const progress = progressLine(io, 'replay', recording.end.atUs);
    let matched = 0;
    const wallStart = performance.now();
    let outcome: Awaited<ReturnType<typeof replayRecording>>;
    try {
      outcome = await replayRecording(lab, recording, (check) => {
        if (check.matches) matched++;
        progress?.show(check.atUs, `${matched} hash${matched === 1 ? '' : 'es'} match`);
      });
    } catch (error) {
      progress?.clear();
      io.stderr(`filerlab replay: ${args.file}: the recording does not replay on this lab: ${(error as Error).message}\n`);
      await lab.dispose();
      return 2;
    }
    progress?.clear();
    const document: ReplayDocument = {
      recording: args.file, lab: recording.lab, seed: recording.seed, placement: lab.placement,
      inputs: recording.inputs.length, virtualMs: lab.nowUs / 1000, wallMs: Math.round(performance.now() - wallStart),
      events: lab.eventsHandled, traceHash: recording.cutShort ? await lab.traceHash() : outcome.checks.at(-1)?.actual ?? '',
      matches: outcome.diverged === undefined,
      checks: outcome.checks.map((check) => ({ atMs: check.atUs / 1000, expected: check.expected, actual: check.actual, matches: check.matches })),
      divergedAtMs: outcome.diverged ? outcome.diverged.atUs / 1000 : null,
      cutShort: recording.cutShort,
      markers: recording.inputs.flatMap((stamped) => (stamped.input.kind === 'mark' ? [{ atMs: stamped.atUs / 1000, text: stamped.input.text }] : [])),
    };
    await lab.dispose();
    let writeFailure: string | undefined;
    try {
      if (args.consoles) transcripts.write(args.consoles);
    } catch (error) {
      writeFailure = (error as Error).message;
    }
    io.stdout(args.json ? `${JSON.stringify(document)}\n` : describe(document, recording.checkpoints.length + (recording.cutShort ? 0 : 1)));
    if (writeFailure) { io.stderr(`filerlab replay: ${writeFailure}\n`); return 2; }
    return document.matches ? 0 : 1;
  },
};

function describe(document: ReplayDocument, total: number): string {
  const lines = [`replay ${document.recording}: lab ${document.lab}, seed ${document.seed}, ${document.inputs} inputs, placement ${document.placement}`];
  document.checks.forEach((check, index) => {
    const name = index === total - 1 && !document.cutShort ? 'end' : 'checkpoint';
    const verdict = check.matches ? `${check.actual}  ok` : `expected ${check.expected}, replayed ${check.actual}  DIFFERS`;
    lines.push(`  ${name.padEnd(10)} ${formatSeconds(check.atMs).padStart(10)}  ${verdict}`);
  });
  for (const marker of document.markers) lines.push(`  marker     ${formatSeconds(marker.atMs).padStart(10)}  ${marker.text}`);
  const matched = document.checks.filter((check) => check.matches).length;
  if (document.cutShort) lines.push(`cut short: the recording has no end line (its run stopped at ${formatSeconds(document.virtualMs)}); replayed as far as it goes, its last hash at its last checkpoint`);
  if (document.divergedAtMs === null) {
    lines.push(`replayed exactly: ${matched} of ${total} trace hashes match; ${formatSeconds(document.virtualMs)} virtual, ${document.events} events in ${(document.wallMs / 1000).toFixed(1)} s wall`);
  } else {
    lines.push(`DIVERGED at ${formatSeconds(document.divergedAtMs)} virtual: the replay's trace differs from the recording's there (${matched} of ${total} checked hashes matched before it).`);
    lines.push('A recording replays exactly on the FilerLab build that made it; another build, or an edited file, gives another trace.');
  }
  return `${lines.join('\n')}\n`;
}

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(3)} s`;
}
