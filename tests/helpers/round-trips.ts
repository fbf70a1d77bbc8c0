/**
 * Round trips to the database, counted on the platform's own database object: a statement
 * sent while another is still unanswered travels in the same round trip (the driver
 * pipelines them, one socket write per tick).
 */
import type { Database, TxSql } from '../../server/db/database';

export interface Trips {
  /** Per transaction: per round trip, the statements it carried. */
  transactions: string[][][];
  /** Statements run outside any transaction (each its own round trip). */
  single: string[];
  stop(): void;
}

export function countRoundTrips(db: Database): Trips {
  const transactions: string[][][] = [];
  const single: string[] = [];
  const { transaction, query } = db;
  db.query = ((text: string, params?: readonly unknown[]) => {
    single.push(text);
    return query.call(db, text, params);
  }) as Database['query'];
  db.transaction = ((fn: (tx: TxSql) => Promise<unknown>) =>
    transaction.call(db, async (tx) => {
      const trips: string[][] = [];
      transactions.push(trips);
      let inFlight = 0;
      const track = <T>(text: string, answer: Promise<T>): Promise<T> => {
        // Nothing unanswered: this statement starts a new round trip (BEGIN rides on the first).
        if (inFlight === 0) trips.push(trips.length === 0 ? ['BEGIN'] : []);
        trips[trips.length - 1]?.push(text.replace(/\s+/g, ' ').trim());
        inFlight++;
        answer.then(
          () => inFlight--,
          () => inFlight--,
        );
        return answer;
      };
      const counted: TxSql = {
        query: (text, params) => track(text, tx.query(text, params)),
        send: (text, params) => track(text, tx.send(text, params)),
        flush: () => tx.flush(),
      };
      const result = await fn(counted);
      // COMMIT goes out behind whatever is still unanswered, or alone.
      if (inFlight === 0) trips.push(['COMMIT']);
      else trips[trips.length - 1]?.push('COMMIT');
      return result;
    })) as Database['transaction'];
  return {
    transactions,
    single,
    stop() {
      db.transaction = transaction;
      db.query = query;
    },
  };
}

/** Runs `fn` with the round trips counted; the counting ends with it, however it ends. */
export async function whileCounting<T>(db: Database, fn: () => Promise<T>): Promise<{ value: T; trips: Trips }> {
  const trips = countRoundTrips(db);
  try {
    return { value: await fn(), trips };
  } finally {
    trips.stop();
  }
}

/** One transaction's round trips, a line each: the message to read when an expectation on them fails. */
export function tripReport(transaction: string[][]): string {
  return transaction
    .map((statements, i) => `${i + 1}: ${statements.map((s) => s.slice(0, 60)).join(' | ')}`)
    .join('\n');
}
