// One request from a UI, whichever Transport carried it: validated against the channel map, then
// answered by the LabHost. Electron's ipcMain handler and the WebSocket server both call this, so the
// two Transports cannot drift apart. Bad input is an answer ({ ok: false }), never a throw.
import { parseRequest } from '../protocol/channels.ts';
import type { RequestArgs, RequestChannel } from '../protocol/channels.ts';
import type { LabHost } from './lab-host.ts';
import type { PtyConnection } from './pty-connection.ts';

export type DispatchOutcome =
  | { readonly ok: true; readonly channel: RequestChannel; readonly result: unknown }
  | { readonly ok: false; readonly error: string };

export type DispatchLog = (text: string) => void;

/**
 * Validates and runs one request; a request that does not fit its schema is dropped and logged.
 * `ptys`: the asking connection's console PTYs; without it `pty.*` requests are refused (a host or
 * connection with no PTYs, and the UI falls back to the console over the lab protocol).
 */
export async function dispatchRequest(host: LabHost, channel: unknown, args: unknown, log: DispatchLog, ptys?: PtyConnection): Promise<DispatchOutcome> {
  // Everything, the parse included, is inside the try: whatever a request holds, the answer is an
  // outcome and never a rejection that could end the host.
  let name = 'request';
  try {
    const parsed = parseRequest(channel, args);
    if (!parsed.ok) {
      log(`dropped request: ${parsed.reason}`);
      return { ok: false, error: `rejected: ${parsed.reason}` };
    }
    name = parsed.channel;
    return { ok: true, channel: parsed.channel, result: await answer(host, parsed.channel, parsed.args, ptys) };
  } catch (error) {
    // A host failure (a lab file that does not load, say) goes back to the UI as text; the host lives on.
    const message = errorText(error);
    log(`request ${name} failed: ${message}`);
    return { ok: false, error: message };
  }
}

/** An error's message, whatever was thrown (a throw of a non-Error, or an object whose message throws). */
export function errorText(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'an error that cannot be shown';
  }
}

async function answer(host: LabHost, channel: RequestChannel, args: unknown, ptys: PtyConnection | undefined): Promise<unknown> {
  switch (channel) {
    case 'lab.hello':
      return host.view();
    case 'lab.input':
      return host.input((args as RequestArgs<'lab.input'>).input);
    case 'lab.pace':
      return host.setPace(args as RequestArgs<'lab.pace'>);
    case 'lab.open':
      return host.open((args as RequestArgs<'lab.open'>).lab);
    case 'lab.list':
      return host.listLabs();
    case 'lab.record':
      return host.record((args as RequestArgs<'lab.record'>).action);
    case 'lab.source':
      return host.labSource();
    case 'lab.openText': {
      const { name, yaml } = args as RequestArgs<'lab.openText'>;
      return host.openText(name, yaml);
    }
    case 'lab.saveState':
      return host.saveState();
    case 'lab.savedStates':
      return host.savedStates();
    case 'lab.restoreState':
      return host.restoreState((args as RequestArgs<'lab.restoreState'>).name);
    case 'lab.undo':
      return host.undo();
    case 'scenario.list':
      return host.listScenarios();
    case 'scenario.start':
      return host.startScenario((args as RequestArgs<'scenario.start'>).name, (args as RequestArgs<'scenario.start'>).faultSeed);
    case 'scenario.status':
      return host.scenarioStatus();
    case 'scenario.hint':
      return host.scenarioHint((args as RequestArgs<'scenario.hint'>).hint);
    case 'scenario.finish':
      return host.finishScenario();
    case 'scenario.export':
      return host.exportScenario((args as RequestArgs<'scenario.export'>).format);
    case 'lab.mark':
      return host.mark((args as RequestArgs<'lab.mark'>).text);
    case 'lab.playback':
      return host.playback(args as RequestArgs<'lab.playback'>);
    case 'console.scrollback':
      return host.scrollback((args as RequestArgs<'console.scrollback'>).filer);
    case 'pty.open': {
      const { filer, cols, rows } = args as RequestArgs<'pty.open'>;
      return ptysOf(ptys).open(filer, cols, rows);
    }
    case 'pty.input': {
      const { id, data } = args as RequestArgs<'pty.input'>;
      return ptysOf(ptys).input(id, data);
    }
    case 'pty.resize': {
      const { id, cols, rows } = args as RequestArgs<'pty.resize'>;
      return ptysOf(ptys).resize(id, cols, rows);
    }
    case 'pty.close':
      return ptysOf(ptys).close((args as RequestArgs<'pty.close'>).id);
    default: {
      const unreachable: never = channel;
      throw new Error(`no handler for ${String(unreachable)}`);
    }
  }
}

function ptysOf(ptys: PtyConnection | undefined): PtyConnection {
  if (!ptys) throw new Error('this host offers no console PTYs');
  return ptys;
}
