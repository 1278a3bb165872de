// The lab host's server for the browser shell and local tools: HTTP for the built renderer and a
// WebSocket at /lab for the protocol, on 127.0.0.1 only. Requests whose Host is not ours (DNS
// rebinding) and sockets from a foreign Origin are refused. Port 0 picks a free port (tests).
// A per-launch secret, as notebook servers have, guards the socket against other local users and
// pages: the page's URL carries it in its fragment (`/#token=…`, never sent in a request), the page
// puts it in the socket's query (`/lab?token=…`), and a socket without it is refused.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { LabHost } from '../lab-host.ts';
import { PtySessions } from '../pty-sessions.ts';
import { removeDiscovery, writeDiscovery } from './discovery.ts';
import { MAX_FRAME_BYTES } from './frames.ts';
import { SocketSession } from './socket-session.ts';
import { securityHeaders, serveStatic } from './static-files.ts';

export const LOOPBACK = '127.0.0.1';
export const SOCKET_PATH = '/lab';
/** Open protocol sockets at once (UIs, `filerlab console` terminals, console PTYs); more are refused. */
export const CONNECTIONS_MAX = 64;

export interface HostServerOptions {
  readonly host: LabHost;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** The built renderer (dist/renderer); without it only the WebSocket is served. */
  readonly staticRoot?: string;
  /** Where to write the discovery file; false writes none. */
  readonly discoveryFile?: string | false;
  readonly log?: (text: string) => void;
  /**
   * Whether UIs may open console PTYs (`pty.open`): each runs `filerlab console <filer>` attached
   * back to this server's own socket. Default true; false makes panes use the lab protocol directly.
   */
  readonly consolePtys?: boolean;
  /** The socket's secret; a fresh random one per launch when not given (tests give their own). */
  readonly token?: string;
  /**
   * The command a console PTY runs before `console <filer> --url …` (default: this Node and
   * bin/filerlab.mjs; Electron passes its own binary with its console flag).
   */
  readonly consoleCommand?: readonly string[];
}

export interface HostServer {
  /** The server's root, `http://127.0.0.1:PORT/`. */
  readonly url: string;
  /** The page with its secret, `http://127.0.0.1:PORT/#token=…`: what a browser opens. */
  readonly pageUrl: string;
  /** The protocol socket with its secret, `ws://127.0.0.1:PORT/lab?token=…`. */
  readonly wsUrl: string;
  /** The per-launch secret the socket requires. */
  readonly token: string;
  readonly port: number;
  /** The console PTYs this server spawns, shared with Electron's IPC connection; undefined if off. */
  readonly ptys: PtySessions | undefined;
  connectionCount(): number;
  close(): Promise<void>;
}

export async function startHostServer(options: HostServerOptions): Promise<HostServer> {
  const log = options.log ?? ((text: string) => process.stderr.write(`filerlab host: ${text}\n`));
  const token = options.token ?? randomBytes(24).toString('base64url');
  let port = 0;
  const http = createServer((request, response) => {
    if (!hostHeaderIsOurs(request, port)) {
      response.writeHead(421, { ...securityHeaders(), 'Content-Type': 'text/plain; charset=utf-8' }).end('wrong host\n');
      return;
    }
    if (!options.staticRoot) {
      response.writeHead(404, { ...securityHeaders(), 'Content-Type': 'text/plain; charset=utf-8' }).end('no UI served here\n');
      return;
    }
    serveStatic(options.staticRoot, request, response);
  });
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const sessions = new Set<SocketSession>();
  let ptys: PtySessions | undefined;
  http.on('upgrade', (request, socket, head) => {
    const refusal = upgradeRefusal(request, port, token);
    if (refusal) {
      log(`refused socket: ${refusal}`);
      socket.end(`HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n`);
      return;
    }
    if (sessions.size >= CONNECTIONS_MAX) {
      log(`refused socket: already ${CONNECTIONS_MAX} connections`);
      socket.end(`HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\nat most ${CONNECTIONS_MAX} connections\n`);
      return;
    }
    sockets.handleUpgrade(request, socket, head, (client) => {
      const session = new SocketSession(client, options.host, log, ptys);
      sessions.add(session);
      client.on('close', () => sessions.delete(session));
    });
  });
  port = await listen(http, options.port ?? 0);
  const url = `http://${LOOPBACK}:${port}/`;
  const pageUrl = `${url}#token=${token}`;
  const wsUrl = `ws://${LOOPBACK}:${port}${SOCKET_PATH}?token=${token}`;
  // Known only now that the port is: each PTY's `filerlab console` attaches to this very socket.
  if (options.consolePtys !== false) ptys = new PtySessions(wsUrl, options.consoleCommand);
  const discoveryFile = options.discoveryFile;
  if (discoveryFile) {
    writeDiscovery(discoveryFile, { url: pageUrl, ws: wsUrl, pid: process.pid, lab: options.host.view().lab, startedAt: new Date().toISOString() });
  }
  let closed: Promise<void> | undefined;
  return {
    url,
    pageUrl,
    wsUrl,
    token,
    port,
    ptys,
    connectionCount: () => sessions.size,
    close: () => {
      closed ??= (async () => {
        if (discoveryFile) removeDiscovery(discoveryFile);
        for (const session of sessions) session.dispose();
        ptys?.dispose();
        for (const client of sockets.clients) client.terminate();
        await new Promise<void>((resolve) => sockets.close(() => resolve()));
        http.closeAllConnections();
        await new Promise<void>((resolve) => http.close(() => resolve()));
      })();
      return closed;
    },
  };
}

/** Compared in constant time: the secret is not guessed a byte at a time. */
function tokenMatches(given: string | null, token: string): boolean {
  if (given === null) return false;
  const left = Buffer.from(given);
  const right = Buffer.from(token);
  return left.length === right.length && timingSafeEqual(left, right);
}

function listen(http: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, LOOPBACK, () => {
      http.off('error', reject);
      resolve((http.address() as AddressInfo).port);
    });
  });
}

function hostHeaderIsOurs(request: IncomingMessage, port: number): boolean {
  const host = request.headers.host;
  return host === `${LOOPBACK}:${port}` || host === `localhost:${port}`;
}

/** Why an upgrade is refused, or undefined to accept it. */
function upgradeRefusal(request: IncomingMessage, port: number, token: string): string | undefined {
  const [path, query = ''] = (request.url ?? '').split('?', 2) as [string, string?];
  if (path !== SOCKET_PATH) return `path ${JSON.stringify(path.slice(0, 80))} is not ${SOCKET_PATH}`;
  if (!tokenMatches(new URLSearchParams(query).get('token'), token)) return 'no valid token (the page of this launch has it in its URL)';
  if (!hostHeaderIsOurs(request, port)) return `host ${JSON.stringify(request.headers.host)} is not ours`;
  // Browsers always send Origin on a WebSocket; local tools (filerlab console) send none.
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== `http://${LOOPBACK}:${port}` && origin !== `http://localhost:${port}`) {
    return `origin ${JSON.stringify(origin)} is not ours`;
  }
  return undefined;
}
