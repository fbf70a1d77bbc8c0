import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';

/** scripts/test-postgres.mjs: the PostgreSQL that `npm test` gives the server's suites. */
const { providePostgres } = (await import('../../../scripts/test-postgres.mjs' as string)) as {
  providePostgres: (
    env: NodeJS.ProcessEnv,
  ) => Promise<{ url: string | null; dataDir: string | null; note: string; stop: () => void }>;
};

const withoutDatabase = () => {
  const env = { ...process.env };
  delete env.TEST_DATABASE_URL;
  delete env.PG_TEST_PORT;
  delete env.PG_TEST_DIR;
  return env;
};
const serverBinaries =
  process.platform !== 'win32' &&
  spawnSync('bash', [join(__dirname, '../../../scripts/pg-cluster.sh'), 'bin']).status === 0;

describe('PostgreSQL for npm test', () => {
  it('uses TEST_DATABASE_URL as given, starting nothing', async () => {
    const given = await providePostgres({ ...withoutDatabase(), TEST_DATABASE_URL: 'postgres://db.invalid/x' });
    expect(given.url).toBe('postgres://db.invalid/x');
    expect(given.dataDir).toBeNull();
    expect(given.note).toContain('the given TEST_DATABASE_URL');
  });

  // The reason rides in the title only where the test is skipped: a test that ran says nothing of skipping.
  it.skipIf(!serverBinaries)(
    `starts a throwaway cluster when none is given${serverBinaries ? '' : ' (skipped: no PostgreSQL server binaries here)'}`,
    async () => {
      const started = await providePostgres(withoutDatabase());
      expect(started.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
      expect(existsSync(join(started.dataDir ?? '', 'PG_VERSION'))).toBe(true);
      const client = new pg.Client({ connectionString: started.url ?? '' });
      await client.connect();
      try {
        expect((await client.query('select 1 + 1 as two')).rows).toEqual([{ two: 2 }]);
      } finally {
        await client.end();
      }
      started.stop();
      const again = new pg.Client({ connectionString: started.url ?? '' });
      await expect(again.connect()).rejects.toThrow();
      expect(existsSync(started.dataDir ?? '')).toBe(false);
    },
    120_000,
  );

  it.skipIf(!serverBinaries)(
    `keeps a folder it was given (PG_TEST_DIR), stopping its cluster${serverBinaries ? '' : ' (skipped: no PostgreSQL server binaries here)'}`,
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'given-pg-'));
      try {
        const started = await providePostgres({ ...withoutDatabase(), PG_TEST_DIR: dir });
        expect(started.dataDir).toBe(dir);
        started.stop();
        const again = new pg.Client({ connectionString: started.url ?? '' });
        await expect(again.connect()).rejects.toThrow();
        expect(existsSync(join(dir, 'PG_VERSION'))).toBe(true);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    120_000,
  );
});
