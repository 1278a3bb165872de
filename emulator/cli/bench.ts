// `filerlab bench [name…]`: runs the named benchmarks (all when none is named) and prints their figures;
// `--readme` also writes the dated table of the README's performance section (`npm run bench`).
import path from 'node:path';
import { BENCHES } from '../host/bench/index.ts';
import type { BenchOutcome } from '../host/bench/index.ts';
import { performanceTable, TABLE_BENCHES, thisMachine, writeTable } from '../host/bench/readme-table.ts';
import type { TableFigures } from '../host/bench/readme-table.ts';
import { REPO_ROOT } from '../host/server/renderer-build.ts';
import type { CliCommand, CliIo } from './command.ts';

export const benchCommand: CliCommand = {
  summary: 'Run benchmarks and print their figures (engine, xor, …); --readme writes the README\'s table',
  usage: `filerlab bench [${Object.keys(BENCHES).join('|')}]… [--json] [--readme]`,
  async run(argv: string[], io: CliIo): Promise<number> {
    const json = argv.includes('--json');
    const readme = argv.includes('--readme');
    const args = argv.filter((arg) => arg !== '--json' && arg !== '--readme');
    const unknown = args.filter((name) => !Object.hasOwn(BENCHES, name));
    if (unknown.length > 0) {
      io.stderr(`filerlab bench: unknown bench ${unknown.map((name) => `'${name}'`).join(', ')}; known: ${Object.keys(BENCHES).join(', ')}\n`);
      return 2;
    }
    const names = args.length > 0 ? args : Object.keys(BENCHES);
    // The table needs its benches' figures: named or not, they run.
    if (readme) for (const name of TABLE_BENCHES) if (!names.includes(name)) names.push(name);
    const outcomes: Record<string, BenchOutcome> = {};
    for (const name of names) {
      outcomes[name] = await BENCHES[name].run();
      if (!json) io.stdout(`${outcomes[name].text}\n`);
    }
    if (json) io.stdout(`${JSON.stringify(Object.fromEntries(names.map((name) => [name, outcomes[name].figures])), null, 2)}\n`);
    if (readme) return writeReadme(outcomes, io);
    return 0;
  },
};

function writeReadme(outcomes: Record<string, BenchOutcome>, io: CliIo): number {
  const figures = { lab: outcomes.lab.figures, footprint: outcomes.footprint.figures } as TableFigures;
  const file = path.join(REPO_ROOT, 'README.md');
  const written = writeTable(file, performanceTable(figures, thisMachine(new Date())));
  if (!written.ok) {
    io.stderr(`filerlab bench: ${written.error}\n`);
    return 1;
  }
  io.stderr(`filerlab bench: the table in ${file} is up to date\n`);
  return 0;
}
