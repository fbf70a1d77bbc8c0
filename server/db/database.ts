/**
 * The one database interface the services use, over PostgreSQL (`pg`) or embedded
 * PostgreSQL (PGlite). Both speak the same SQL; the only differences we smooth over are
 * how int8 comes back (always a JS number here, refused when not exact) and how
 * transactions are started.
 */

export type SqlValue =
  | string
  | number
  | boolean
  | null
  | readonly string[]
  | readonly number[]
  | Record<string, unknown>;

export interface Sql {
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<Row[]>;
}

/**
 * SQL inside a transaction. Statements are pipelined: several go to the database in one
 * write and their answers come back together, so an accept costs a few round trips, not
 * one per statement (each round trip made under an inbox's row lock is time every other
 * writer of that inbox waits).
 */
export interface TxSql extends Sql {
  /**
   * Sends a statement now without waiting for it: its rows need not be read (the promise
   * may be left alone). Statements still run in the order they were sent; a failure fails
   * the transaction and is reported by the next `query`, by `flush`, or at commit.
   */
  send<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<Row[]>;
  /**
   * Waits for every statement sent so far; throws the first failure among them, once (a
   * caller that then rolls back to a savepoint has dealt with it).
   */
  flush(): Promise<void>;
}

/** What `send` and `flush` need of a driver: a query that may be called again before it answers. */
export function pipelined(run: (text: string, params?: readonly unknown[]) => Promise<unknown[]>): TxSql {
  const sent: Array<Promise<unknown>> = [];
  let failure: { error: unknown } | null = null;
  const settle = async () => {
    await Promise.all(sent.splice(0));
    const first = failure;
    failure = null;
    if (first) throw first.error;
  };
  return {
    async query<Row>(text: string, params?: readonly unknown[]) {
      try {
        return (await run(text, params)) as Row[];
      } catch (error) {
        // A statement sent earlier failed first: this one only says the transaction is aborted.
        await settle();
        throw error;
      }
    },
    send<Row>(text: string, params?: readonly unknown[]) {
      const rows = run(text, params) as Promise<Row[]>;
      sent.push(
        rows.catch((error: unknown) => {
          failure ??= { error };
        }),
      );
      // Marked as handled: a caller may never read it; the failure is reported through `failure`.
      rows.catch(() => undefined);
      return rows;
    },
    flush: settle,
  };
}

/** The `SET LOCAL` statements each open transaction has been sent. */
const settingsSent = new WeakMap<TxSql, Set<string>>();

/** Sends a `SET LOCAL` once per transaction, without waiting: it lasts until the transaction ends. */
function setForTransaction(sql: TxSql, statement: string): void {
  let sent = settingsSent.get(sql);
  if (!sent) {
    sent = new Set();
    settingsSent.set(sql, sent);
  }
  if (sent.has(statement)) return;
  sent.add(statement);
  sql.send(statement);
}

/**
 * Lets the rest of the transaction reuse each named statement's one generic plan
 * (PostgreSQL; PGlite's statements are not named, and it takes the setting as is). A
 * statement that joins a table to `unnest` of array parameters is otherwise planned again
 * on every call: PostgreSQL's generic plan counts 10 elements per array parameter, the
 * call's own plan knows the real count (one, for a lone request), so the call's plan always
 * looks cheaper. Profiled under the accept load, that was two plans per accept (the
 * ledger's statement and the status update), about a tenth of PostgreSQL's CPU. The
 * generic plans are the same index lookups, nested per element. Sent once per
 * transaction, without waiting, and undone at its end (`SET LOCAL`); a savepoint rolled
 * back after it undoes it too, which only costs the plans.
 */
export function preferGenericPlans(sql: TxSql): void {
  setForTransaction(sql, 'SET LOCAL plan_cache_mode = force_generic_plan');
}

/**
 * For a statement that reads one range of an index in the index's order, up to a LIMIT:
 * the rest of the transaction reads such ranges by walking the index, never by bitmap.
 * The feed page (services/feed.ts) is one. Once a few up-to-date pulls had settled its
 * plan, PostgreSQL's generic plan, made for a range it guessed at a row or two, read the
 * range by bitmap and sorted it: for a reader far behind the head, every entry up to the
 * head for each page (paged-reads-plan.postgres.test.ts). A plan made for the real range
 * did the same for ranges of a few pages. Walking the index stops at the LIMIT, whatever
 * the range; the plan stays one per connection. Sent once per transaction, without waiting.
 */
export function readRangesInIndexOrder(sql: TxSql): void {
  setForTransaction(sql, 'SET LOCAL enable_bitmapscan = off');
}

export interface Database extends Sql {
  readonly dialect: 'pg' | 'pglite';
  /**
   * Runs `fn` in one transaction. Serialization failures and deadlocks are retried, so
   * `fn` must not have effects outside the database until it returns.
   */
  transaction<T>(fn: (tx: TxSql) => Promise<T>): Promise<T>;
  /**
   * Other processes' news: calls `onPayload` for each NOTIFY on `channel` until the returned
   * function is called. PostgreSQL only; PGlite lives in one process, so it has nobody to hear.
   */
  listen?(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  /**
   * Short reads that must never wait behind this process's writers: the event streams'
   * access check, asked once per change before 1,000 subscribers hear of it. PostgreSQL:
   * one connection of the process's own, outside the pool (as the LISTEN connection is),
   * opened on first use and again after it breaks. PGlite has one session: absent there.
   */
  readonly aside?: Sql;
  /**
   * Runs `fn` only if no other process sharing the database is running work of this name
   * (a session advisory lock); resolves to null, without running it, when one is.
   * PostgreSQL only; PGlite lives in one process.
   */
  exclusively?<T>(name: string, fn: () => Promise<T>): Promise<T | null>;
  /** Runs statements without parameters (migrations, schema setup). */
  exec(text: string): Promise<void>;
  close(): Promise<void>;
}

/** int8 comes back as text or bigint; money columns must stay exact, so refuse what is not. */
export function parseInt8(value: string | bigint): number {
  const n = typeof value === 'bigint' ? value : BigInt(value);
  if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`int8 value ${n} does not fit a safe JS integer`);
  }
  return Number(n);
}

/** SQLSTATEs that mean "try the whole transaction again". */
export const RETRYABLE_SQLSTATES = new Set(['40001', '40P01']);

export function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && RETRYABLE_SQLSTATES.has(code);
}
