import { randomUUID } from 'node:crypto';
import { money } from '../../shared/money';
import type { Membership, Permission, RouteBody, RouteResponse, User } from '../../shared/protocol';
import { hashPassword, type PasswordHash, verifyPassword } from '../auth/password';
import { hashToken, newToken } from '../auth/tokens';
import type { Sql } from '../db/database';
import { ApiError } from '../errors';
import { ALL_PERMISSIONS } from './access';
import type { Actor, Tx } from './context';
import { loadMember, loadSettings } from './entities';

export const SESSION_TTL_MS = 30 * 24 * 3_600_000;
/** Writing last_used_at on every request would turn each read into a write. */
const LAST_USED_GRANULARITY_MS = 60_000;

export const DEFAULT_SETTINGS = {
  price: money(1_000, 'USD'),
  responseWindowMs: 72 * 3_600_000,
};

export interface PasswordHasher {
  hash(password: string): Promise<PasswordHash>;
  verify(password: string, stored: PasswordHash): Promise<boolean>;
}

export const scryptHasher: PasswordHasher = { hash: (p) => hashPassword(p), verify: verifyPassword };

interface UserRow {
  id: string;
  email: string;
  display_name: string;
  kind: 'fan' | 'creator';
}

export function toUser(row: UserRow): User {
  return { id: row.id, email: row.email, displayName: row.display_name, kind: row.kind };
}

async function createSession(tx: Tx, user: UserRow, deviceName: string): Promise<RouteResponse<'signIn'>> {
  const token = newToken();
  const expiresAt = tx.now + SESSION_TTL_MS;
  await tx.sql.query(
    `INSERT INTO sessions (id, user_id, token_hash, device_name, created_at, last_used_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $5, $6)`,
    [randomUUID(), user.id, hashToken(token), deviceName, tx.now, expiresAt],
  );
  return { token, expiresAt, user: toUser(user) };
}

/**
 * Creates the account (and, for a creator, their inbox). The password is hashed before the
 * transaction starts, so slow hashing never holds a database connection.
 */
export async function signUp(
  tx: Tx,
  body: RouteBody<'signUp'> & { email: string },
  password: PasswordHash,
): Promise<RouteResponse<'signUp'>> {
  if (body.kind === 'creator' && !body.handle) {
    throw new ApiError('invalid_request', 'A creator account needs a handle', { field: 'handle' });
  }
  const user: UserRow = { id: randomUUID(), email: body.email, display_name: body.displayName, kind: body.kind };
  const inserted = await tx.sql.query(
    `INSERT INTO users (id, email, display_name, kind, password_salt, password_hash, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (email) DO NOTHING RETURNING id`,
    [user.id, user.email, user.display_name, user.kind, password.salt, password.hash, tx.now],
  );
  if (inserted.length === 0) throw new ApiError('conflict', 'An account with this email already exists');
  if (body.kind === 'creator' && body.handle) {
    const inboxId = randomUUID();
    const created = await tx.sql.query(
      `INSERT INTO inboxes (id, owner_id, handle, accepting_paid_dms, price_minor, currency, response_window_ms, created_at)
       VALUES ($1, $2, $3, true, $4, $5, $6, $7) ON CONFLICT (handle) DO NOTHING RETURNING id`,
      [
        inboxId,
        user.id,
        body.handle,
        DEFAULT_SETTINGS.price.minor,
        DEFAULT_SETTINGS.price.currency,
        DEFAULT_SETTINGS.responseWindowMs,
        tx.now,
      ],
    );
    if (created.length === 0) throw new ApiError('conflict', `The handle @${body.handle} is taken`);
    await tx.sql.query(
      `INSERT INTO members (inbox_id, user_id, role, permissions, active, created_at) VALUES ($1, $2, 'owner', $3, true, $4)`,
      [inboxId, user.id, ALL_PERMISSIONS, tx.now],
    );
    // The feed starts with the inbox's first state, so a device pulling from zero has all of it.
    tx.change(inboxId, 'settings', inboxId, await loadSettings(tx.sql, inboxId));
    tx.change(inboxId, 'member', user.id, await loadMember(tx.sql, inboxId, user.id));
  }
  return createSession(tx, user, 'Sign-up');
}

export async function findCredentials(tx: Tx, email: string): Promise<(UserRow & PasswordHash) | null> {
  const rows = await tx.sql.query<UserRow & { password_salt: string; password_hash: string }>(
    'SELECT id, email, display_name, kind, password_salt, password_hash FROM users WHERE email = $1',
    [email],
  );
  const row = rows[0];
  return row ? { ...row, salt: row.password_salt, hash: row.password_hash } : null;
}

/** A hash to verify against when the email is unknown, so both cases take the same time. */
let decoy: Promise<PasswordHash> | null = null;

