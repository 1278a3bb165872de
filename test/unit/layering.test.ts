import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

// The layering rule is only worth something if an import across it fails the lint: prove it does.
async function lint(file: string, code: string) {
  const eslint = new ESLint();
  const [result] = await eslint.lintText(code, { filePath: file });
  return result.messages.filter((message) => message.ruleId === 'filerlab/layering').map((message) => message.message);
}

describe('layering rule (DESIGN.md §1)', () => {
  it('refuses the renderer importing the engine', async () => {
    const messages = await lint('renderer/src/stores/bad.ts', "import { x } from '../../../emulator/engine/scheduler';\nexport const y = x;\n");
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/renderer may not import engine/);
  });

  it('refuses Node built-ins in the deterministic core', async () => {
    const messages = await lint('emulator/engine/bad.ts', "import { readFileSync } from 'node:fs';\nexport const y = readFileSync;\n");
    expect(messages[0]).toMatch(/may not use Node built-in/);
  });

  it('refuses electron in the core and the renderer', async () => {
    expect(await lint('emulator/hardware/bad.ts', "import { app } from 'electron';\nexport const y = app;\n")).toHaveLength(1);
    expect(await lint('renderer/src/bad.ts', "import { ipcRenderer } from 'electron';\nexport const y = ipcRenderer;\n")).toHaveLength(1);
  });

  it('refuses the engine importing the hardware above it', async () => {
    const messages = await lint('emulator/engine/bad.ts', "import { x } from '../hardware/disk';\nexport const y = x;\n");
    expect(messages[0]).toMatch(/engine may not import hardware/);
  });

  it('allows the renderer the shared protocol and the host Node', async () => {
    expect(await lint('renderer/src/ok.ts', "import { x } from '../../emulator/protocol/channels';\nexport const y = x;\n")).toEqual([]);
    expect(await lint('emulator/host/ok.ts', "import { readFileSync } from 'node:fs';\nimport { x } from '../engine/lab';\nexport const y = [x, readFileSync];\n")).toEqual([]);
  });
});
