// `filerlab validate FILE…`: checks lab files (or built-in lab names) against the schema and the
// cross-checks (or, with --schema, prints the JSON Schema editors use); prints `FILE: ok (…)` or every error as `FILE:LINE: path: message`, and exits 2 on errors.
import { readLabTextOrThrow } from '../host/files.ts';
import { resolveLab } from '../lab/catalog.ts';
import { labJsonSchema, type LabFile } from '../lab/schema.ts';
import type { CliCommand } from './command.ts';

function describe(lab: LabFile): string {
  const count = (record: Record<string, unknown>, noun: string) => {
    const n = Object.keys(record).length;
    return `${n} ${noun}${n === 1 ? '' : 's'}`;
  };
  return [
    count(lab.filers, 'filer'), count(lab.shelves, 'shelf').replace('shelfs', 'shelves'), count(lab.switches, 'switch').replace('switchs', 'switches'),
    count(lab.vservers, 'vserver'), count(lab.clients, 'client'), `${lab.cables.length} cables`,
  ].join(', ');
}

export const validateCommand: CliCommand = {
  summary: 'check lab files (*.lab.yaml) or built-in labs against the lab schema',
  usage: 'filerlab validate FILE|LAB [FILE|LAB…]  |  filerlab validate --schema  (prints the JSON Schema)',
  async run(args, io) {
    if (args.includes('--schema')) {
      io.stdout(`${JSON.stringify(labJsonSchema(), null, 2)}\n`);
      return 0;
    }
    const files = args.filter((a) => !a.startsWith('-'));
    if (files.length === 0) {
      io.stderr(`usage: ${this.usage}\n`);
      return 2;
    }
    let failed = false;
    for (const file of files) {
      const result = resolveLab(file, readLabTextOrThrow);
      if (result.ok) io.stdout(`${file}: ok (${describe(result.lab)})\n`);
      else {
        failed = true;
        io.stderr(`${result.errors.join('\n')}\n`);
      }
    }
    return failed ? 2 : 0;
  },
};
