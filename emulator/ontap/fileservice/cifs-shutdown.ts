// What the CIFS server does when the OS goes down with seed 003's persistent state on. An elective
// shutdown (claims 6–7, Fig. 2: `halt`, `reboot`, `cf takeover`, a negotiated takeover) has already
// ignored new requests and drained the active ones (the halt's final CP); here it saves every session,
// tree connect, open file, lock and connection with the elective flag, and the sessions are kept, not
// dropped. A crash (panic, power loss) saves nothing: NVRAM holds what the last save point wrote.
import type { ActorContext } from '../../engine/actor.ts';
import type { FilerLifecycle, FilerState } from '../../hardware/filer/subsystem.ts';
import { logEms } from '../ems.ts';
import { electiveFlag, persistentStateOn, saveCifsState } from './cifs-nvram.ts';
import { createCifsState } from './cifs-state.ts';
import type { FileServiceState } from './state.ts';

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** Requests not finished: recorded but not completed, or waiting for storage. */
function activeRequests(fs: FileServiceState): number {
  const recorded = Object.values(fs.cifs.inProgress).filter((held) => held.stage !== 'completed').length;
  return Math.max(recorded, Object.values(fs.pending).filter((pending) => pending.protocol === 'cifs').length);
}

/**
 * The OS goes down: returns true when persistent state kept the sessions (the caller must not count
 * them as dropped), false for the classic drop.
 */
export function keepCifsStateAtStop(fs: FileServiceState, filer: FilerState, ctx: ActorContext, why: FilerLifecycle): boolean {
  if (!persistentStateOn(filer)) return false;
  if (why === 'os-halt') {
    const flag = electiveFlag(filer);
    const active = activeRequests(fs);
    const saved = saveCifsState(fs, filer, ctx, flag, 'shutdown');
    const sessions = Object.keys(saved.cifs.sessions).length;
    if (fs.persist.lastSave) fs.persist.lastSave = { ...fs.persist.lastSave, activeAtSave: active };
    const trees = Object.values(saved.cifs.sessions).reduce((sum, session) => sum + Object.keys(session.trees).length, 0);
    logEms(filer, ctx, 'cifs.state.save', 'notice',
      `${flag.replace('-', ' ')}: ignored ${plural(fs.persist.counters.ignoredWhileDraining, 'new CIFS request')}; ${active} active at save; ` +
      `saved ${plural(sessions, 'session')}, ${plural(trees, 'tree connect')}, ${plural(Object.keys(saved.cifs.opens).length, 'open file')}, ` +
      `${plural(saved.cifs.locks.length, 'lock')} to NVRAM (flag: ${flag}).`);
  }
  // The live state goes with the OS either way; NVRAM keeps the saved copy.
  fs.cifs = createCifsState();
  fs.persist.adopted = {};
  fs.persist.trap = null;
  fs.persist.replayed = [];
  fs.persist.savedSinceStart = false;
  return true;
}
