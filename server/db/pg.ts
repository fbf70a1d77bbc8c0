import { createHash } from 'node:crypto';
import pg from 'pg';
import { withArrayLiterals } from './array-literal';
import { type Database, isRetryable, parseInt8, pipelined, type Sql, type TxSql } from './database';

const INT8_OID = 20;
const MAX_ATTEMPTS = 5;
/** application_name of each process's one LISTEN connection (followed by the schema, if any). */
export const LISTENER_APP_NAME = 'creator-inbox-listener';
/** application_name of each process's one connection for reads that must not queue (`Database.aside`). */
export const ASIDE_APP_NAME = 'creator-inbox-aside';
/** Connections in a process's pool unless `openPg` is told otherwise. */
export const DEFAULT_POOL_SIZE = 10;

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
  options: { schema?: string; max?: number; maxNamedStatements?: number } = {},
): Promise<Database> {
  if (options.schema && !/^[a-z_][a-z0-9_]*$/.test(options.schema))
    throw new Error(`Invalid schema name ${options.schema}`);
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? DEFAULT_POOL_SIZE,
    // Kept for the process's life, however long idle (the driver closes them after 10 s). A
    // new connection costs a backend's start, its catalog caches and every prepared statement
    // parsed again, and the first requests of a burst after a quiet spell paid for it: in the
    // load run, connections closed during the one-inbox phase were opened again by the next
    // phase's first accepts, its slowest (docs/scaling.md §2). Bounded by `max` all the same.
    idleTimeoutMillis: 0,
    // Statements sent before the previous one answered go out at once (see TxSql).
    pipeline: true,
    types: typeParsers(),
    // The schema is set by the server at connect time, so every connection of the pool uses it.
    ...(options.schema ? { options: `-c search_path=${options.schema},public` } : {}),
  });
  if (options.schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${options.schema}`);
  // Connections idle in the pool can be dropped by the server; a pool error must not crash us.
  pool.on('error', () => undefined);

  const prepared = preparedStatements(options.maxNamedStatements ?? MAX_NAMED_STATEMENTS);
  const onClient = (client: pg.PoolClient | pg.Pool): Sql => ({
    async query<Row>(text: string, params?: readonly unknown[]) {
      const result = await client.query(prepared(text, params));
      return result.rows as Row[];
    },
  });

  const aside = asideConnection({
    connectionString,
    types: typeParsers(),
    application_name: `${ASIDE_APP_NAME}${options.schema ? ` ${options.schema}` : ''}`,
    // Checks of several inboxes asked in one tick go out together, not one after another.
    pipeline: true,
    ...(options.schema ? { options: `-c search_path=${options.schema},public` } : {}),
  });

  return {
    dialect: 'pg',
    ...onClient(pool),
    aside: {
      async query<Row>(text: string, params?: readonly unknown[]) {
        const result = await (await aside.client()).query(prepared(text, params));
        return result.rows as Row[];
      },
    },
    async transaction<T>(fn: (tx: TxSql) => Promise<T>): Promise<T> {
      for (let attempt = 1; ; attempt++) {
        const client = await pool.connect();
        const run = oneWritePerTick(client, prepared);
        const tx = pipelined(async (text, params) => (await run(text, params)).rows);
        try {
          // BEGIN goes out with the first statement, in the same write.
          tx.send('BEGIN');
          const result = await fn(tx);
          // COMMIT goes out behind the statements still in flight; if one of them failed,
          // PostgreSQL answers it with ROLLBACK, and flush reports why.
          const committed = run('COMMIT').then(
            (r) => r.command,
            (error: unknown) => error,
          );
          await tx.flush();
          const outcome = await committed;
          if (outcome !== 'COMMIT') throw outcome instanceof Error ? outcome : new Error(`COMMIT answered ${outcome}`);
          return result;
        } catch (error) {
          await tx.flush().catch(() => undefined);
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
      await Promise.all([pool.end(), aside.close()]);
    },
  };
}

/**
 * One connection kept apart from the pool, opened when first asked for; a broken one is
 * forgotten (its queries fail: the caller decides what a failed read means) and the next
 * request opens another.
 */
function asideConnection(config: pg.ClientConfig) {
  let current: Promise<pg.Client> | null = null;
  let closed = false;
  const open = (): Promise<pg.Client> => {
    const client = new pg.Client(config);
    const ready = client.connect().then(() => client);
    const forget = () => {
      if (current === ready) current = null;
    };
    client.on('error', forget);
    client.on('end', forget);
    ready.catch(forget);
    return ready;
  };
  return {
    client(): Promise<pg.Client> {
      if (closed) return Promise.reject(new Error('The database is closed'));
      current ??= open();
      return current;
    },
    async close() {
      closed = true;
      const client = await current?.catch(() => null);
      current = null;
      await client?.end().catch(() => undefined);
    },
  };
}

/**
 * The client's queries, with everything sent in one tick of the event loop leaving in one
 * socket write: the driver writes each pipelined statement on its own, and under load a
 * write costs about as much CPU as the statement's own work in this process.
 */
function oneWritePerTick(
  client: pg.PoolClient,
  prepared: Prepared,
): (text: string, params?: readonly unknown[]) => Promise<pg.QueryResult> {
  // The driver's socket; not part of its typed API, so used only if it is there.
  const stream = (client as unknown as { connection?: { stream?: { cork?(): void; uncork?(): void } } }).connection
    ?.stream;
  let corked = false;
  return async (text, params) => {
    if (!corked && stream?.cork && stream.uncork) {
      corked = true;
      stream.cork();
      process.nextTick(() => {
        corked = false;
        stream.uncork?.();
      });
    }
    return client.query(prepared(text, params));
  };
}

type Prepared = (text: string, params?: readonly unknown[]) => pg.QueryConfig;

/** Distinct statements named per process; past this, statements run unnamed (a bound on each connection's memory). */
const MAX_NAMED_STATEMENTS = 1_000;

/**
 * Names every statement that has parameters, so each connection parses it once and
 * PostgreSQL can keep its plan (a generic plan, after five runs, where that plan costs no
 * more than the ones it would make per call). Profiled under the accept load, parsing,
 * analysing and planning were about a third of PostgreSQL's CPU: these statements are
 * short and run thousands of times. The name is the text's hash, so one text always has
 * one name, on every connection; a statement with no parameters (BEGIN, COMMIT, DDL) stays
 * unnamed, as the simple protocol sends it. Array parameters are written as their literals
 * here, not by the driver (array-literal.ts says why).
 */
function preparedStatements(limit: number): Prepared {
  const names = new Map<string, string>();
  return (text, params) => {
    if (params === undefined) return { text };
    const values = withArrayLiterals(params);
    let name = names.get(text);
    if (name === undefined && names.size < limit) {
      name = `ci_${createHash('sha1').update(text).digest('base64url')}`;
      names.set(text, name);
    }
    return name === undefined ? { text, values } : { name, text, values };
  };
}
