/**
 * Where the app may send a password: https anywhere, plain http only to this machine
 * (a platform run locally for development or the demo).
 */
export type UrlCheck = { ok: true; url: string } | { ok: false; reason: 'invalid' | 'insecure' };

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function checkPlatformUrl(text: string): UrlCheck {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (url.username || url.password) return { ok: false, reason: 'invalid' };
  const base = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  if (url.protocol === 'https:') return { ok: true, url: base };
  if (url.protocol !== 'http:') return { ok: false, reason: 'invalid' };
  const host = url.hostname.toLowerCase();
  if (LOOPBACK_HOSTS.has(host) || /^127(\.\d{1,3}){3}$/.test(host)) return { ok: true, url: base };
  return { ok: false, reason: 'insecure' };
}
