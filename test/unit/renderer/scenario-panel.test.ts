// The scenario panel's pure parts: a scenario's Markdown read as plain data (HTML in it stays text),
// how a goal is shown from the host's grade, the timer, and which Ctrl-Z is Undo.
import { describe, expect, it } from 'vitest';
import { goalNote, goalState, timerText } from '../../../renderer/src/composables/goal-state.ts';
import type { GoalOutcomeView } from '../../../renderer/src/composables/goal-state.ts';
import { parseInline, parseMarkdown } from '../../../renderer/src/composables/markdown.ts';
import { isUndoKey } from '../../../renderer/src/composables/undo-key.ts';
import { loadScenario, listScenarioNames } from '../../../emulator/host/scenario-files.ts';

describe('scenario Markdown', () => {
  it('reads paragraphs, lists, code and inline spans', () => {
    const blocks = parseMarkdown([
      'filerA must be taken over, **without** losing a write (`cf takeover`):', '',
      '1. On **filerB**, take over filerA', '   (`cf takeover`).', '2. Boot filerA.', '',
      '    disk replace start 0a.19 <spare>', '', '- a *bullet*',
    ].join('\n'));
    expect(blocks.map((block) => block.kind)).toEqual(['p', 'ol', 'code', 'ul']);
    expect(blocks[0]).toEqual({ kind: 'p', inlines: [
      { kind: 'text', text: 'filerA must be taken over, ' }, { kind: 'strong', text: 'without' },
      { kind: 'text', text: ' losing a write (' }, { kind: 'code', text: 'cf takeover' }, { kind: 'text', text: '):' },
    ] });
    expect(blocks[1]).toMatchObject({ kind: 'ol', items: [[{ text: 'On ' }, { kind: 'strong', text: 'filerB' }, { text: ', take over filerA (' }, { kind: 'code' }, { text: ').' }], [{ text: 'Boot filerA.' }]] });
    expect(blocks[2]).toEqual({ kind: 'code', text: 'disk replace start 0a.19 <spare>' });
    expect(blocks[3]).toEqual({ kind: 'ul', items: [[{ kind: 'text', text: 'a ' }, { kind: 'em', text: 'bullet' }]] });
  });

  it('keeps HTML as the characters it is', () => {
    expect(parseInline('<img src=x onerror=alert(1)> and <script>alert(1)</script>')).toEqual([{ kind: 'text', text: '<img src=x onerror=alert(1)> and <script>alert(1)</script>' }]);
  });

  it('reads every shipped scenario into blocks, losing no word', () => {
    for (const name of listScenarioNames()) {
      const loaded = loadScenario(name);
      if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
      const blocks = parseMarkdown(loaded.scenario.instructions);
      const words = JSON.stringify(blocks);
      for (const word of loaded.scenario.instructions.replace(/[`*]/g, ' ').split(/\s+/).filter((w) => /^[A-Za-z]{4,}$/.test(w))) expect(words).toContain(word);
    }
  });
});

function goal(fields: Partial<GoalOutcomeView>): GoalOutcomeView {
  return { id: 'g', text: 'a goal', when: 'eventually', ordered: false, met: false, atMs: null, late: false, points: 0, brokenAtMs: null, missed: null, ...fields };
}

describe('goals as the panel shows them', () => {
  it('green when met, amber when late, red when an always goal breaks, pending until the end', () => {
    expect(goalState(goal({ met: true, atMs: 12_000, points: 40 }), false)).toBe('met');
    expect(goalNote(goal({ met: true, atMs: 12_000 }), false)).toBe('met at 12 s');
    expect(goalState(goal({ met: true, late: true, atMs: 95_000 }), false)).toBe('late');
    expect(goalState(goal({}), false)).toBe('pending');
    expect(goalState(goal({}), true)).toBe('unmet');
    expect(goalState(goal({ when: 'always', met: true }), false)).toBe('holding');
    expect(goalState(goal({ when: 'always', met: true }), true)).toBe('met');
    expect(goalNote(goal({ when: 'always', met: true }), true)).toBe('held to the end');
    expect(goalState(goal({ when: 'always', brokenAtMs: 7_000 }), false)).toBe('broken');
    expect(goalNote(goal({ when: 'always', brokenAtMs: 7_000 }), true)).toBe('broken at 7 s');
  });

  it('the timer reads virtual minutes and seconds against the limit', () => {
    expect(timerText(65_400_000, 180_000_000)).toBe('1:05 / 3:00');
    expect(timerText(200_000_000, 180_000_000)).toBe('3:00 / 3:00');
  });
});

describe('Ctrl-Z', () => {
  const key = (fields: Partial<KeyboardEvent>) => ({ key: 'z', ctrlKey: true, metaKey: false, altKey: false, shiftKey: false, ...fields });
  it('is Undo on the diagram, not in a console or a field, and not without Ctrl', () => {
    expect(isUndoKey(key({}), { tagName: 'DIV', closest: () => null })).toBe(true);
    expect(isUndoKey(key({ ctrlKey: false, metaKey: true }), null)).toBe(true);
    expect(isUndoKey(key({ ctrlKey: false }), null)).toBe(false);
    expect(isUndoKey(key({ shiftKey: true }), null)).toBe(false);
    expect(isUndoKey(key({}), { tagName: 'TEXTAREA' })).toBe(false);
    expect(isUndoKey(key({}), { tagName: 'DIV', closest: (selector: string) => (selector.includes('.xterm') ? {} : null) })).toBe(false);
  });
});
