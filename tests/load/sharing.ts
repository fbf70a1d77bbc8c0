/**
 * How many transactions a load phase's accepts shared (#16, docs/scaling.md §2): few
 * accepts per transaction cost more CPU each, since every transaction pays its own
 * statements, round trips and commit.
 */
import type { Sql } from '../../server/db/database';

/**
 * How many transactions committed the captures of `messageIds`: the distinct ids (`xmin`) their ledger rows were written under. A batch writes all its
 * captures under one id; a lone accept writes its capture inside the request's savepoint
 * (server/http/app.ts), under that savepoint's one id. So each committed accept transaction
 * counts once, whichever path it took. Attempts that committed nothing (a rolled-back try,
 * a refusal) are not counted.
 *
 * Not PostgreSQL's transaction ids given out over the phase, as it was until 2026-12-06:
 * every savepoint that writes takes an id of its own, so each lone accept counted twice
 * (measured: 501 lone accepts, 491 transactions, 749 ids).
 */
export async function captureTransactions(db: Sql, messageIds: readonly string[]): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    `SELECT count(DISTINCT xmin::text)::int AS n FROM ledger_transactions
     WHERE kind = 'capture' AND message_id = ANY($1::text[])`,
    [messageIds],
  );
  return row?.n ?? 0;
}
