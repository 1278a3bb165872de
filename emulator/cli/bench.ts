// `filerlab bench [name…]`: runs the named benchmarks (all when none is named) and prints their figures.
import { BENCHES } from '../host/bench/index.ts';
import type { CliCommand, CliIo } from './command.ts';

export const benchCommand: CliCommand = {
  summary: 'Run benchmarks and print their figures (engine, xor, …)',
  usage: `filerlab bench [${Object.keys(BENCHES).join('|')}]…`,
  async run(args: string[], io: CliIo): Promise<number> {
    const unknown = args.filter((name) => !(name in BENCHES));
    if (unknown.length > 0) {
      io.stderr(`filerlab bench: unknown bench ${unknown.map((name) => `'${name}'`).join(', ')}; known: ${Object.keys(BENCHES).join(', ')}\n`);
      return 2;
    }
    for (const name of args.length > 0 ? args : Object.keys(BENCHES)) {
      io.stdout(`${await BENCHES[name].run()}\n`);
    }
    return 0;
  },
};
