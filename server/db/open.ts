import { mkdirSync } from 'node:fs';
import type { Database } from './database';
import { migrate } from './migrate';
import { openPg } from './pg';
import { dumpPglite, openPglite } from './pglite';

export interface DatabaseOptions {
  /** PostgreSQL through `pg`; wins over dataDir. */
  databaseUrl?: string;
  /** A schema to keep this platform's tables in (tests share one PostgreSQL database). */
  schema?: string;
  /** PGlite data folder; null keeps the database in memory. */
  dataDir?: string | null;
}

/**
 * A new in-memory cluster costs seconds; a migrated one loaded from a dump well under one.
 * So the first in-memory database of a process pays for the template, the rest reuse it.
 */
let migratedTemplate: Promise<Blob> | null = null;

function template(): Promise<Blob> {
  migratedTemplate ??= dumpPglite(async (db) => {
    await migrate(db);
  });
  return migratedTemplate;
}

/** Opens the configured database and brings its schema up to date. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  let db: Database;
  if (options.databaseUrl) {
    db = await openPg(options.databaseUrl, options.schema ? { schema: options.schema } : {});
  } else if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    db = await openPglite({ dataDir: options.dataDir });
  } else {
    db = await openPglite({ dataDir: null, template: await template() });
  }
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
