/**
 * The Content-Security-Policy both shells serve the renderer with. Scripts only from the
 * app itself (no inline, no eval), no plugins, no framing, no form posts, no <base>; the
 * only connection the page may open is the one its shell names (none in Electron, whose
 * bridge is IPC; the loopback WebSocket in the browser host).
 */
export function rendererCsp(options: { connectSrc: readonly string[] }): string {
  const connect = options.connectSrc.length > 0 ? options.connectSrc.join(' ') : "'none'";
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src ${connect}`,
    "manifest-src 'self'",
    "worker-src 'none'",
    "object-src 'none'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}
