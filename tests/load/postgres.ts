/**
 * The PostgreSQL a load run measures (#16): LOAD_DATABASE_URL as given, else a throwaway
 * cluster started the way `npm test` starts its own (scripts/test-postgres.mjs): on a port
 * free at that moment unless LOAD_PG_PORT names one, in a folder of its own unless
 * LOAD_PG_DIR names one, stopped (and its own folder removed) by `stop`.
 *
 * Until 2026-12-06 the cluster took port 55697 unless told otherwise. That port lies in
 * Linux's range for outgoing connections (32768–60999), and a load run opens thousands of
 * them: once, a connection of an earlier run still held the port, and PostgreSQL could not
 * listen on it (load-postgres.test.ts).
 */
export interface LoadPostgres {
  /** The database to measure against; null when there is none (no LOAD_DATABASE_URL, no server binaries). */
  url: string | null;
  /** The cluster's folder when this started one (its postmaster.pid says whose CPU is PostgreSQL's). */
  dataDir: string | null;
  /** One line saying which PostgreSQL this is. */
  note: string;
  stop(): void;
}

type ProvidePostgres = (env: NodeJS.ProcessEnv) => Promise<LoadPostgres>;

export async function loadPostgres(env: NodeJS.ProcessEnv = process.env): Promise<LoadPostgres> {
  const { providePostgres } = (await import('../../scripts/test-postgres.mjs' as string)) as {
    providePostgres: ProvidePostgres;
  };
  // The test suites' own settings never pick the load's database: a load run writes a great deal.
  const { TEST_DATABASE_URL: _url, PG_TEST_PORT: _port, PG_TEST_DIR: _dir, ...rest } = env;
  return providePostgres({
    ...rest,
    ...(env.LOAD_DATABASE_URL ? { TEST_DATABASE_URL: env.LOAD_DATABASE_URL } : {}),
    ...(env.LOAD_PG_PORT ? { PG_TEST_PORT: env.LOAD_PG_PORT } : {}),
    ...(env.LOAD_PG_DIR ? { PG_TEST_DIR: env.LOAD_PG_DIR } : {}),
  });
}
