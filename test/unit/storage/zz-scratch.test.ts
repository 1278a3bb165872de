import { it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { labConsole } from '../console/lab-console.ts';
it('scratch', async () => {
  const bench = await labConsole(process.env.LAB ?? 'ha-pair', 'filerA', 5);
  let text = '';
  for (const c of (process.env.CMDS ?? '').split(';')) text += await bench.type(`${c}\r`, Number(process.env.WAIT ?? 0.5));
  if (process.env.CMDS2) {
    text += await bench.type('', Number(process.env.TAIL ?? 60));
    for (const c of process.env.CMDS2.split(';')) text += await bench.type(`${c}\r`, Number(process.env.WAIT ?? 0.5));
  }
  writeFileSync('/tmp/scratch/out.txt', text);
  await bench.lab.dispose();
}, 300_000);
