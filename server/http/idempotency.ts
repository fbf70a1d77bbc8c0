import { createHash } from 'node:crypto';
import { IDEMPOTENCY_KEY_TTL_MS } from '../../shared/protocol';
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

/**
 * Claims (user, key) inside the request's transaction. A concurrent request with the same
 * key waits on the unique index until this one commits or rolls back, then replays or
 * retries: the action happens once. Returns the stored response when this is a replay.
 * A key claimed IDEMPOTENCY_KEY_TTL_MS ago or longer is taken over as new, whether or not
 * the prune job has deleted it yet.
 */
export async function claimKey(tx: Tx, userId: string, key: string, hash: string): Promise<StoredResponse | null> {
  const claimed = await tx.sql.query(
    `INSERT INTO idempotency_keys (user_id, key, request_hash, status, response, created_at)
     VALUES ($1, $2, $3, 0, 'null'::jsonb, $4)
     ON CONFLICT (user_id, key) DO UPDATE
       SET request_hash = EXCLUDED.request_hash, status = 0, response = 'null'::jsonb, created_at = EXCLUDED.created_at
       WHERE idempotency_keys.created_at <= $5
     RETURNING key`,
    [userId, key, hash, tx.now, tx.now - IDEMPOTENCY_KEY_TTL_MS],
  );
  if (claimed.length > 0) return null;
  const rows = await tx.sql.query<{ request_hash: string; status: number; response: unknown }>(
    'SELECT request_hash, status, response FROM idempotency_keys WHERE user_id = $1 AND key = $2',
    [userId, key],
  );
  const stored = rows[0];
  if (!stored) throw new Error('Idempotency key vanished while being read');
  if (stored.request_hash !== hash) {
    throw new ApiError('idempotency_mismatch', 'This Idempotency-Key was already used for a different request');
  }
  return { status: stored.status, body: stored.response };
}

/** Sent without waiting: it goes out with the commit, and a failure fails the transaction. */
export function storeResponse(tx: Tx, userId: string, key: string, response: StoredResponse): void {
  tx.sql.send('UPDATE idempotency_keys SET status = $3, response = $4::jsonb WHERE user_id = $1 AND key = $2', [
    userId,
    key,
    response.status,
    JSON.stringify(response.body),
  ]);
}
