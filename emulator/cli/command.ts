// What every `filerlab` subcommand is: emulator/cli/<name>.ts exports one, main.ts dispatches to it.
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** stderr is a terminal: long work may draw a progress line there. */
  readonly interactive?: boolean;
}

export interface CliCommand {
  readonly summary: string;
  readonly usage: string;
  /** Returns the exit code: 0 ok, 1 failed checks, 2 bad input. */
  run(args: string[], io: CliIo): Promise<number>;
}
