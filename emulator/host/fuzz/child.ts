// A fuzz worker process (`filerlab fuzz --jobs N`): receives seed requests over the IPC channel, runs
// each (twice with a determinism check) and answers with the result. One lab at a time per process;
// processes share nothing, so results do not depend on how seeds are spread over them.
import { runSeedChecked } from './campaign-seed.ts';
import type { SeedRequest } from './campaign-seed.ts';

process.on('message', (message: unknown) => {
  const request = message as SeedRequest | { readonly kind: 'exit' };
  if ('kind' in request) { process.disconnect(); return; }
  void runSeedChecked(request).then(
    (outcome) => process.send?.({ ok: true, outcome }),
    (error: unknown) => process.send?.({ ok: false, seed: request.seed, error: error instanceof Error ? error.stack ?? error.message : String(error) }),
  );
});
process.send?.({ ready: true });
