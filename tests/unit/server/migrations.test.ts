import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../server/db/database';
import { migrate } from '../../../server/db/migrate';
import { migrations } from '../../../server/db/migrations';
import { openDatabase } from '../../../server/db/open';

/**
 * One in-memory database for the file (cloned from the migrated template: a new cluster costs
 * seconds); each case works in an empty schema of its own, alone on the search path.
 */
describe('migrations', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({ dataDir: null });
  });
  afterAll(async () => {
    await db?.close();
  });

  const inFreshSchema = async (name: string) => {
    await db.exec(`CREATE SCHEMA ${name}; SET search_path TO ${name}`);
  };

  it('are numbered 1..n without gaps', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
  });

  it('leave no index that another index of its table already serves', async () => {
    await inFreshSchema('index_prefixes');
    await migrate(db);
    // A plain index whose columns lead another index of the same table answers no query the
    // longer one cannot, and every insert pays for both (an accept writes many such rows).
    const redundant = await db.query<{ index: string; servedBy: string }>(
      `SELECT a.indexrelid::regclass::text AS index, b.indexrelid::regclass::text AS "servedBy"
       FROM pg_index a JOIN pg_index b ON b.indrelid = a.indrelid AND b.indexrelid <> a.indexrelid
       JOIN pg_class t ON t.oid = a.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
       WHERE n.nspname = 'index_prefixes' AND NOT a.indisunique AND a.indpred IS NULL AND b.indpred IS NULL
         AND a.indnkeyatts <= b.indnkeyatts
         AND (b.indkey::int2[])[0:a.indnkeyatts - 1] = (a.indkey::int2[])[0:a.indnkeyatts - 1]
         AND a.indexprs IS NULL AND b.indexprs IS NULL
         AND (SELECT array_agg(am.amname) FROM pg_am am JOIN pg_class c ON c.relam = am.oid
              WHERE c.oid IN (a.indexrelid, b.indexrelid)) = ARRAY['btree', 'btree']::name[]`,
    );
    expect(redundant).toEqual([]);
  });

  it('bring an empty database to the latest version once, and then do nothing', async () => {
    await inFreshSchema('from_empty');
    expect(await migrate(db)).toBe(migrations.length);
    expect(await migrate(db)).toBe(0);
    const rows = await db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(migrations.map((m) => m.version));
  });

  it('upgrade a database from every older version', async () => {
    for (let from = 1; from < migrations.length; from++) {
      await inFreshSchema(`from_v${from}`);
      expect(await migrate(db, migrations.slice(0, from))).toBe(from);
      expect(await migrate(db)).toBe(migrations.length - from);
    }
  });

  it('refuse a database newer than the code', async () => {
    await inFreshSchema('from_future');
    await migrate(db);
    await db.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
      migrations.length + 1,
      'from the future',
      0,
    ]);
    await expect(migrate(db)).rejects.toThrow(/newer than this server/);
  });
});
