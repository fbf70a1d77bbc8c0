import type { Database } from './database';
import { migrations as allMigrations, type Migration } from './migrations';

/** Any fixed number: the advisory lock that keeps two starting servers from migrating at once. */
const MIGRATION_LOCK = 727_001;

/**
 * Applies every migration newer than the database, each in its own transaction, in order.
 * Refuses a database that is newer than this code: running old code on it could corrupt it.
 */
export async function migrate(db: Database, migrations: readonly Migration[] = allMigrations): Promise<number> {
  await db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)',
  );
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  let applied = 0;
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    const rows = await tx.query<{ version: number }>(
      'SELECT COALESCE(MAX(version), 0)::int AS version FROM schema_migrations',
    );
    const current = rows[0]?.version ?? 0;
    if (current > latest) {
      throw new Error(`The database schema (version ${current}) is newer than this server (version ${latest})`);
    }
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (migration.version <= current) continue;
      for (const statement of splitStatements(migration.sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        migration.version,
        migration.name,
        Date.now(),
      ]);
      applied++;
    }
  });
  return applied;
}

/**
 * A migration's statements: split on `;`, except inside a `$$`-quoted function body. Our
 * migrations hold no other quoted semicolons (comments are dropped first), so this is exact.
 */
function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let current = '';
  sql
    .replace(/^\s*--.*$/gm, '')
    .split('$$')
    .forEach((part, i) => {
      // Odd parts are the insides of $$ … $$: kept whole.
      if (i % 2 === 1) {
        current += `$$${part}$$`;
        return;
      }
      const [first = '', ...rest] = part.split(';');
      current += first;
      for (const piece of rest) {
        statements.push(current);
        current = piece;
      }
    });
  statements.push(current);
  return statements.map((s) => s.trim()).filter((s) => s.length > 0);
}
