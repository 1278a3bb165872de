// The UI's Content-Security-Policy on every response of the app's session (the meta tag in
// renderer/index.html says the same; the policy text lives in emulator/host/server/csp.ts).
import type { Session } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../emulator/host/server/csp.ts';

export function installContentSecurityPolicy(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders };
    // Drop any policy a response brought (whatever its case) so ours is the only one.
    for (const name of Object.keys(headers)) {
      if (name.toLowerCase() === 'content-security-policy') delete headers[name];
    }
    headers['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
    callback({ responseHeaders: headers });
  });
}
