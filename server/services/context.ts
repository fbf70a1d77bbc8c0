import { randomUUID } from 'node:crypto';
import type { ChangeKind } from '../../shared/protocol';
import { type Database, preferGenericPlans, type TxSql } from '../db/database';

export interface Clock {
  now(): number;
}

/** Who is acting: the user, and the session (device) they act from. */
export interface Actor {
  readonly id: string;
  readonly displayName: string;
  readonly kind: 'fan' | 'creator';
  readonly sessionId: string | null;
  readonly deviceName: string | null;
}

export interface PendingChange {
  at: number;
  inboxId: string;
  kind: ChangeKind;
  entityId: string;
  data: unknown;
}

/** One transaction's view of the world: SQL, the time it runs at, and the feed entries it adds. */
export interface Tx {
  readonly sql: TxSql;
  readonly now: number;
  readonly feeBps: number;
  /**
   * Whether a ledger posting waits for its balances to move before writing the rest. Not on
   * a first attempt: the move goes out with the posting, and a balance that cannot move
   * fails the transaction (`isBalanceShortfall`), which `transact` then runs once more with
   * this set, so the refusal is given exactly as it was when every posting waited.
   */
  readonly checkBalancesFirst: boolean;
  /**
   * Queues a change-feed entry; entries are numbered and written just before commit. Returns
   * the seq it will get when this transaction holds the inbox's lock and read its head there
   * (`lockedHead`), else null: an answer that carries it lets a device tell it from the older
   * entries it may read after the answer.
   */
  change(inboxId: string, kind: ChangeKind, entityId: string, data: unknown): number | null;
  /** The inbox's feed head, read under its row lock: nobody else can move it before this commits. */
  lockedHead(inboxId: string, feedHead: number): void;
  /** The same transaction seen at another time: lets the demo seeder write history in one go. */
  at(now: number): Tx;
  /** Runs `fn` so that, if it throws, its writes and queued feed entries are undone and the transaction goes on. */
  savepoint<T>(fn: () => Promise<T>): Promise<T>;
}

export type FeedListener = (inboxId: string, headSeq: number) => void;

export interface Services {
  readonly db: Database;
  readonly clock: Clock;
  readonly feeBps: number;
  /** Runs `fn` in a transaction, writes its feed entries, and announces new heads after commit. */
  transact<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  onFeed(listener: FeedListener): () => void;
  /** Reports heads written by another process (PostgreSQL NOTIFY) to this process's listeners. */
  announce(inboxId: string, headSeq: number): void;
  /** A FEED_CHANNEL payload: announced unless this process sent it (it announced those at commit). */
  hear(payload: string): void;
}

/** The NOTIFY channel that tells other server processes on the same PostgreSQL about new feed heads. */
export const FEED_CHANNEL = 'creator_inbox_feed';

