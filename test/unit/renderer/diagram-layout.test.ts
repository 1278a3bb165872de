import { describe, expect, it } from 'vitest';
import { layoutLab } from '../../../renderer/src/composables/diagram-layout.ts';
import type { TopologyView } from '../../../emulator/protocol/channels.ts';

const end = (actor: string, port: string) => ({ actor, port });
const topology: TopologyView = {
  actors: ['filerA', 'filerB'].map((id) => ({ id, kind: 'filer', config: {} }))
    .concat(['shelf1', 'shelf2'].map((id) => ({ id, kind: 'shelf', config: {} })))
    .concat([{ id: 'sw1', kind: 'switch', config: {} }, { id: 'c1', kind: 'client', config: {} }]),
  cables: [
    { id: 'a1', kind: 'fc', a: end('filerA', '0a'), b: end('shelf1', 'A') },
    { id: 'a2', kind: 'fc', a: end('shelf1', 'A.out'), b: end('shelf2', 'A') },
    { id: 'b1', kind: 'fc', a: end('filerB', '0b'), b: end('shelf2', 'B') },
    { id: 'ic', kind: 'interconnect', a: end('filerA', 'ic0'), b: end('filerB', 'ic0') },
    { id: 'e1', kind: 'ethernet', a: end('filerA', 'e0a'), b: end('sw1', 'p1') },
    { id: 'e2', kind: 'ethernet', a: end('c1', 'e0'), b: end('sw1', 'p3') },
  ],
};

describe('wiring diagram layout', () => {
  const layout = layoutLab(topology);
  const node = (id: string) => layout.nodes.find((candidate) => candidate.id === id)!;
  const cable = (id: string) => layout.cables.find((candidate) => candidate.id === id)!;

  it('stacks clients over switches over filers over shelves, without overlaps in a row', () => {
    expect(node('c1').y).toBeLessThan(node('sw1').y);
    expect(node('sw1').y).toBeLessThan(node('filerA').y);
    expect(node('filerA').y).toBeLessThan(node('shelf1').y);
    expect(node('filerA').x + node('filerA').width).toBeLessThanOrEqual(node('filerB').x);
  });

  it('colours FC cables by the shelf module they reach', () => {
    expect(cable('a1').loop).toBe('A');
    expect(cable('a2').loop).toBe('A');
    expect(cable('b1').loop).toBe('B');
    expect(cable('ic').loop).toBeUndefined();
  });

  it('anchors each end on the side facing the far end', () => {
    expect(cable('a1').a.y).toBe(node('filerA').y + node('filerA').height);
    expect(cable('a1').b.y).toBe(node('shelf1').y);
    expect(cable('e1').a.y).toBe(node('filerA').y);
    expect(cable('ic').a.x).toBe(node('filerA').x + node('filerA').width);
    expect(cable('ic').b.x).toBe(node('filerB').x);
  });
});