export async function checkPassword(
  hasher: PasswordHasher,
  user: (UserRow & PasswordHash) | null,
  password: string,
): Promise<boolean> {
  decoy ??= hasher.hash('decoy password that never matches');
  const stored = user ?? (await decoy);
  const ok = await hasher.verify(password, stored);
  return ok && user !== null;
}

export async function signIn(tx: Tx, user: UserRow, deviceName: string): Promise<RouteResponse<'signIn'>> {
  return createSession(tx, user, deviceName);
}

/**
 * The signed-in user behind a token. With `lockKey`, the same statement also takes the
 * transaction's lock on that user's idempotency key (read and stored by
 * http/idempotency.ts): a second request with the key waits here until the first commits
 * or rolls back, and then reads the answer it stored. The lock is the key's, not a row's,
 * so the key's row is written once, with its answer.
 */
export async function authenticate(tx: Tx, token: string, lockKey?: string): Promise<Actor | null> {
  const rows = await tx.sql.query<UserRow & { session_id: string; device_name: string; last_used_at: number }>(
    `SELECT u.id, u.email, u.display_name, u.kind, s.id AS session_id, s.device_name, s.last_used_at${
      lockKey === undefined ? '' : ", pg_advisory_xact_lock(hashtextextended(u.id || ' ' || $3, 0)) AS key_lock"
    }
     FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2`,
    lockKey === undefined ? [hashToken(token), tx.now] : [hashToken(token), tx.now, lockKey],
  );
  const row = rows[0];
  if (!row) return null;
  if (tx.now - row.last_used_at >= LAST_USED_GRANULARITY_MS) {
    tx.sql.send('UPDATE sessions SET last_used_at = $2 WHERE id = $1', [row.session_id, tx.now]);
  }
  return {
    id: row.id,
    displayName: row.display_name,
    kind: row.kind,
    sessionId: row.session_id,
    deviceName: row.device_name,
  };
}

/**
 * Which of these sessions still stand and belong to active members of the inbox: the
 * check every open event stream needs on each change, asked for all of an inbox's streams
 * in one query. Same session rule as `authenticate`.
 */
export async function sessionsStillIn(
  sql: Sql,
  now: number,
  inboxId: string,
  sessionIds: readonly string[],
): Promise<Set<string>> {
  if (sessionIds.length === 0) return new Set();
  const rows = await sql.query<{ id: string }>(
    `SELECT s.id FROM sessions s JOIN members m ON m.user_id = s.user_id AND m.inbox_id = $1 AND m.active
     WHERE s.id = ANY($2::text[]) AND s.revoked_at IS NULL AND s.expires_at > $3`,
    [inboxId, sessionIds, now],
  );
  return new Set(rows.map((r) => r.id));
}

export async function revokeSession(tx: Tx, actor: Actor, sessionId: string): Promise<void> {
  const rows = await tx.sql.query(
    'UPDATE sessions SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING id',
    [sessionId, actor.id, tx.now],
  );
  if (rows.length === 0) throw new ApiError('not_found', 'Session not found');
}

export async function listSessions(tx: Tx, actor: Actor): Promise<RouteResponse<'listSessions'>> {
  const rows = await tx.sql.query<{
    id: string;
    device_name: string;
    created_at: number;
    last_used_at: number;
    expires_at: number;
  }>(
    `SELECT id, device_name, created_at, last_used_at, expires_at FROM sessions
     WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2 ORDER BY created_at`,
    [actor.id, tx.now],
  );
  return {
    sessions: rows.map((r) => ({
      id: r.id,
      deviceName: r.device_name,
      createdAt: r.created_at,
      lastUsedAt: r.last_used_at,
      expiresAt: r.expires_at,
      current: r.id === actor.sessionId,
    })),
  };
}

export async function me(tx: Tx, actor: Actor): Promise<RouteResponse<'me'>> {
  const users = await tx.sql.query<UserRow>('SELECT id, email, display_name, kind FROM users WHERE id = $1', [
    actor.id,
  ]);
  const user = users[0];
  if (!user) throw new ApiError('unauthenticated', 'The account no longer exists');
  const rows = await tx.sql.query<{
    inbox_id: string;
    handle: string;
    creator_name: string;
    role: 'owner' | 'manager';
    permissions: Permission[];
  }>(
    `SELECT mb.inbox_id, i.handle, o.display_name AS creator_name, mb.role, mb.permissions
     FROM members mb JOIN inboxes i ON i.id = mb.inbox_id JOIN users o ON o.id = i.owner_id
     WHERE mb.user_id = $1 AND mb.active ORDER BY mb.role DESC, i.handle`,
    [actor.id],
  );
  const memberships: Membership[] = rows.map((r) => ({
    inboxId: r.inbox_id,
    handle: r.handle,
    creatorName: r.creator_name,
    role: r.role,
    permissions: r.permissions,
  }));
  return { user: toUser(user), memberships };
}
