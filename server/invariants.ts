import type { Sql } from './db/database';

/**
 * The ledger invariants of the domain notes, checked straight against the tables.
 * Returns one readable line per violation; an empty list means the books are sound.
 */
export async function checkLedgerInvariants(sql: Sql): Promise<string[]> {
  const problems: string[] = [];
  const report = async (label: string, query: string) => {
    const rows = await sql.query<Record<string, unknown>>(query);
    for (const row of rows) problems.push(`${label}: ${JSON.stringify(row)}`);
  };
  await report(
    'transaction does not balance',
    'SELECT transaction_id, SUM(amount)::bigint AS total FROM ledger_entries GROUP BY transaction_id HAVING SUM(amount) <> 0',
  );
  await report(
    'entry in another currency than its transaction',
    `SELECT e.id, a.currency, t.currency AS transaction_currency FROM ledger_entries e
     JOIN accounts a ON a.id = e.account_id JOIN ledger_transactions t ON t.id = e.transaction_id
     WHERE a.currency <> t.currency`,
  );
  await report(
    'negative balance',
    `SELECT id, balance FROM accounts WHERE kind IN ('wallet', 'escrow', 'creator') AND balance < 0`,
  );
  await report(
    'balance differs from its entries',
    `SELECT a.id, a.balance, COALESCE(SUM(e.amount), 0)::bigint AS entries FROM accounts a
     LEFT JOIN ledger_entries e ON e.account_id = a.id WHERE a.kind IN ('wallet', 'escrow', 'creator')
     GROUP BY a.id, a.balance HAVING a.balance <> COALESCE(SUM(e.amount), 0)`,
  );
  await report(
    'escrow differs from the pending messages it holds',
    `WITH held AS (
       SELECT inbox_id, currency, SUM(price_minor)::bigint AS pending FROM messages WHERE status = 'pending'
       GROUP BY inbox_id, currency),
     escrow AS (SELECT owner_id AS inbox_id, currency, balance FROM accounts WHERE kind = 'escrow')
     SELECT COALESCE(h.inbox_id, e.inbox_id) AS inbox_id, COALESCE(h.currency, e.currency) AS currency,
            COALESCE(h.pending, 0) AS pending, COALESCE(e.balance, 0) AS escrow
     FROM held h FULL JOIN escrow e ON e.inbox_id = h.inbox_id AND e.currency = h.currency
     WHERE COALESCE(h.pending, 0) <> COALESCE(e.balance, 0)`,
  );
  await report(
    'message money history does not match its status',
    `SELECT m.id, m.status, m.free,
       COUNT(*) FILTER (WHERE t.kind = 'hold') AS holds,
       COUNT(*) FILTER (WHERE t.kind = 'capture') AS captures,
       COUNT(*) FILTER (WHERE t.kind IN ('refund', 'expire')) AS refunds
     FROM messages m LEFT JOIN ledger_transactions t ON t.message_id = m.id
     GROUP BY m.id, m.status, m.free
     -- A free-pass message (#18) has no money history at all, whatever its status.
     HAVING (m.free AND COUNT(t.id) <> 0)
        OR (NOT m.free AND (
          COUNT(*) FILTER (WHERE t.kind = 'hold') <> 1
          OR COUNT(*) FILTER (WHERE t.kind = 'capture') <> (CASE WHEN m.status = 'accepted' THEN 1 ELSE 0 END)
          OR COUNT(*) FILTER (WHERE t.kind = 'refund') <> (CASE WHEN m.status = 'refunded' THEN 1 ELSE 0 END)
          OR COUNT(*) FILTER (WHERE t.kind = 'expire') <> (CASE WHEN m.status = 'expired' THEN 1 ELSE 0 END)))`,
  );
  await report(
    'capture does not split the price into fee and net',
    `SELECT t.id, t.gross, t.fee, t.net, m.price_minor FROM ledger_transactions t JOIN messages m ON m.id = t.message_id
     WHERE t.kind = 'capture' AND (t.fee + t.net <> t.gross OR t.gross <> m.price_minor OR t.fee <> m.fee_minor)`,
  );
  await report(
    'creator balance differs from captured net minus payouts',
    `WITH earned AS (
       SELECT inbox_id, currency, SUM(CASE WHEN kind = 'capture' THEN net ELSE -gross END)::bigint AS expected
       FROM ledger_transactions WHERE kind IN ('capture', 'payout') GROUP BY inbox_id, currency)
     SELECT a.owner_id, a.currency, a.balance, COALESCE(x.expected, 0) AS expected FROM accounts a
     LEFT JOIN earned x ON x.inbox_id = a.owner_id AND x.currency = a.currency
     WHERE a.kind = 'creator' AND a.balance <> COALESCE(x.expected, 0)`,
  );
  return problems;
}
