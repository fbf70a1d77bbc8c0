import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { loadPostgres } from '../../load/postgres';

/** tests/load/postgres.ts: the PostgreSQL `npm run load` measures against. */

/** The port the load's cluster always took until 2026-12-06. */
const OLD_FIXED_PORT = 55697;

const serverBinaries =
  process.platform !== 'win32' &&
  spawnSync('bash', [join(__dirname, '../../../scripts/pg-cluster.sh'), 'bin']).status === 0;

/** Holds `port` on 127.0.0.1 while `work` runs (if something else holds it already, it stays taken by that). */
async function whileTaken<T>(port: number, work: () => Promise<T>): Promise<T> {
  const holder: Server | null = await new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(null));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
  try {
    return await work();
  } finally {
    await new Promise<void>((resolve) => (holder ? holder.close(() => resolve()) : resolve()));
  }
}

/** What the run is given, without anything a load setting or the test suites' own database would add. */
const bare = (): NodeJS.ProcessEnv => {
  const env = { ...process.env };
  for (const name of ['LOAD_DATABASE_URL', 'LOAD_PG_PORT', 'LOAD_PG_DIR', 'PG_TEST_PORT', 'PG_TEST_DIR'])
    delete env[name];
  return env;
};

describe("the load run's PostgreSQL", () => {
  it('uses LOAD_DATABASE_URL as given, starting nothing', async () => {
    const given = await loadPostgres({ ...bare(), LOAD_DATABASE_URL: 'postgres://db.invalid/load' });
    expect(given.url).toBe('postgres://db.invalid/load');
    expect(given.dataDir).toBeNull();
  });

  it.skipIf(!serverBinaries)(
    `starts its own cluster on a free port while its old fixed port is taken, never the suites' database, and removes it after${serverBinaries ? '' : ' (skipped: no PostgreSQL server binaries here)'}`,
    async () => {
      const started = await whileTaken(OLD_FIXED_PORT, () =>
        loadPostgres({ ...bare(), TEST_DATABASE_URL: 'postgres://suites.invalid/postgres' }),
      );
      try {
        expect(started.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
        expect(new URL(started.url ?? '').port).not.toBe(String(OLD_FIXED_PORT));
        expect(existsSync(join(started.dataDir ?? '', 'PG_VERSION'))).toBe(true);
        const client = new pg.Client({ connectionString: started.url ?? '' });
        await client.connect();
        try {
          expect((await client.query('select 2 + 2 as four')).rows).toEqual([{ four: 4 }]);
        } finally {
          await client.end();
        }
      } finally {
        started.stop();
      }
      expect(existsSync(started.dataDir ?? '')).toBe(false);
    },
    120_000,
  );
});
