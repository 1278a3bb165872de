// Files in a volume from the console: `rdfile /vol/<vol>/<path>` reads a file of the active file system
// or of a snapshot (`/vol/<vol>/.snapshot/<name>/<path>`), `wrfile [-a] /vol/<vol>/<path>` writes one
// through the same path as a client's write (logged in NVRAM, on disk at the next CP). The product's
// rdfile and wrfile reach any WAFL file this way; they show what a snapshot keeps and a restore brings back.
import type { CommandContext } from '../console/command.ts';
import { lookup, modify } from '../storage/fs-api.ts';
import { findSnapshot } from '../storage/snapshot-tree.ts';
import type { Inode } from '../storage/types.ts';
import { decodeUtf8, encodeUtf8 } from '../storage/utf8.ts';
import { ROOT_FILE_ID } from '../storage/wafl-fs.ts';
import { storageEnvOf, viewOf } from './storage-view.ts';

/** Deeper than any path a trainee types: a longer one is refused, not walked. */
const PATH_DEPTH_MAX = 32;
const RDFILE_BYTES_MAX = 65_536;

interface VolPath {
  readonly volume: string;
  readonly snapshot: string | null;
  readonly names: readonly string[];
}

export function isVolPath(path: string): boolean {
  return path.startsWith('/vol/');
}

function parseVolPath(path: string): VolPath | null {
  const parts = path.split('/').filter((part) => part !== '');
  if (parts.length < 3 || parts[0] !== 'vol' || parts.length > PATH_DEPTH_MAX) return null;
  if (parts[2] === '.snapshot') {
    return parts.length < 5 ? null : { volume: parts[1], snapshot: parts[3], names: parts.slice(4) };
  }
  return { volume: parts[1], snapshot: null, names: parts.slice(2) };
}

/** The inode a path names in a tree, or null. */
function walkTree(inodes: Record<number, Inode>, names: readonly string[]): Inode | null {
  let inode: Inode | undefined = inodes[ROOT_FILE_ID];
  for (const name of names) {
    if (!inode || inode.type !== 'dir') return null;
    const id: number | undefined = inode.entries[name];
    inode = id === undefined ? undefined : inodes[id];
  }
  return inode ?? null;
}

/** The file's lines, or the message to print instead. */
export function readVolFile(ctx: CommandContext, path: string): string[] | string {
  const shown = path.slice(0, 256);
  const parsed = parseVolPath(path);
  const view = viewOf(ctx);
  const volume = parsed && view?.state.status === 'online' ? view.state.volumes[parsed.volume] : undefined;
  if (!parsed || !volume || volume.status !== 'online') return `${shown}: No such file or directory`;
  let inodes = volume.inodes;
  if (parsed.snapshot !== null) {
    const snapshot = findSnapshot(volume, parsed.snapshot);
    if (!snapshot) return `${shown}: No such file or directory`;
    inodes = snapshot.inodes;
  }
  const inode = walkTree(inodes, parsed.names);
  if (!inode) return `${shown}: No such file or directory`;
  if (inode.type === 'dir') return `${shown}: Is a directory`;
  // A client's file may be large and binary: the console shows its first RDFILE_BYTES_MAX bytes.
  const lines = decodeUtf8(inode.data.subarray(0, Math.min(inode.size, RDFILE_BYTES_MAX))).split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (inode.size > RDFILE_BYTES_MAX) lines.push(`rdfile: only the first ${RDFILE_BYTES_MAX} of ${inode.size} bytes shown.`);
  return lines;
}

/**
 * Writes a line to the file (made if missing; emptied first when `truncate`), as a client's write is
 * made: in memory at once, logged in NVRAM. Returns the message to print when it cannot.
 */
export function writeVolFile(ctx: CommandContext, path: string, line: string | null, truncate: boolean): string | null {
  const shown = path.slice(0, 256);
  const parsed = parseVolPath(path);
  const view = viewOf(ctx);
  if (!parsed || !view || view.state.status !== 'online') return `wrfile: ${shown}: No such file or directory`;
  if (parsed.snapshot !== null) return `wrfile: ${shown}: Read-only file system`;
  const volume = view.state.volumes[parsed.volume];
  const parent = volume?.status === 'online' ? walkTree(volume.inodes, parsed.names.slice(0, -1)) : null;
  if (!volume || !parent || parent.type !== 'dir') return `wrfile: ${shown}: No such file or directory`;
  const env = storageEnvOf(ctx);
  const name = parsed.names[parsed.names.length - 1];
  if (parent.entries[name] === undefined) modify(view.state, env, volume.name, { kind: 'create', dir: parent.id, name });
  const file = lookup(view.state, volume.name, parent.id, name);
  if (typeof file === 'string') return `wrfile: ${shown}: No space left on device`;
  if (file.type === 'dir') return `wrfile: ${shown}: Is a directory`;
  if (truncate && file.size > 0) modify(view.state, env, volume.name, { kind: 'setattr', fileId: file.fileId, size: 0 });
  if (line !== null) {
    const size = truncate ? 0 : file.size;
    modify(view.state, env, volume.name, { kind: 'write', fileId: file.fileId, offset: size, data: encodeUtf8(`${line}\n`) });
  }
  return null;
}
