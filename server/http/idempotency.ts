import { createHash } from 'node:crypto';
import { IDEMPOTENCY_KEY_TTL_MS } from '../../shared/protocol';
import { hashToken } from '../auth/tokens';
import { ApiError } from '../errors';
import type { Tx } from '../services/context';

export interface StoredResponse {
  status: number;
  body: unknown;
}

/** What makes two requests "the same": the route, its path parameters and its parsed body. */
export function requestHash(route: string, params: Record<string, string>, body: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify([route, Object.entries(params).sort(), body ?? null]))
    .digest('hex');
}

/** The key's row as stored with its answer. */
export interface StoredKey {
  request_hash: string;
  status: number;
  response: unknown;
  created_at: number;
}

/**
 * Reads the answer stored under (the token's user, key). Sent right after the session read
 * that takes the key's lock (`authenticate` with `lockKey`), in the same round trip: it
 * runs once that lock is held, as a statement of its own, so it sees an answer committed
 * by a request that held the key while this one waited.
 */
export function readKey(tx: Tx, token: string, key: string): Promise<StoredKey[]> {
  return tx.sql.send<StoredKey>(
    `SELECT request_hash, status, response, created_at FROM idempotency_keys
     WHERE user_id = (SELECT user_id FROM sessions WHERE token_hash = $1) AND key = $2`,
    [hashToken(token), key],
  );
}

/**
 * What the key binds this request to: its stored answer (a replay), or null when the key is
 * new or lapsed (claimed IDEMPOTENCY_KEY_TTL_MS ago or longer: taken over as new, whether
 * or not the prune job has deleted it yet). The same key with a different request is refused.
 */
export function replayOf(rows: readonly StoredKey[], hash: string, now: number): StoredResponse | null {
  const stored = rows[0];
  if (!stored || stored.created_at <= now - IDEMPOTENCY_KEY_TTL_MS) return null;
  if (stored.request_hash !== hash) {
    throw new ApiError('idempotency_mismatch', 'This Idempotency-Key was already used for a different request');
  }
  return { status: stored.status, body: stored.response };
}

/** One answer to store under its key. */
export interface KeyedResponse {
  readonly userId: string;
  readonly key: string;
  readonly hash: string;
  readonly response: StoredResponse;
}

/**
 * Stores the answer under the key: one row written once (a lapsed row of the key is
 * replaced). Sent without waiting: it goes out with the commit, and a failure fails the
 * transaction.
 */
export function storeResponse(tx: Tx, userId: string, key: string, hash: string, response: StoredResponse): void {
  storeResponses(tx, [{ userId, key, hash, response }]);
}

/** `storeResponse` for several keys (a batch's requests) in one statement; each (user, key) at most once. */
export function storeResponses(tx: Tx, answers: readonly KeyedResponse[]): void {
  tx.sql.send(
    `INSERT INTO idempotency_keys (user_id, key, request_hash, status, response, created_at)
     SELECT user_id, key, request_hash, status, response::jsonb, $6
     FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[]) AS k(user_id, key, request_hash, status, response)
     ON CONFLICT (user_id, key) DO UPDATE
       SET request_hash = EXCLUDED.request_hash, status = EXCLUDED.status, response = EXCLUDED.response,
           created_at = EXCLUDED.created_at`,
    [
      answers.map((a) => a.userId),
      answers.map((a) => a.key),
      answers.map((a) => a.hash),
      answers.map((a) => a.response.status),
      answers.map((a) => JSON.stringify(a.response.body)),
      tx.now,
    ],
  );
}
