import pg from 'pg';
import { type Database, isRetryable, parseInt8, type Sql } from './database';

const INT8_OID = 20;
const MAX_ATTEMPTS = 5;
/** application_name of each process's one LISTEN connection (followed by the schema, if any). */
export const LISTENER_APP_NAME = 'creator-inbox-listener';

function typeParsers(): pg.CustomTypesConfig {
  return {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
      if (oid === INT8_OID) return (value: string) => parseInt8(value);
      return pg.types.getTypeParser(oid, format);
    }) as pg.CustomTypesConfig['getTypeParser'],
  };
}

/** PostgreSQL through a `pg` pool. `schema`, when given, is put first on each connection's search_path. */
export async function openPg(
  connectionString: string,
  options: { schema?: string; max?: number } = {},
): Promise<Database> {
  if (options.schema && !/^[a-z_][a-z0-9_]*$/.test(options.schema))
    throw new Error(`Invalid schema name ${options.schema}`);
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    types: typeParsers(),
    // The schema is set by the server at connect time, so every connection of the pool uses it.
    ...(options.schema ? { options: `-c search_path=${options.schema},public` } : {}),
  });
  if (options.schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${options.schema}`);
  // Connections idle in the pool can be dropped by the server; a pool error must not crash us.
  pool.on('error', () => undefined);

  const onClient = (client: pg.PoolClient | pg.Pool): Sql => ({
    async query<Row>(text: string, params?: readonly unknown[]) {
      const result = await client.query(text, params as unknown[] | undefined);
      return result.rows as Row[];
    },
  });

  return {
    dialect: 'pg',
    ...onClient(pool),
    async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
      for (let attempt = 1; ; attempt++) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const result = await fn(onClient(client));
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          if (!isRetryable(error) || attempt >= MAX_ATTEMPTS) throw error;
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
        } finally {
          client.release();
        }
      }
    },
    async listen(channel: string, onPayload: (payload: string) => void) {
      if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`Invalid channel name ${channel}`);
      // LISTEN belongs to one session, so it gets a connection of its own, outside the pool.
      // Named, so an operator (and a test) can count listeners: one per process, never per client.
      const client = new pg.Client({
        connectionString,
        types: typeParsers(),
        application_name: `${LISTENER_APP_NAME}${options.schema ? ` ${options.schema}` : ''}`,
      });
      client.on('error', () => undefined);
      await client.connect();
      client.on('notification', (message) => {
        if (message.channel === channel && message.payload) onPayload(message.payload);
      });
      await client.query(`LISTEN ${channel}`);
      return async () => {
        await client.end().catch(() => undefined);
      };
    },
    async exclusively<T>(name: string, fn: () => Promise<T>): Promise<T | null> {
      // Keyed by schema too: test platforms share one database, each in a schema of its own.
      const key = 'hashtext(current_schema() || $1)';
      const client = await pool.connect();
      try {
        const got = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(${key}) AS ok`, [name]);
        if (!got.rows[0]?.ok) return null;
        try {
          return await fn();
        } finally {
          await client.query(`SELECT pg_advisory_unlock(${key})`, [name]);
        }
      } finally {
        client.release();
      }
    },
    async exec(text: string) {
      await pool.query(text);
    },
    async close() {
      await pool.end();
    },
  };
}
