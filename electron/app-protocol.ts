// The UI is served from `app://filerlab/…`, a privileged custom scheme, not `file://` (Electron's
// security checklist, point 18: file:// pages share one origin with every local file and get extra
// privileges). Only files under the built renderer are served, with their MIME type and the UI's CSP;
// a path that escapes it, another host or a method other than GET is refused.
import { readFile, stat } from 'node:fs/promises';
import { mimeTypeOf, resolveStaticPath, securityHeaders } from '../emulator/host/server/static-files.ts';

export const APP_SCHEME = 'app';
export const APP_HOST = 'filerlab';
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** What protocol.registerSchemesAsPrivileged takes for the scheme (before the app is ready). */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: false, stream: false },
} as const;

/** The answer to one `app://` request, from the files under `root` (the built renderer). */
export async function appProtocolResponse(request: { url: string; method?: string }, root: string): Promise<Response> {
  const refuse = (status: number, text: string) => new Response(`${text}\n`, { status, headers: { ...securityHeaders(), 'Content-Type': 'text/plain; charset=utf-8' } });
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return refuse(400, 'bad url');
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return refuse(404, 'not here');
  if ((request.method ?? 'GET') !== 'GET') return refuse(405, 'method not allowed');
  const file = resolveStaticPath(root, url.pathname);
  if (!file) return refuse(400, 'bad path');
  try {
    if (!(await stat(file)).isFile()) return refuse(404, 'not found');
    return new Response(await readFile(file), { status: 200, headers: { ...securityHeaders(), 'Content-Type': mimeTypeOf(file) } });
  } catch {
    return refuse(404, 'not found');
  }
}
