/**
 * The renderer is served from a privileged custom scheme rather than file://, so it has a
 * real origin: the sender check, the CSP's 'self' and the permission guard all compare
 * against this one value, and no other local file is reachable from the page.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'creator-inbox';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** The custom scheme's privileges: standard + secure (a real origin), fetchable, no CORS bypass. */
export const APP_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  corsEnabled: false,
  bypassCSP: false,
  allowServiceWorkers: false,
  stream: true,
} as const;

export const DEEP_LINK_SCHEME = 'creatorinbox';

export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    // Custom schemes give "null" from URL.origin in Node; build it the way Chromium does.
    return parsed.origin !== 'null' ? parsed.origin : `${parsed.protocol}//${parsed.host}`;
  } catch {
    return null;
  }
}

export function isAppUrl(url: string): boolean {
  return originOf(url) === APP_ORIGIN;
}
