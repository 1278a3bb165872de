// Every web contents the app creates is kept where it is: no navigation away from the UI, no new
// windows, no webviews, no permissions (camera, notifications, …). The UI is one page that talks to
// the lab through IPC; anything else is refused and logged.
import type { Session, WebContents } from 'electron';

export type GuardLog = (text: string) => void;

export function guardWebContents(contents: WebContents, log: GuardLog): void {
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    log(`refused navigation to ${url}`);
  });
  contents.on('will-redirect', (event, url) => {
    event.preventDefault();
    log(`refused redirect to ${url}`);
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('refused a webview');
  });
  contents.setWindowOpenHandler(({ url }) => {
    log(`refused a new window for ${url}`);
    return { action: 'deny' };
  });
}

export function refusePermissions(session: Session, log: GuardLog): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    log(`refused permission ${permission}`);
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
}
