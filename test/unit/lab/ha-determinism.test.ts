// A takeover and a giveback give the same trace in one thread and on worker threads (DESIGN.md §2).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runLabScript } from './lab-script-runner.ts';

const SCRIPT = fileURLToPath(new URL('../../scripts/ha/takeover-giveback.script', import.meta.url));

describe('HA determinism', () => {
  // A thread per filer (--threads 2), whatever the cores: the partners' messages cross between threads.
  it('cf takeover, boot, cf giveback: the same trace hash in single and workers placement', async () => {
    const single = await runLabScript(SCRIPT, 'single');
    const workers = await runLabScript(SCRIPT, 'workers', 2);
    expect(single.document.expectations.failed).toEqual([]);
    expect(workers.document.expectations.failed).toEqual([]);
    expect(workers.document.traceHash).toBe(single.document.traceHash);
  }, 180_000);
});
