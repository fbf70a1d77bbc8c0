import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PGlite, types } from '@electric-sql/pglite';
import { type Database, isRetryable, parseInt8, pipelined, type Sql, type TxSql } from './database';

const MAX_ATTEMPTS = 3;

/** Part of the template cache key: a dump from another PGlite build may not load. */
export const PGLITE_VERSION: string = (() => {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const manifest = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string };
  return manifest.version;
})();

function wrap(db: PGlite): Database {
  const onHandle = (handle: Pick<PGlite, 'query'>): Sql => ({
    async query<Row>(text: string, params?: readonly unknown[]) {
      const result = await handle.query<Row>(text, params as unknown[] | undefined);
      return result.rows;
    },
  });
  return {
    dialect: 'pglite',
    ...onHandle(db),
    async transaction<T>(fn: (tx: TxSql) => Promise<T>): Promise<T> {
      // PGlite is one session: its transaction() holds a mutex, so transactions run one
      // at a time and row locks never contend. The retry keeps the contract the same as pg.
      for (let attempt = 1; ; attempt++) {
        try {
          return await db.transaction(async (handle) => {
            // PGlite runs a transaction's statements one after another in its own queue, so
            // sent statements keep their order here too; all are settled before commit.
            const tx = pipelined(async (text, params) => (await handle.query(text, params as unknown[])).rows);
            try {
              const result = await fn(tx);
              await tx.flush();
              return result;
            } catch (error) {
              // Every sent statement has run before PGlite's ROLLBACK: none outlives the transaction.
              await tx.flush().catch(() => undefined);
              throw error;
            }
          });
        } catch (error) {
          if (!isRetryable(error) || attempt >= MAX_ATTEMPTS) throw error;
        }
      }
    },
    async exec(text: string) {
      await db.exec(text);
    },
    async close() {
      await db.close();
    },
  };
}

const parsers = { [types.INT8]: (value: string) => parseInt8(value) };

/**
 * Embedded PostgreSQL. `dataDir` null keeps everything in memory; `template` is a dump
 * of an already-migrated cluster, which starts in a fraction of the time a new one takes.
 */
export async function openPglite(options: { dataDir: string | null; template?: Blob }): Promise<Database> {
  const db = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.template ? { loadDataDir: options.template } : {}),
    parsers,
  });
  return wrap(db);
}

/** A dump of the cluster, to start others from (see openPglite's `template`). */
export async function dumpPglite(prepare: (db: Database) => Promise<void>): Promise<Blob> {
  const raw = await PGlite.create({ parsers });
  try {
    await prepare(wrap(raw));
    return await raw.dumpDataDir('none');
  } finally {
    await raw.close();
  }
}
