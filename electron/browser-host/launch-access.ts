import { createHash, randomBytes } from 'node:crypto';

/** A fresh secret: 256 bits, URL-safe. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

const digest = (secret: string): string => createHash('sha256').update(secret).digest('base64url');

/** Codes not yet used, and browser sessions, each kept to a bound: old ones are forgotten first. */
const MAX_OPEN_CODES = 16;
const MAX_SESSIONS = 64;

function remember(set: Set<string>, value: string, max: number): void {
  set.add(value);
  while (set.size > max) set.delete(set.values().next().value as string);
}

/**
 * Who may use the browser host. No long-lived secret ever travels in a URL, on a command
 * line or in a cookie: the address the host prints or opens carries a one-time launch
 * code, which the page exchanges (once) for a session of its own, kept in an HttpOnly
 * cookie. A code seen in a process list or the browser's history is already spent; the
 * session cookie is a different random value per browser. Only digests are kept, and a
 * secret is looked up by its digest, so no comparison runs over the secret itself.
 */
export class LaunchAccess {
  private readonly codes = new Set<string>();
  private readonly sessions = new Set<string>();

  /** A code for one launch address; valid once. */
  newCode(): string {
    const code = newSecret();
    remember(this.codes, digest(code), MAX_OPEN_CODES);
    return code;
  }

  /** Spends a code: a new session secret, or null when the code is unknown or already used. */
  redeem(code: string | null | undefined): string | null {
    if (typeof code !== 'string' || code.length === 0 || code.length > 128) return null;
    if (!this.codes.delete(digest(code))) return null;
    const session = newSecret();
    remember(this.sessions, digest(session), MAX_SESSIONS);
    return session;
  }

  hasSession(session: string | null | undefined): boolean {
    if (typeof session !== 'string' || session.length === 0 || session.length > 128) return false;
    return this.sessions.has(digest(session));
  }
}
