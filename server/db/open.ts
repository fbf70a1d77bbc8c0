import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from './database';
import { migrate } from './migrate';
import { migrations } from './migrations';
import { openPg } from './pg';
import { dumpPglite, openPglite, PGLITE_VERSION } from './pglite';

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
 * The dump is kept in memory for the process and on disk (keyed by the schema) for the
 * next processes: each test file runs in a fresh module context, so this saves seconds each.
 */
let migratedTemplate: Promise<Blob> | null = null;

function templateFile(): string {
  const key = createHash('sha256').update(JSON.stringify(migrations)).update(PGLITE_VERSION).digest('hex').slice(0, 16);
  return join(process.env.CREATOR_INBOX_TEMPLATE_DIR || tmpdir(), `creator-inbox-pglite-${key}.tar`);
}

async function loadOrBuildTemplate(): Promise<Blob> {
  const file = templateFile();
  try {
    return new Blob([await readFile(file)]);
  } catch {
    // No usable cached dump: build one below.
  }
  const dump = await dumpPglite(async (db) => {
    await migrate(db);
  });
  // Written whole to a private name, then renamed: a concurrent reader never sees half a file.
  const partial = `${file}.${process.pid}.${randomUUID()}`;
  try {
    await writeFile(partial, new Uint8Array(await dump.arrayBuffer()));
    await rename(partial, file);
  } catch {
    await rm(partial, { force: true });
  }
  return dump;
}

function template(): Promise<Blob> {
  migratedTemplate ??= loadOrBuildTemplate().catch((error: unknown) => {
    migratedTemplate = null;
    throw error;
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
    // A new folder starts from the migrated template: a copy costs far less than a new cluster.
    const fresh = readdirSync(options.dataDir).length === 0;
    db = await openPglite({ dataDir: options.dataDir, ...(fresh ? { template: await template() } : {}) });
  } else {
    db = await openPglite({ dataDir: null, template: await template() }).catch(async () => {
      // A damaged cached dump (a full disk, another PGlite build): drop it and build a fresh one.
      await rm(templateFile(), { force: true });
      migratedTemplate = null;
      return openPglite({ dataDir: null, template: await template() });
    });
  }
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
