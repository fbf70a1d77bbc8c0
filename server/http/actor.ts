import type { FastifyRequest } from 'fastify';
import { ApiError } from '../errors';
import { authenticate } from '../services/accounts';
import type { Actor, Services, Tx } from '../services/context';

export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1] ?? null;
}

export function requireToken(request: FastifyRequest): string {
  const token = bearerToken(request);
  if (!token) throw new ApiError('unauthenticated', 'Sign in first: send Authorization: Bearer <token>');
  return token;
}

/**
 * The signed-in user behind a bearer token, inside the request's own transaction; with
 * `lockKey`, holding the lock of that user's idempotency key (see `authenticate`).
 */
export async function actorFor(tx: Tx, token: string, lockKey?: string): Promise<Actor> {
  const actor = await authenticate(tx, token, lockKey);
  if (!actor) throw new ApiError('unauthenticated', 'Your session has ended; sign in again');
  return actor;
}

/** The signed-in user behind the request's bearer token, or unauthenticated. */
export async function resolveActor(services: Services, request: FastifyRequest): Promise<Actor> {
  const token = requireToken(request);
  return services.transact((tx) => actorFor(tx, token));
}
