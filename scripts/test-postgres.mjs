/**
 * PostgreSQL for the server's suites under `npm test`: TEST_DATABASE_URL when given; else
 * a throwaway cluster (scripts/pg-cluster.sh) where PostgreSQL's server binaries are
 * installed; else none, and those suites report themselves skipped with the reason
 * (tests/helpers/server.ts#describeWithPostgres).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const clusterScript = fileURLToPath(new URL('./pg-cluster.sh', import.meta.url));

/** A port nothing listens on now, for the cluster (PG_TEST_PORT wins when set). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function cluster(command, env) {
  return spawnSync('bash', [clusterScript, command], { env, encoding: 'utf8' });
}

/**
 * Resolves with `{ url, dataDir, note, stop }`: url is the database to test against (or
 * null), dataDir the cluster's folder when this started one, note says which in one line,
 * stop removes a cluster this started.
 */
export async function providePostgres(env = process.env) {
  if (env.TEST_DATABASE_URL) {
    return { url: env.TEST_DATABASE_URL, dataDir: null, note: 'PostgreSQL: the given TEST_DATABASE_URL', stop() {} };
  }
  const none = (why) => ({
    url: null,
    dataDir: null,
    note: `PostgreSQL: none, its suites are skipped (${why})`,
    stop() {},
  });
  if (process.platform === 'win32') return none('scripts/pg-cluster.sh is for Linux and macOS');
  const bin = cluster('bin', env);
  if (bin.error || bin.status !== 0) return none('no TEST_DATABASE_URL, and no PostgreSQL server binaries found');

  const port = env.PG_TEST_PORT || String(await freePort());
  // A folder given (PG_TEST_DIR) is kept after, for a cluster to reuse; one made here is removed.
  const dir = env.PG_TEST_DIR || mkdtempSync(join(tmpdir(), 'creator-inbox-test-pg-'));
  const clusterEnv = { ...env, PG_TEST_PORT: port, PG_TEST_DIR: dir };
  const stop = () => {
    cluster('stop', clusterEnv);
    if (!env.PG_TEST_DIR) rmSync(dir, { recursive: true, force: true });
  };
  const started = cluster('start', clusterEnv);
  const url = started.stdout?.match(/TEST_DATABASE_URL=(\S+)/)?.[1];
  if (started.status !== 0 || !url) {
    stop();
    throw new Error(`could not start a throwaway PostgreSQL cluster: ${started.stderr || started.stdout}`);
  }
  return {
    url,
    dataDir: dir,
    note: `PostgreSQL: a throwaway cluster on 127.0.0.1:${port} (${bin.stdout.trim()})`,
    stop,
  };
}
