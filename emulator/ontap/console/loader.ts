// The boot loader's commands at `LOADER-A>`: enough to boot ONTAP and to look around, with the
// loader's own terse answers.
import type { ActorContext } from '../../engine/actor.ts';
import type { FilerState } from '../../hardware/filer/subsystem.ts';
import { loaderPrompt, startBoot, startFirmware } from './boot.ts';
import { splitWords } from './command.ts';
import { CRLF, showPrompt } from './output.ts';
import type { ConsoleState } from './state.ts';
import { ONTAP_RELEASE } from './version.ts';

const LOADER_COMMANDS: Readonly<Record<string, string>> = {
  boot_ontap: 'Boot the Data ONTAP image',
  boot_primary: 'Boot the primary Data ONTAP image',
  boot_backup: 'Boot the backup Data ONTAP image',
  autoboot: 'Boot as on power on',
  printenv: 'Show the loader environment',
  version: 'Show the loader version',
  bye: 'Reset the system',
  help: 'Show this list',
};

export function runLoaderLine(filer: FilerState, state: ConsoleState, ctx: ActorContext, line: string): void {
  const [command = '', ...args] = splitWords(line);
  const out = (lines: readonly string[]): void => ctx.console(lines.map((text) => text + CRLF).join(''));
  switch (command.toLowerCase()) {
    case '':
      break;
    case 'boot_ontap':
    case 'boot_primary':
    case 'boot_backup':
    case 'autoboot':
      if (args.length > 1) {
        out([`usage: ${command} [-s]`]);
        break;
      }
      return startBoot(filer, state, ctx);
    case 'bye':
    case 'reset':
      return startFirmware(filer, state, ctx, 'loader');
    case 'printenv':
      out([
        'Variable Name        Value',
        '-------------------- --------------------------------------------------',
        `BOOT_CONFIG          ${filer.config.name}`,
        'AUTOBOOT             true',
        `partner-sysid        ${filer.config.partner ?? 'none'}`,
        `sysid                ${filer.config.systemId}`,
        `ONTAP_RELEASE        ${ONTAP_RELEASE}`,
      ]);
      break;
    case 'version':
      out(['Boot Loader version 1.8']);
      break;
    case 'help':
    case '?':
      out(Object.entries(LOADER_COMMANDS).map(([name, text]) => `${name.padEnd(14)} ${text}`));
      break;
    default:
      out([`Unknown command: ${command.slice(0, 64)}`, "Type 'help' for a list of commands."]);
  }
  showPrompt(state, ctx, loaderPrompt(filer));
}
