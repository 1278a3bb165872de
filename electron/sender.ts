// Which frames may talk to the lab: the main frame of our one window, showing our own UI (the built
// renderer over app://filerlab, or the Vite dev server in development). An iframe, another window or a page
// that got navigated elsewhere is refused (in the spirit of VS Code's validated IPC senders).
import type { WebFrameMain } from 'electron';

export interface TrustedOrigin {
  /** The exact UI page (app://filerlab/index.html) or the dev server's origin. */
  readonly appUrl: string;
}

/** The sender's page URL without query or fragment. */
function pageOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return undefined;
  }
}

export function isOurUrl(url: string, trusted: TrustedOrigin): boolean {
  const page = pageOf(url);
  const app = pageOf(trusted.appUrl);
  if (!page || !app) return false;
  // A dev server serves the one page at its root; any path on its origin is ours. Anything else
  // (app://, file://) is the one exact page: such URLs have no origin to compare ('null' for all).
  if (!/^https?:/.test(app)) return page === app;
  return new URL(page).origin === new URL(app).origin;
}

export function isTrustedSender(
  frame: WebFrameMain | null | undefined,
  mainFrame: WebFrameMain | undefined,
  trusted: TrustedOrigin,
): boolean {
  if (!frame || !mainFrame) return false;
  if (frame !== mainFrame) return false;
  return isOurUrl(frame.url, trusted);
}
