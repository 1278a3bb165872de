// The one Content-Security-Policy of the UI, served by the browser shell as a header, installed by
// Electron on its session, and repeated in renderer/index.html as a meta tag (a test keeps them equal).
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self' ws://127.0.0.1:*",
  "img-src 'self' data:",
].join('; ');
