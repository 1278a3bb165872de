// Shelf ids name a shelf on its loop (disk 0a.17 is bay 1 of shelf 1 on the loop behind 0a): shelves
// cabled into one stack need ids of their own, another stack may reuse them (the scale bench's 8 filers).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtinLabPath, resolveLabText } from '../../../emulator/lab/catalog.ts';
import { scaleLabYaml } from '../../../emulator/host/bench/scale.ts';

describe('shelf ids', () => {
  it('refuses two shelves of one stack with the same id, naming the line', () => {
    const text = readFileSync(builtinLabPath('ha-pair'), 'utf8').replace('shelf2: { shelfId: 2', 'shelf2: { shelfId: 1');
    const result = resolveLabText('x.lab.yaml', text);
    if (result.ok) throw new Error('expected an error');
    const line = text.split('\n').findIndex((row) => row.includes('shelf2: { shelfId: 1')) + 1;
    expect(result.errors).toContain(`x.lab.yaml:${line}: shelves.shelf2.shelfId: shelf id 1 is already used by shelf1, on the same loop`);
  });

  it('lets shelves of separate stacks reuse ids: 4 HA pairs, each with shelves 1 and 2', () => {
    const text = scaleLabYaml(8);
    const result = resolveLabText('scale-8.lab.yaml', text);
    expect(result.ok ? [] : result.errors).toEqual([]);
    expect(text.match(/shelfId: 1,/g)).toHaveLength(4);
  });
});
