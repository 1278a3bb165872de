// The EMS glossary (issue 19): every event type the emulator logs has a meaning, its own or its family's.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMS_GLOSSARY, emsGloss, emsGlossText } from '../../../renderer/src/glossary/ems.ts';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sources(full) : name.endsWith('.ts') ? [full] : [];
  });
}

describe('EMS glossary', () => {
  it('says what an event means and what usually follows', () => {
    expect(emsGlossText('raid.rg.degraded')).toMatch(/^A RAID group runs without one disk.* Usually next: Reconstruction starts/);
    expect(emsGloss('raid.rg.scrub.mismatch')?.meaning).toMatch(/RAID/);
    expect(emsGlossText('nothing.known')).toBe('');
  });

  it('covers every EMS type the emulator logs with a literal name', () => {
    const root = path.resolve(import.meta.dirname, '../../../emulator');
    const logged = new Set<string>();
    for (const file of sources(root)) {
      for (const match of readFileSync(file, 'utf8').matchAll(/logEms\([^']*'([a-z][\w.]*\.[\w.]+)'/g)) logged.add(match[1]);
    }
    expect(logged.size).toBeGreaterThan(20);
    expect([...logged].filter((type) => !emsGloss(type))).toEqual([]);
    for (const entry of Object.values(EMS_GLOSSARY)) expect(entry.meaning).toMatch(/\.$/);
  });
});
