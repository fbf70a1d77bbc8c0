import { LAUNCH_CODE_PARAM, WS_BRIDGE_PATH } from '../../shared/contract';
import type { LaunchAccess } from './launch-access';

/**
 * Who may talk to the browser host. Only pages this host served, opened from an address
 * it printed or opened: the Host header must name the loopback address (so a rebound DNS
 * name cannot reach us), an Origin (when the browser sends one) must be ours, and the
 * request must carry a session cookie, or a one-time launch code that is spent on the
 * spot for one (launch-access.ts).
 */
export interface HostIdentity {
  port: number;
  access: LaunchAccess;
}

export type GuardResult =
  /** `session` is set when a launch code was just spent: the answer sets it as the cookie. */
  | { ok: true; via: 'code'; session: string }
  | { ok: true; via: 'cookie' }
  | { ok: false; status: 400 | 403 | 404; reason: string };

export interface RequestFacts {
  url: string | undefined;
  host: string | undefined;
  origin: string | undefined;
  cookie?: string | undefined;
}

export const allowedHosts = (port: number): string[] => [`127.0.0.1:${port}`, `localhost:${port}`];
export const allowedOrigins = (port: number): string[] => allowedHosts(port).map((host) => `http://${host}`);
/** Cookies are shared by every port of a host, so the name carries ours. */
export const sessionCookieName = (port: number): string => `creator_inbox_${port}`;

export function sessionCookie(port: number, session: string): string {
  return `${sessionCookieName(port)}=${session}; Path=/; HttpOnly; SameSite=Strict`;
}

function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

function parsePath(url: string | undefined): URL | null {
  if (!url?.startsWith('/')) return null;
  try {
    return new URL(url, 'http://127.0.0.1');
  } catch {
    return null;
  }
}

function checkHostAndOrigin(identity: HostIdentity, facts: RequestFacts, originRequired: boolean): GuardResult | null {
  if (!facts.host || !allowedHosts(identity.port).includes(facts.host.toLowerCase())) {
    return { ok: false, status: 403, reason: 'host' };
  }
  if (facts.origin === undefined ? originRequired : !allowedOrigins(identity.port).includes(facts.origin)) {
    return { ok: false, status: 403, reason: 'origin' };
  }
  return null;
}

/** Every HTTP request: the page, its scripts and styles. */
export function checkHttpRequest(identity: HostIdentity, facts: RequestFacts): GuardResult {
  const url = parsePath(facts.url);
  if (!url) return { ok: false, status: 400, reason: 'url' };
  const refused = checkHostAndOrigin(identity, facts, false);
  if (refused) return refused;
  // A session already open wins over a code in the address (a reload of a spent launch address).
  if (identity.access.hasSession(cookieValue(facts.cookie, sessionCookieName(identity.port)))) {
    return { ok: true, via: 'cookie' };
  }
  const session = identity.access.redeem(url.searchParams.get(LAUNCH_CODE_PARAM));
  if (session) return { ok: true, via: 'code', session };
  return { ok: false, status: 403, reason: 'session' };
}

/** The WebSocket upgrade: our path, our Origin (browsers always send one), a session cookie. */
export function checkSocketUpgrade(identity: HostIdentity, facts: RequestFacts): GuardResult {
  const url = parsePath(facts.url);
  if (!url) return { ok: false, status: 400, reason: 'url' };
  if (url.pathname !== WS_BRIDGE_PATH) return { ok: false, status: 404, reason: 'path' };
  const refused = checkHostAndOrigin(identity, facts, true);
  if (refused) return refused;
  if (!identity.access.hasSession(cookieValue(facts.cookie, sessionCookieName(identity.port)))) {
    return { ok: false, status: 403, reason: 'session' };
  }
  return { ok: true, via: 'cookie' };
}
