import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RouteName } from '../../shared/protocol';
import { ApiError } from '../errors';
import { bearerToken } from './actor';

export interface RateLimit {
  max: number;
  timeWindowMs: number;
}

export interface RateLimits {
  /** Sign-in attempts per account, from wherever they come: guessing one account's password. */
  signIn: RateLimit;
  /** Sign-ups and sign-ins together per client address: guessing many accounts, or making them, from one place. */
  authPerAddress: RateLimit;
  /** Paid messages per session. */
  sendMessage: RateLimit;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  signIn: { max: 10, timeWindowMs: 60_000 },
  authPerAddress: { max: 30, timeWindowMs: 60_000 },
  sendMessage: { max: 30, timeWindowMs: 60_000 },
};

const address = (request: FastifyRequest) => request.ip;
const account = (request: FastifyRequest) => {
  const email = (request.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? email.trim().toLowerCase() : null;
};

/**
 * Each limited route's preHandler (after parsing, so a sign-in is counted for the account
 * it names), or null for a route without limits. One count per limiter, whichever route
 * adds to it (sign-ups and sign-ins share the address's). A refusal is 429 `rate_limited`
 * with `Retry-After` (set by the error handler from `details.retryAfterSeconds`).
 */
export function rateLimitHooks(app: FastifyInstance, limits: RateLimits) {
  const counted = (limit: RateLimit, key: (request: FastifyRequest) => string | null) => {
    const check = app.createRateLimit({
      max: limit.max,
      timeWindow: limit.timeWindowMs,
      keyGenerator: (request) => key(request) ?? '',
    });
    return async (request: FastifyRequest) => {
      if (key(request) === null) return;
      const result = await check(request);
      if (!result.isAllowed && result.isExceeded) {
        throw new ApiError('rate_limited', `Too many requests; retry in ${result.ttlInSeconds} s`, {
          retryAfterSeconds: result.ttlInSeconds,
        });
      }
    };
  };
  const perAddress = counted(limits.authPerAddress, address);
  const perAccount = counted(limits.signIn, account);
  const perSession = counted(limits.sendMessage, (request) => bearerToken(request) ?? address(request));
  // In order: the first count past its limit refuses, and the later ones are not added to.
  const checks: Partial<Record<RouteName, Array<(request: FastifyRequest) => Promise<void>>>> = {
    signUp: [perAddress],
    signIn: [perAddress, perAccount],
    sendMessage: [perSession],
  };
  return (route: RouteName) => {
    const list = checks[route];
    if (!list) return null;
    return async (request: FastifyRequest) => {
      for (const check of list) await check(request);
    };
  };
}
