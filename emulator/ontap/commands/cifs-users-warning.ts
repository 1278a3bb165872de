// What 7-Mode says before it stops CIFS while users are connected (`halt`, `reboot`, `cifs terminate`
// without `-t`): the users and their open files, then a question for the minutes they get.
import type { CommandContext } from '../console/command.ts';
import { connectedCifsUsers } from './fileservice-cifs.ts';

export const MINUTES_QUESTION = 'Enter the number of minutes to wait before disconnecting [5]: ';
const DEFAULT_MINUTES = 5;

/** Prints the warning when CIFS users are connected; false (nothing printed) when none are. */
export function warnCifsUsers(ctx: CommandContext): boolean {
  const cifs = connectedCifsUsers(ctx);
  if (cifs.users === 0) return false;
  ctx.printLines(['CIFS local server is running.', 'PC IP(PC Name) (user)            #shares  #files', ...cifs.lines,
    `Total number of connected CIFS users: ${cifs.users}`, `    Total number of open CIFS files: ${cifs.files}`]);
  if (cifs.files > 0) ctx.print('Warning: Terminating CIFS service while files are open may cause data loss!!');
  return true;
}

/** The minutes answered: Enter for the default, a number, or null (ask again). */
export function minutesAnswer(answer: string): number | null {
  if (answer === '') return DEFAULT_MINUTES;
  return /^\d{1,4}$/.test(answer) ? Number(answer) : null;
}
