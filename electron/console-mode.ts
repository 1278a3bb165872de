// The console panes' PTYs run `filerlab console <filer>` (DESIGN.md §7). Inside the packaged app there
// is no Node to run it with: the RunAsNode fuse is off (ELECTRON_RUN_AS_NODE would turn the signed app
// into a general-purpose Node for anyone). So the app binary itself takes a console flag: started with
// it, it opens no window, runs the CLI's console command on its terminal and exits with its code.
export const CONSOLE_FLAG = '--filerlab-console';

/** The CLI arguments after the console flag, or undefined when the app starts as a window. */
export function consoleModeArgs(argv: readonly string[]): string[] | undefined {
  const at = argv.indexOf(CONSOLE_FLAG);
  return at < 0 ? undefined : argv.slice(at + 1);
}

/**
 * What a console PTY runs before `console <filer> --url …`: the app binary with the flag (packaged),
 * or the Electron binary with the app's folder and the flag (development, `electron .`).
 */
export function consolePtyCommand(execPath: string, appPath: string, packaged: boolean): string[] {
  return packaged ? [execPath, CONSOLE_FLAG] : [execPath, appPath, CONSOLE_FLAG];
}
