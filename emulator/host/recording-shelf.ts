// Where the window's Record button writes its recordings as it goes, and where the player's recent list
// finds them (issue 22): $FILERLAB_RECORDINGS if set, else beside the saved labs
// (<data home>/filerlab/recordings). A name from a UI is a bare file name here, never a path.
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import path from 'node:path';
import type { RecentRecording } from '../protocol/playback.ts';
import { readInputText } from './files.ts';
import { defaultSavedLabsDir } from './saved-labs.ts';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}\.filerlab\.jsonl$/;
/** The recent list shows this many at most. */
export const RECENT_RECORDINGS_MAX = 20;
const LISTED_NAMES_MAX = 2_000;

export function defaultRecordingsDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FILERLAB_RECORDINGS) return env.FILERLAB_RECORDINGS;
  return path.join(path.dirname(defaultSavedLabsDir(env)), 'recordings');
}

export class RecordingShelf {
  constructor(readonly dir: string) {}

  /** A new file for a recording of `lab`, named by the wall-clock time it starts. */
  newPath(lab: string, seed: number, now = new Date()): string {
    mkdirSync(this.dir, { recursive: true });
    const stem = `${lab.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^[^A-Za-z0-9]+/, '') || 'lab'}-${seed}-${now.toISOString().replace(/[:.]/g, '-')}`;
    let name = `${stem}.filerlab.jsonl`;
    for (let copy = 2; statOrUndefined(path.join(this.dir, name)); copy++) name = `${stem}-${copy}.filerlab.jsonl`;
    return path.join(this.dir, name);
  }

  /** The recordings here, newest first. */
  recent(): RecentRecording[] {
    let names: string[];
    try {
      names = readdirSync(this.dir).filter((name) => NAME.test(name)).slice(0, LISTED_NAMES_MAX);
    } catch {
      return [];
    }
    return names.flatMap((name) => {
      const stat = statOrUndefined(path.join(this.dir, name));
      return stat?.isFile() ? [{ name, bytes: stat.size, modifiedMs: stat.mtimeMs }] : [];
    }).sort((left, right) => right.modifiedMs - left.modifiedMs || (left.name < right.name ? -1 : 1)).slice(0, RECENT_RECORDINGS_MAX);
  }

  /** Where the recording named `name` is (a name read() accepts). */
  pathOf(name: string): string {
    return path.join(this.dir, name);
  }

  /** The text of the recording named `name`, or why not. */
  read(name: string): { ok: true; text: string } | { ok: false; error: string } {
    if (!NAME.test(name)) return { ok: false, error: `'${name.slice(0, 80)}' is not the name of a recording (*.filerlab.jsonl)` };
    return readInputText(path.join(this.dir, name), 'recording');
  }
}

function statOrUndefined(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}
