// One name for a disk everywhere (issue 19): the console's. A filer names a disk by the first of its FC
// ports whose loop reaches the disk's shelf, then the loop id shelfId*16 + bay (`0a.23` = shelf id 1,
// bay 7, reached over 0a). The storage OS (emulator/ontap/storage/raid-ops.ts displayName) and the
// lab window (bay tooltips, part menu, inspector) both call this, so they cannot drift apart.
// Pure and free of Node and the DOM: imported by the emulator and the renderer alike.

export const LOOP_IDS_PER_SHELF = 16;

/** What the naming needs of a filer's FC port: the port and the shelves its loop reaches, in order. */
export interface FcPortPath {
  readonly port: string;
  readonly shelves: ReadonlyArray<{ readonly actor: string; readonly shelfId: number }>;
}

/** `0a.23` for bay 7 of shelf actor `shelf1` (shelf id 1) reached over 0a; undefined when no port reaches it. */
export function consoleDiskName(fcPorts: readonly FcPortPath[], shelf: string, bay: number): string | undefined {
  for (const port of fcPorts) {
    const ref = port.shelves.find((candidate) => candidate.actor === shelf);
    if (ref) return `${port.port}.${ref.shelfId * LOOP_IDS_PER_SHELF + bay}`;
  }
  return undefined;
}

/** Where the disk sits, as the diagram shows it beside the console's name: `shelf1 bay 7`. */
export function diskPlace(shelf: string, bay: number): string {
  return `${shelf} bay ${bay}`;
}