export function createServices(db: Database, clock: Clock, feeBps: number): Services {
  const notifyOthers = db.dialect === 'pg';
  // Tags this process's NOTIFYs, so their echo on its own LISTEN connection is dropped.
  const origin = randomUUID().slice(0, 8);
  const listeners = new Set<FeedListener>();
  const announce = (inboxId: string, headSeq: number) => {
    for (const listener of listeners) listener(inboxId, headSeq);
  };
  const attempt = async <T>(fn: (tx: Tx) => Promise<T>, checkBalancesFirst: boolean): Promise<T> => {
    let heads: Promise<Map<string, number>> = Promise.resolve(new Map());
    const result = await db.transaction(async (sql) => {
      const pending: PendingChange[] = [];
      const lockedHeads = new Map<string, number>();
      let savepoints = 0;
      const savepoint = async <T>(fn: () => Promise<T>): Promise<T> => {
        const name = `sp_${++savepoints}`;
        const queued = pending.length;
        // A row lock taken inside the savepoint is released by its rollback, and its head with it.
        const headsBefore = new Map(lockedHeads);
        // Sent with the statements that follow it: no round trip of its own.
        sql.send(`SAVEPOINT ${name}`);
        try {
          // Not released on success: commit releases it, and a RELEASE would be one more
          // statement while the inbox lock is held. Names are unique, so nesting stays exact.
          return await fn();
        } catch (error) {
          // A statement sent inside it may have failed too: rolled back with the rest.
          await sql.flush().catch(() => undefined);
          await sql.query(`ROLLBACK TO SAVEPOINT ${name}`);
          pending.length = queued;
          lockedHeads.clear();
          for (const [inboxId, head] of headsBefore) lockedHeads.set(inboxId, head);
          throw error;
        }
      };
      const txAt = (now: number): Tx => ({
        sql,
        now,
        feeBps,
        checkBalancesFirst,
        change(inboxId, kind, entityId, data) {
          pending.push({ at: now, inboxId, kind, entityId, data });
          const head = lockedHeads.get(inboxId);
          // writeChanges numbers an inbox's entries from its head, in the order they were queued.
          return head === undefined ? null : head + pending.filter((c) => c.inboxId === inboxId).length;
        },
        lockedHead(inboxId, feedHead) {
          lockedHeads.set(inboxId, feedHead);
        },
        at: txAt,
        savepoint,
      });
      const value = await fn(txAt(clock.now()));
      // Sent, not awaited: the feed entries go out with COMMIT in one round trip (a failure
      // fails the commit). NOTIFY is delivered at commit, so listeners never hear of a
      // head they cannot read yet.
      heads = writeChanges(sql, pending, notifyOthers ? origin : null, new Set(lockedHeads.keys()));
      return value;
    });
    for (const [inboxId, head] of await heads) announce(inboxId, head);
    return result;
  };
  return {
    db,
    clock,
    feeBps,
    async transact<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
      try {
        return await attempt(fn, false);
      } catch (error) {
        // Nothing of the first attempt was kept: run it again, each balance checked first.
        if (!isBalanceShortfall(error)) throw error;
        return attempt(fn, true);
      }
    },
    onFeed(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    announce,
    hear(payload) {
      const [inboxId, head, from] = payload.split(' ');
      if (from === origin || !inboxId || !Number.isInteger(Number(head))) return;
      announce(inboxId, Number(head));
    },
  };
}

/** SQLSTATE of `ci_balances_moved` (server migration 12): a posting's debited balance was missing or short. */
const BALANCE_SHORTFALL = 'CIB01';

export function isBalanceShortfall(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === BALANCE_SHORTFALL;
}

/**
 * Numbers and stores the queued entries, and (on PostgreSQL) queues the NOTIFY that other
 * processes hear at commit, sent without waiting, since every round trip here is made
 * while holding the inbox's row lock. The inbox row's `feed_head` is bumped last in the
 * transaction, so writers of one inbox commit in sequence order: a reader never sees seq
 * N+1 before N. One statement per inbox, in inbox order, so that bumping a head is the
 * last lock taken and no deadlock can form around it; except when the transaction already
 * holds every one of those inboxes' locks (`locked`: a batch of accepts across inboxes),
 * where nothing here can wait on a lock and all the inboxes are written by one statement
 * (across 100 inboxes a batch has an inbox per accept, and this statement per inbox was
 * the largest cost of an accept in PostgreSQL: docs/scaling.md §2).
 */
