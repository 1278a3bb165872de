// Seeds in parallel: N child processes (the built child, or node with tsx from source, as bin/filerlab.mjs runs), each taking the
// next seed when it is done with one. With one job the seeds run in this process. The order in which
// seeds finish varies; the results are put back in seed order by the caller.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { runSeedChecked } from './campaign-seed.ts';
import type { SeedOutcome, SeedRequest } from './campaign-seed.ts';

const CHILD = new URL('./child.ts', import.meta.url);
// Built (scripts/build-node.mjs), CHILD names the child's JavaScript bundle; from source it needs tsx.
const CHILD_EXEC_ARGV = CHILD.pathname.endsWith('.ts') ? ['--import', 'tsx'] : [];

type ChildAnswer =
  | { readonly ready: true }
  | { readonly ok: true; readonly outcome: SeedOutcome }
  | { readonly ok: false; readonly seed: number; readonly error: string };

export async function runSeeds(requests: readonly SeedRequest[], jobs: number, onDone: (outcome: SeedOutcome) => void): Promise<void> {
  if (jobs <= 1 || requests.length <= 1) {
    for (const request of requests) onDone(await runSeedChecked(request));
    return;
  }
  const queue = [...requests];
  const workers = Array.from({ length: Math.min(jobs, requests.length) }, () => drain(queue, onDone));
  await Promise.all(workers);
}

/** One child process taking seeds off the shared queue until it is empty. */
async function drain(queue: SeedRequest[], onDone: (outcome: SeedOutcome) => void): Promise<void> {
  const child = fork(CHILD, [], { execArgv: CHILD_EXEC_ARGV, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const answers = answerStream(child);
  try {
    const ready = await answers.next();
    if (!('ready' in ready)) throw new Error('the fuzz worker did not start');
    for (let request = queue.shift(); request !== undefined; request = queue.shift()) {
      child.send(request);
      const answer = await answers.next();
      if ('ready' in answer) throw new Error('the fuzz worker started twice');
      if (!answer.ok) throw new Error(`seed ${answer.seed}: ${answer.error}`);
      onDone(answer.outcome);
    }
  } finally {
    if (child.connected) child.send({ kind: 'exit' });
    child.kill();
  }
}

/** The child's answers in order; a child that dies answers with an error. */
function answerStream(child: ChildProcess): { next(): Promise<ChildAnswer> } {
  const pending: ChildAnswer[] = [];
  let waiting: ((answer: ChildAnswer) => void) | null = null;
  const deliver = (answer: ChildAnswer): void => {
    if (waiting) { const resolve = waiting; waiting = null; resolve(answer); } else pending.push(answer);
  };
  child.on('message', (message) => deliver(message as ChildAnswer));
  child.on('exit', (code) => deliver({ ok: false, seed: -1, error: `the fuzz worker exited (code ${code})` }));
  return {
    next: () => new Promise((resolve) => {
      const answer = pending.shift();
      if (answer) resolve(answer); else waiting = resolve;
    }),
  };
}
