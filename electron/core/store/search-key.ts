import type Database from 'better-sqlite3';
import { isFtsLive } from './fts';
import { stmt } from './statements';

/**
 * Where a message sorts in search (newest first), whichever way it reached this database.
 *
 * Search walks the FTS index in its rowid order and stops at a page, so that order must be
 * the messages' own: a row's arrival order differs between a database built from a
 * snapshot (pending messages first) and one built by replaying the feed (creation order).
 * The key is the time the fan paid, in milliseconds since 2020, times SLOTS, plus a slot
 * from a hash of the id: messages of different milliseconds sort by time, those of one
 * millisecond by the hash. It stays below 2^53 (exact in JS) until 2089.
 *
 * Two messages with the same home slot (same millisecond, same hash) are placed by ordered
 * linear probing: walking up from the home slot, the smaller id keeps each slot and the
 * other moves on. The keys then do not depend on the order the messages arrived in
 * (Amble & Knuth, "Ordered hash tables", 1974), only on which messages are held.
 */
const EPOCH = Date.UTC(2020, 0, 1);
const SLOTS = 4_096;

export function homeSearchKey(paidAt: number, id: string): number {
  // FNV-1a over the id's UTF-16 units: cheap and well spread over the slots.
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (paidAt - EPOCH) * SLOTS + ((hash >>> 0) % SLOTS);
}

/** True for the error the messages' unique search key raises when a home slot is taken. */
export function isSearchKeyTaken(error: unknown): boolean {
  return error instanceof Error && error.message.includes('messages.search_key');
}

/**
 * Ordered linear probing from `id`'s home slot: at each slot the smaller id stays and the
 * other walks on. Returns where each message placed goes (`id` and those it moved on).
 */
export function orderedPlacement(
  id: string,
  home: number,
  holderAt: (slot: number) => string | undefined,
): Array<{ id: string; slot: number }> {
  const placed: Array<{ id: string; slot: number }> = [];
  let placing = id;
  for (let slot = home; ; slot++) {
    const holder = holderAt(slot);
    if (holder === undefined) {
      placed.push({ id: placing, slot });
      return placed;
    }
    if (placing < holder) {
      placed.push({ id: placing, slot });
      placing = holder;
    }
  }
}

/**
 * The key for message `id` (inside a write transaction), when its home slot is held by
 * another message: those ordered after it along the probe move on, their index entries
 * with them. Returns the key the caller inserts `id` with.
 */
export function claimSearchKey(db: Database.Database, id: string, paidAt: number): number {
  const own = stmt(db, 'SELECT search_key FROM messages WHERE id = ?').pluck().get(id) as number | null | undefined;
  if (own !== undefined && own !== null) return own;
  const placed = orderedPlacement(
    id,
    homeSearchKey(paidAt, id),
    (slot) => stmt(db, 'SELECT id FROM messages WHERE search_key = ?').pluck().get(slot) as string | undefined,
  );
  const moves = placed.flatMap((p) =>
    p.id === id
      ? []
      : [
          {
            id: p.id,
            from: stmt(db, 'SELECT search_key FROM messages WHERE id = ?').pluck().get(p.id) as number,
            to: p.slot,
          },
        ],
  );
  moveSearchKeys(db, moves);
  const key = placed.find((p) => p.id === id)?.slot;
  if (key === undefined) throw new Error(`no search key placed for message ${id}`);
  return key;
}

/**
 * Schema version 13: every message held gets its key, placed as if they had arrived in
 * their own order (the placement does not depend on it). The index is rebuilt after.
 */
export function assignSearchKeys(db: Database.Database): void {
  const rows = db.prepare('SELECT id, paid_at FROM messages ORDER BY rowid').all() as Array<{
    id: string;
    paid_at: number;
  }>;
  const holders = new Map<number, string>();
  const keys = new Map<string, number>();
  for (const row of rows) {
    for (const p of orderedPlacement(row.id, homeSearchKey(row.paid_at, row.id), (slot) => holders.get(slot))) {
      holders.set(p.slot, p.id);
      keys.set(p.id, p.slot);
    }
  }
  const write = db.prepare('UPDATE messages SET search_key = ? WHERE id = ?');
  for (const [id, key] of keys) write.run(key, id);
}

/** Moves messages to new keys, and their index entries where they are indexed already. */
function moveSearchKeys(db: Database.Database, moves: ReadonlyArray<{ id: string; from: number; to: number }>): void {
  if (moves.length === 0) return;
  const live = isFtsLive(db);
  const indexedUpto = live ? 0 : (stmt(db, 'SELECT indexed_upto FROM fts_state WHERE id = 1').pluck().get() as number);
  const indexed = moves.filter(
    (move) =>
      live || (stmt(db, 'SELECT rowid FROM messages WHERE id = ?').pluck().get(move.id) as number) <= indexedUpto,
  );
  for (const move of indexed) {
    stmt(
      db,
      `INSERT INTO messages_fts (messages_fts, rowid, body, fan_name)
       SELECT 'delete', ?, search_norm(body), search_norm(fan_name) FROM messages WHERE id = ?`,
    ).run(move.from, move.id);
  }
  // Through NULL first: the slots they move to are held by each other until all have moved.
  for (const move of moves) stmt(db, 'UPDATE messages SET search_key = NULL WHERE id = ?').run(move.id);
  for (const move of moves) stmt(db, 'UPDATE messages SET search_key = ? WHERE id = ?').run(move.to, move.id);
  for (const move of indexed) {
    stmt(
      db,
      `INSERT INTO messages_fts (rowid, body, fan_name)
       SELECT search_key, search_norm(body), search_norm(fan_name) FROM messages WHERE id = ?`,
    ).run(move.id);
  }
}