function writeChanges(
  sql: TxSql,
  pending: PendingChange[],
  notifyAs: string | null,
  locked: ReadonlySet<string>,
): Promise<Map<string, number>> {
  if (pending.length === 0) return Promise.resolve(new Map());
  const byInbox = new Map<string, PendingChange[]>();
  for (const change of pending) {
    const list = byInbox.get(change.inboxId) ?? [];
    list.push(change);
    byInbox.set(change.inboxId, list);
  }
  const inboxIds = [...byInbox.keys()].sort();
  if (inboxIds.length > 1 && inboxIds.every((id) => locked.has(id)))
    return settledLater(writeChangesOfLockedInboxes(sql, inboxIds, byInbox, notifyAs));
  const notify = notifyAs === null ? '' : `, pg_notify('${FEED_CHANNEL}', $1 || ' ' || feed_head || ' ' || $7::text)`;
  const written = inboxIds.map(async (inboxId): Promise<[string, number]> => {
    const entries = byInbox.get(inboxId) ?? [];
    const rows = await sql.send<{ feed_head: number }>(
      `WITH head AS (UPDATE inboxes SET feed_head = feed_head + $2::bigint WHERE id = $1 RETURNING feed_head),
       written AS (
         INSERT INTO changes (inbox_id, seq, kind, entity_id, at, data)
         SELECT $1, head.feed_head - $2::bigint + t.n, t.k, t.e, t.a, t.d::json
         FROM unnest($3::text[], $4::text[], $5::bigint[], $6::text[]) WITH ORDINALITY AS t(k, e, a, d, n)
         -- No inbox row: seq is null and the insert fails, so the whole transaction does.
         LEFT JOIN head ON true)
       SELECT feed_head${notify} FROM head`,
      [
        inboxId,
        entries.length,
        entries.map((c) => c.kind),
        entries.map((c) => c.entityId),
        entries.map((c) => c.at),
        entries.map((c) => JSON.stringify(c.data)),
        ...(notifyAs === null ? [] : [notifyAs]),
      ],
    );
    const head = rows[0]?.feed_head;
    if (head === undefined) throw new Error(`Change for unknown inbox ${inboxId}`);
    return [inboxId, head];
  });
  return settledLater(Promise.all(written).then((pairs) => new Map(pairs)));
}

/**
 * Every inbox's entries in one statement: each head bumped by its inbox's count, each
 * entry numbered from its inbox's new head, one NOTIFY per inbox. Only for inboxes whose
 * locks the transaction holds (the rows are updated in whatever order the plan takes).
 */
async function writeChangesOfLockedInboxes(
  sql: TxSql,
  inboxIds: string[],
  byInbox: Map<string, PendingChange[]>,
  notifyAs: string | null,
): Promise<Map<string, number>> {
  const entries = inboxIds.flatMap((inboxId) =>
    (byInbox.get(inboxId) ?? []).map((change, i) => ({ change, n: i + 1 })),
  );
  const notify = notifyAs === null ? '' : `, pg_notify('${FEED_CHANNEL}', id || ' ' || feed_head || ' ' || $9::text)`;
  // Joins to arrays: planned once per connection (see preferGenericPlans).
  preferGenericPlans(sql);
  const rows = await sql.send<{ id: string; feed_head: number }>(
    `WITH head AS (
       UPDATE inboxes i SET feed_head = i.feed_head + c.n FROM unnest($1::text[], $2::bigint[]) AS c(id, n)
       WHERE i.id = c.id RETURNING i.id, i.feed_head, c.n),
     written AS (
       INSERT INTO changes (inbox_id, seq, kind, entity_id, at, data)
       SELECT t.i, head.feed_head - head.n + t.n, t.k, t.e, t.a, t.d::json
       FROM unnest($3::text[], $4::bigint[], $5::text[], $6::text[], $7::bigint[], $8::text[]) AS t(i, n, k, e, a, d)
       -- No inbox row: seq is null and the insert fails, so the whole transaction does.
       LEFT JOIN head ON head.id = t.i)
     SELECT id, feed_head${notify} FROM head`,
    [
      inboxIds,
      inboxIds.map((id) => byInbox.get(id)?.length ?? 0),
      entries.map((e) => e.change.inboxId),
      entries.map((e) => e.n),
      entries.map((e) => e.change.kind),
      entries.map((e) => e.change.entityId),
      entries.map((e) => e.change.at),
      entries.map((e) => JSON.stringify(e.change.data)),
      ...(notifyAs === null ? [] : [notifyAs]),
    ],
  );
  const heads = new Map(rows.map((r) => [r.id, Number(r.feed_head)] as const));
  for (const inboxId of inboxIds) if (!heads.has(inboxId)) throw new Error(`Change for unknown inbox ${inboxId}`);
  return heads;
}

/** Read after commit; a failure already failed the commit, so it is not reported twice here. */
function settledLater(heads: Promise<Map<string, number>>): Promise<Map<string, number>> {
  heads.catch(() => undefined);
  return heads;
}
