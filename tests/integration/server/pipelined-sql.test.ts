/**
 * The contract of a transaction's `send` (server/db/database.ts), on the real databases: a
 * statement sent without waiting still runs in order, and when it fails, the transaction
 * fails — whether the failure shows at the next query or only at commit — and nothing it
 * wrote stays. This is what lets an accept send its last writes with COMMIT.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform, testDatabaseUrl } from '../../helpers/server';

const databases = testDatabaseUrl() ? (['pglite', 'postgres'] as const) : (['pglite'] as const);

const KEY_ROW = `INSERT INTO idempotency_keys (user_id, key, request_hash, status, response, created_at)
  VALUES ($1, $2, 'h', 200, 'null'::jsonb, 0)`;

for (const database of databases) {
  describe(`statements sent without waiting (${database})`, () => {
    let t: TestPlatform;
    beforeAll(async () => {
      t = await startTestPlatform({ database });
    });
    afterAll(async () => {
      await t?.close();
    });
    const keysOf = (user: string) =>
      t.platform.db.query<{ key: string }>('SELECT key FROM idempotency_keys WHERE user_id = $1 ORDER BY key', [user]);

    it('run in the order sent, and a later query reads what they wrote', async () => {
      const seen = await t.platform.db.transaction(async (tx) => {
        tx.send(KEY_ROW, ['pipe-order', 'a']);
        tx.send(KEY_ROW, ['pipe-order', 'b']);
        return tx.query<{ key: string }>('SELECT key FROM idempotency_keys WHERE user_id = $1 ORDER BY key', [
          'pipe-order',
        ]);
      });
      expect(seen.map((r) => r.key)).toEqual(['a', 'b']);
      expect((await keysOf('pipe-order')).map((r) => r.key)).toEqual(['a', 'b']);
    });

    it('fail the next query with their own error, not "transaction aborted"', async () => {
      const attempt = t.platform.db.transaction(async (tx) => {
        tx.send(KEY_ROW, ['pipe-next', 'a']);
        tx.send(KEY_ROW, ['pipe-next', 'a']); // the same key twice: a unique violation
        return tx.query('SELECT 1');
      });
      await expect(attempt).rejects.toMatchObject({ code: '23505' });
      expect(await keysOf('pipe-next')).toEqual([]);
    });

    it('fail the commit when nothing waited for them, and leave nothing written', async () => {
      const attempt = t.platform.db.transaction(async (tx) => {
        tx.send(KEY_ROW, ['pipe-commit', 'a']);
        tx.send(KEY_ROW, ['pipe-commit', 'a']);
        return 'returned normally';
      });
      await expect(attempt).rejects.toMatchObject({ code: '23505' });
      expect(await keysOf('pipe-commit')).toEqual([]);
    });

    it('are reported once by flush, so a caller can roll back past them to a savepoint', async () => {
      await t.platform.db.transaction(async (tx) => {
        tx.send(KEY_ROW, ['pipe-savepoint', 'kept']);
        tx.send('SAVEPOINT before_failure');
        tx.send(KEY_ROW, ['pipe-savepoint', 'kept']);
        await expect(tx.flush()).rejects.toMatchObject({ code: '23505' });
        await tx.query('ROLLBACK TO SAVEPOINT before_failure');
      });
      expect((await keysOf('pipe-savepoint')).map((r) => r.key)).toEqual(['kept']);
    });
  });
}
