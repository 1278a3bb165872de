import { it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { labConsole } from './lab-console.ts';
it('dump', async () => {
  const c = await labConsole('ha-pair', 'filerA', 5);
  let out = '';
  for (const cmd of (process.env.CMDS ?? '').split(';')) out += await c.type(cmd + '\r', 0.2);
  writeFileSync('/tmp/fid/out.txt', out);
  await c.lab.dispose();
}, 120000);
