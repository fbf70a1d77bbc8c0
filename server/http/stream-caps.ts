import { ApiError } from '../errors';
import type { Actor } from '../services/context';

/** How many live (server-sent-event) connections one session and one user may hold at once. */
export interface StreamLimits {
  perSession: number;
  perUser: number;
}

/**
 * A desktop holds two streams per inbox it works in (the feed's and presence's) on one
 * session; these leave room for many inboxes and devices while keeping one account from
 * holding thousands of sockets open.
 */
export const DEFAULT_STREAM_LIMITS: StreamLimits = { perSession: 64, perUser: 256 };

/** After a refusal, a client should wait this long: an old connection it lost may still be closing here. */
export const STREAM_RETRY_AFTER_S = 5;

export interface StreamCaps {
  /** Takes a place for a new stream, or refuses with 429 `rate_limited`; call the result once it ends. */
  claim(actor: Actor): () => void;
}

/**
 * Counts open streams per session and per user, shared by every stream route of the
 * process (the feed's and presence's). Counts are per process: with `--workers N` a user
 * may hold up to N times the cap, still a bound.
 */
export function streamCaps(limits: StreamLimits): StreamCaps {
  const bySession = new Map<string, number>();
  const byUser = new Map<string, number>();
  const add = (counts: Map<string, number>, key: string, delta: number) => {
    const next = (counts.get(key) ?? 0) + delta;
    if (next > 0) counts.set(key, next);
    else counts.delete(key);
  };
  return {
    claim(actor) {
      // Anything but a bearer session is counted as a session of its own user.
      const session = actor.sessionId ?? `user:${actor.id}`;
      if ((bySession.get(session) ?? 0) >= limits.perSession) {
        throw tooMany(`This session already holds ${limits.perSession} live connections; close one first`);
      }
      if ((byUser.get(actor.id) ?? 0) >= limits.perUser) {
        throw tooMany(`This account already holds ${limits.perUser} live connections; close one first`);
      }
      add(bySession, session, 1);
      add(byUser, actor.id, 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        add(bySession, session, -1);
        add(byUser, actor.id, -1);
      };
    },
  };
}

function tooMany(message: string): ApiError {
  return new ApiError('rate_limited', message, { retryAfterSeconds: STREAM_RETRY_AFTER_S });
}
