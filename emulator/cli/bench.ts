// `filerlab bench [name…]`: runs the named benchmarks (all when none is named) and prints their figures.
import { BENCHES } from '../host/bench/index.ts';
import type { CliCommand, CliIo } from './command.ts';

export const benchCommand: CliCommand = {
  summary: 'Run benchmarks and print their figures (engine, xor, …)',
  usage: `filerlab bench [${Object.keys(BENCHES).join('|')}]… [--json]`,
  async run(argv: string[], io: CliIo): Promise<number> {
    const json = argv.includes('--json');
    const args = argv.filter((arg) => arg !== '--json');
    const unknown = args.filter((name) => !Object.hasOwn(BENCHES, name));
    if (unknown.length > 0) {
      io.stderr(`filerlab bench: unknown bench ${unknown.map((name) => `'${name}'`).join(', ')}; known: ${Object.keys(BENCHES).join(', ')}\n`);
      return 2;
    }
    const names = args.length > 0 ? args : Object.keys(BENCHES);
    if (json) {
      const figures: Record<string, unknown> = {};
      for (const name of names) {
        const bench = BENCHES[name];
        figures[name] = bench.json ? await bench.json() : { text: await bench.run() };
      }
      io.stdout(`${JSON.stringify(figures, null, 2)}\n`);
      return 0;
    }
    for (const name of names) io.stdout(`${await BENCHES[name].run()}\n`);
    return 0;
  },
};
