/**
 * Statements with parameters are prepared once per connection (server/db/pg.ts, #16): a
 * profile of PostgreSQL under the accept load spent about a third of its CPU parsing and
 * planning the same short statements again on every call. Named by their text, they are
 * parsed once per connection and PostgreSQL may keep a generic plan. What must not change:
 * every answer, a statement first sent into a failing pipeline, and memory bounded when
 * texts are many.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import type { Database } from '../../../server/db/database';
import { migrate } from '../../../server/db/migrate';
import { openPg } from '../../../server/db/pg';
import { createServices } from '../../../server/services/context';
import { accounts, postAll } from '../../../server/services/ledger';
import { describeWithPostgres, testDatabaseUrl } from '../../helpers/server';

const PREPARED = `SELECT name, generic_plans, custom_plans FROM pg_prepared_statements
  WHERE statement = $1 OR (name LIKE 'ci\\_%' AND $1 = '')`;

describeWithPostgres('statements with parameters, prepared once per connection (PostgreSQL)', () => {
  const opened: Array<{ db: Database; schema: string }> = [];
  // One connection: what it has prepared is what pg_prepared_statements shows.
  const open = async (maxNamedStatements?: number) => {
    const schema = `prepared_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const db = await openPg(testDatabaseUrl() ?? '', {
      schema,
      max: 1,
      ...(maxNamedStatements ? { maxNamedStatements } : {}),
    });
    opened.push({ db, schema });
    await db.exec('CREATE TABLE items (id integer PRIMARY KEY, label text NOT NULL)');
    await db.exec("INSERT INTO items SELECT n, 'item ' || n FROM generate_series(1, 1000) AS n");
    await db.exec('ANALYZE items');
    return db;
  };
  afterEach(async () => {
    for (const { db, schema } of opened.splice(0)) {
      await db.exec(`DROP SCHEMA ${schema} CASCADE`);
      await db.close();
    }
  });

  it('parses a statement once and plans it once, then keeps the plan', async () => {
    const db = await open();
    const lookup = 'SELECT label FROM items WHERE id = $1';
    for (let id = 1; id <= 8; id++) {
      const rows = await db.transaction((tx) => tx.query<{ label: string }>(lookup, [id]));
      expect(rows).toEqual([{ label: `item ${id}` }]);
    }
    const [statement, ...others] = await db.query<{ name: string; generic_plans: number; custom_plans: number }>(
      PREPARED,
      [lookup],
    );
    // One statement on the connection for eight runs; the first few are planned for their
    // values, then PostgreSQL keeps one plan for all.
    expect(others).toEqual([]);
    expect(statement?.name).toMatch(/^ci_/);
    expect(Number(statement?.generic_plans) + Number(statement?.custom_plans)).toBe(8);
    expect(Number(statement?.generic_plans)).toBeGreaterThan(0);
  });

  it("plans the ledger's statement once per connection, not again on every posting", async () => {
    // The platform's own schema on one connection, with accounts enough that an index
    // lookup per array element is the plan. Its array parameters made PostgreSQL plan the
    // statement again on every call: the call's plan, knowing one element, looked cheaper
    // than the generic one, which counts ten (8 plans for 8 postings before).
    const schema = `prepared_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const db = await openPg(testDatabaseUrl() ?? '', { schema, max: 1 });
    opened.push({ db, schema });
    await migrate(db);
    await db.exec(`INSERT INTO accounts (id, kind, owner_id, currency, balance)
      SELECT 'wallet:fan-' || n || ':USD', 'wallet', 'fan-' || n, 'USD', 1000 FROM generate_series(1, 5000) AS n`);
    await db.exec('ANALYZE accounts');
    const services = createServices(db, { now: () => 1_000 }, 1_000);
    for (let i = 1; i <= 8; i++) {
      await services.transact((tx) =>
        postAll(tx, [
          {
            kind: 'hold',
            currency: 'USD',
            inboxId: 'inbox-1',
            messageId: `message-${i}`,
            fanId: `fan-${i}`,
            actorId: `fan-${i}`,
            gross: 100,
            fee: 0,
            net: 0,
            movements: [
              { from: accounts.wallet(`fan-${i}`, 'USD'), to: accounts.escrow('inbox-1', 'USD'), amount: 100 },
            ],
          },
        ]),
      );
    }
    const plans = await db.query<{ generic_plans: number; custom_plans: number }>(
      "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE 'WITH credited AS%'",
    );
    expect(plans.map((p) => ({ generic: Number(p.generic_plans), custom: Number(p.custom_plans) }))).toEqual([
      { generic: 8, custom: 0 },
    ]);
    // And every posting still moved its balances.
    const [escrow] = await db.query<{ balance: number }>('SELECT balance FROM accounts WHERE id = $1', [
      accounts.escrow('inbox-1', 'USD').id,
    ]);
    expect(escrow?.balance).toBe(800);
    const wallets = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM accounts WHERE kind = 'wallet' AND balance = 900",
    );
    expect(wallets[0]?.n).toBe(8);
  });

  it('runs a statement again after its first parse was sent into a failing pipeline', async () => {
    const db = await open();
    const lookup = 'SELECT label FROM items WHERE id = $1 AND label <> $2';
    const failing = db.transaction(async (tx) => {
      tx.send('SELECT 1 / $1::integer', [0]);
      // Parsed while the transaction is already aborted: PostgreSQL refuses the parse.
      tx.send(lookup, [1, '']);
      return tx.query('SELECT $1::integer', [1]);
    });
    await expect(failing).rejects.toMatchObject({ code: '22012' });
    const rows = await db.transaction((tx) => tx.query<{ label: string }>(lookup, [2, '']));
    expect(rows).toEqual([{ label: 'item 2' }]);
  });

  it('past its bound of distinct texts, runs the others unnamed and still answers them', async () => {
    const db = await open(2);
    for (let k = 0; k < 6; k++) {
      const rows = await db.transaction((tx) => tx.query<{ n: number }>(`SELECT $1::integer + ${k} AS n`, [10]));
      expect(rows).toEqual([{ n: 10 + k }]);
    }
    const named = await db.query<{ name: string }>(PREPARED, ['']);
    expect(named.length).toBeLessThanOrEqual(2);
  });
});
