// `filerlab export asciicast|timeline RECORDING`: replays a recording (a run's `--record`, a graded
// attempt's, the window's Record button) and writes what it showed: a filer's console as an asciicast
// v2 file (`asciinema play`/`cat` read it; times are the lab's virtual time), or the EMS timeline as CSV.
import { replayRecording } from '../engine/replay.ts';
import { outputFileProblem, writeFileAtomic } from '../host/files.ts';
import { loadLabSources, openLabSpec } from '../host/engine-lab-loader.ts';
import { LabTapes } from '../host/lab-tapes.ts';
import type { CliCommand, CliIo } from './command.ts';
import { readRecording } from './replay.ts';

const USAGE = 'filerlab export asciicast RECORDING --filer NAME -o FILE.cast  |  filerlab export timeline RECORDING -o FILE.csv';

interface ExportArgs { what: 'asciicast' | 'timeline'; recording: string; filer: string | undefined; output: string }

function parseArgs(args: string[]): ExportArgs | string {
  const [what, ...rest] = args;
  if (what !== 'asciicast' && what !== 'timeline') return what === undefined ? 'asciicast or timeline?' : `unknown export '${what}'; asciicast or timeline`;
  let recording: string | undefined;
  let filer: string | undefined;
  let output: string | undefined;
  for (let index = 0; index < rest.length; index++) {
    const arg = rest[index]!;
    if (arg === '--filer' || arg === '-o' || arg === '--output') {
      const value = rest[++index];
      if (!value) return `${arg} needs ${arg === '--filer' ? 'a filer name' : 'a path'}`;
      if (arg === '--filer') filer = value;
      else output = value;
    } else if (arg.startsWith('-') || recording !== undefined) return `unexpected argument '${arg}'`;
    else recording = arg;
  }
  if (recording === undefined) return 'which recording? (a .filerlab.jsonl file)';
  if (output === undefined) return '-o FILE is needed';
  if (what === 'asciicast' && filer === undefined) return '--filer NAME is needed: one console a cast';
  if (what === 'timeline' && filer !== undefined) return '--filer is for asciicast: the timeline holds every filer';
  return { what, recording, filer, output };
}

export const exportCommand: CliCommand = {
  summary: 'Export from a recording: a console as an asciicast v2 file, or the EMS timeline as CSV',
  usage: USAGE,
  async run(argv: string[], io: CliIo): Promise<number> {
    const fail = (error: string): number => { io.stderr(`filerlab export: ${error}\n`); return 2; };
    const args = parseArgs(argv);
    if (typeof args === 'string') return fail(`${args}\nusage: ${USAGE}`);
    const problem = outputFileProblem(args.output);
    if (problem) return fail(`-o: ${problem}`);
    const loaded = await loadLabSources();
    if (!loaded.ok) return fail(loaded.error);
    const read = readRecording(args.recording, loaded.sources);
    if (!read.ok) return fail(`${args.recording}: ${read.error}`);
    const { recording } = read;
    if (args.filer !== undefined && !recording.spec.actors.some((actor) => actor.id === args.filer && actor.kind === 'filer')) {
      const filers = recording.spec.actors.filter((actor) => actor.kind === 'filer').map((actor) => actor.id);
      return fail(`the recording's lab has no filer '${args.filer}'; its filers: ${filers.join(', ')}`);
    }
    const opened = await openLabSpec(loaded.sources, `${args.recording} (its topology)`, recording.spec, { seed: recording.seed, placement: 'single' });
    if (!opened.ok) return fail(opened.errors.join('; '));
    const tapes = new LabTapes(opened.lab);
    try {
      const outcome = await replayRecording(opened.lab, recording);
      if (outcome.diverged) return fail(`${args.recording}: the replay diverged at ${outcome.diverged.atUs / 1e6} s; what it showed after is not the recorded run`);
    } catch (error) {
      return fail(`${args.recording}: the recording does not replay on this lab: ${(error as Error).message}`);
    } finally {
      await opened.lab.dispose();
    }
    const text = args.what === 'asciicast'
      ? tapes.asciicast(args.filer!, `${args.filer} — ${recording.lab}, seed ${recording.seed}`)
      : tapes.timelineCsv();
    try {
      writeFileAtomic(args.output, text);
    } catch (error) {
      return fail((error as Error).message);
    }
    io.stdout(`${args.output}: ${args.what === 'asciicast' ? `${args.filer}'s console, ${recording.end.atUs / 1e6} s of virtual time` : 'the EMS timeline'}\n`);
    return 0;
  },
};
