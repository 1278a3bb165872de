// The `filerlab` command: one file per subcommand; this table only dispatches.
import type { CliCommand, CliIo } from './command.ts';

export type { CliCommand, CliIo } from './command.ts';

type CommandLoader = () => Promise<CliCommand>;

// Loaded lazily so that `filerlab console` does not pay for the engine, nor `run` for the UI server.
const COMMANDS: Record<string, CommandLoader> = {
  start: async () => (await import('./start.ts')).startCommand,
  serve: async () => (await import('./serve.ts')).serveCommand,
  run: async () => (await import('./run.ts')).runCommand,
  replay: async () => (await import('./replay.ts')).replayCommand,
  validate: async () => (await import('./validate.ts')).validateCommand,
  console: async () => (await import('./console.ts')).consoleCommand,
  bench: async () => (await import('./bench.ts')).benchCommand,
  fuzz: async () => (await import('./fuzz.ts')).fuzzCommand,
  scenario: async () => (await import('./scenario.ts')).scenarioCommand,
  export: async () => (await import('./export.ts')).exportCommand,
};

export async function main(argv: string[], io: CliIo): Promise<number> {
  // `npm start -- --port 8123` and `filerlab --lab cluster-4`: options with no command are start's.
  const [name = 'start', ...rest] = argv[0]?.startsWith('-') && !['--help', '-h'].includes(argv[0]) ? ['start', ...argv] : argv;
  if (name === 'help' || name === '--help' || name === '-h') {
    io.stdout(await helpText());
    return 0;
  }
  // Own keys only: `filerlab constructor` is an unknown command, not Object.
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    io.stderr(`filerlab: unknown command '${name}'\n\n${await helpText()}`);
    return 2;
  }
  let command: CliCommand;
  try {
    command = await load();
  } catch (error) {
    io.stderr(`filerlab ${name}: not available in this build (${(error as Error).message})\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`usage: ${command.usage}\n\n${command.summary}\n`);
    return 0;
  }
  return command.run(rest, io);
}

async function helpText(): Promise<string> {
  const lines = ['usage: filerlab [command] [options]', '', 'commands:'];
  for (const [name, load] of Object.entries(COMMANDS)) {
    try {
      const command = await load();
      lines.push(`  ${name.padEnd(10)} ${command.summary}`);
    } catch {
      lines.push(`  ${name.padEnd(10)} (not built yet)`);
    }
  }
  lines.push(
    '', 'With no command, filerlab opens the desktop app (or the browser shell where Electron is missing).',
    "`filerlab COMMAND --help` gives a command's options.",
    '',
    'Teaching: `filerlab scenario list` names the graded scenarios (scenarios/*.scenario.yaml); `filerlab scenario run',
    'NAME --script ANSWERS` grades an attempt (the answers script holds the trainee\'s actions in the lab-script language;',
    '`at T mark "hint N"` takes hint N) and keeps its recording. `filerlab export asciicast RECORDING --filer F -o F.cast`',
    'turns a recorded console into an asciicast v2 file (`asciinema play F.cast`); `filerlab export timeline` the EMS events into CSV.',
    '',
  );
  return lines.join('\n');
}
