// The host process must not fall because one promise somewhere was left unhandled (issue 21): the
// lab host (`filerlab serve`, `filerlab start`, Electron main) logs such a rejection and goes on
// serving. Requests are answered inside their own try/catch (ipc-dispatch.ts); this is the net under it.
// Uncaught synchronous exceptions are not caught here: after one the process state is unknown.
import { errorText } from './ipc-dispatch.ts';
import type { Disposable } from './lab-host.ts';

/** Logs unhandled rejections instead of letting Node end the process; dispose removes the guard. */
export function guardUnhandledRejections(log: (text: string) => void): Disposable {
  let logged = 0;
  const onRejection = (reason: unknown): void => {
    logged++;
    // A loop that rejects forever must not fill the disk with the same line.
    if (logged <= 100 || logged % 1000 === 0) {
      const stack = reason instanceof Error && reason.stack ? `\n${reason.stack}` : '';
      log(`unhandled rejection #${logged} (the host goes on): ${errorText(reason)}${stack}`);
    }
  };
  process.on('unhandledRejection', onRejection);
  return { dispose: () => { process.off('unhandledRejection', onRejection); } };
}
