/**
 * `npm run server -- [--demo] [--port N] [--data-dir PATH] [--workers N]`
 * Starts the platform on 127.0.0.1. PostgreSQL when DATABASE_URL is set, otherwise
 * embedded PostgreSQL (PGlite) in the data folder. `--workers N` (PostgreSQL only) runs N
 * platform processes sharing the port (node:cluster); they share state through the
 * database alone: feed heads travel by LISTEN/NOTIFY, the expiry job takes turns.
 */
import cluster, { type Worker } from 'node:cluster';
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { defaultDataDir } from './data-dir';
import { openDatabase } from './db/open';
import { demoSetup } from './demo/seed';
import { startPlatform } from './index';

const DEMO_TRAFFIC_MS = 8_000;
const USAGE = 'Usage: npm run server -- [--demo] [--port N] [--data-dir PATH] [--workers N]';
/** Which worker this is (1..N), set by the primary; the demo is seeded by worker 1 only. */
const WORKER_ENV = 'CREATOR_INBOX_WORKER';

interface Options {
  demo: boolean;
  port: number;
  workers: number;
  dataDir: string;
  databaseUrl: string | undefined;
  schema: string | undefined;
}

function readOptions(): Options | null {
  const { values } = parseArgs({
    options: {
      demo: { type: 'boolean', default: false },
      port: { type: 'string', default: '8787' },
      'data-dir': { type: 'string' },
      workers: { type: 'string', default: '1' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return null;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`--port must be 0–65535, got ${values.port}`);
  const workers = Number(values.workers);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64)
    throw new Error(`--workers must be 1–64, got ${values.workers}`);
  const databaseUrl = process.env.DATABASE_URL || undefined;
  if (workers > 1 && !databaseUrl) {
    throw new Error('--workers needs PostgreSQL (set DATABASE_URL): PGlite is one process’s database');
  }
  return {
    demo: values.demo,
    port,
    workers,
    dataDir: values['data-dir'] ?? defaultDataDir(),
    databaseUrl,
    // Lets tests and the load run keep a platform's tables in a schema of their own.
    schema: process.env.DATABASE_SCHEMA || undefined,
  };
}

function onStop(stop: () => void): void {
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** One platform in this process: the whole server, or one worker of several. */
async function runPlatform(options: Options, worker: number | null): Promise<void> {
  if (!options.databaseUrl) mkdirSync(options.dataDir, { recursive: true });
  const platform = await startPlatform({
    ...(options.databaseUrl
      ? { databaseUrl: options.databaseUrl, ...(options.schema ? { schema: options.schema } : {}) }
      : { dataDir: options.dataDir }),
    host: '127.0.0.1',
    port: options.port,
    logger: true,
    expiryIntervalMs: 10_000,
    ...(options.demo && (worker ?? 1) === 1 ? { demo: demoSetup(DEMO_TRAFFIC_MS) } : {}),
  });
  if (worker === null) {
    console.log(
      `Creator Inbox platform listening on ${platform.url} (${options.databaseUrl ? 'PostgreSQL' : `PGlite in ${options.dataDir}`})`,
    );
  }
  if (platform.demoCredentials) {
    const { creator, manager } = platform.demoCredentials;
    console.log(`Demo creator: ${creator.email} / ${creator.password}`);
    console.log(`Demo manager: ${manager.email} / ${manager.password}`);
  }
  let stopping = false;
  onStop(() => {
    if (stopping) return;
    stopping = true;
    platform.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}

/**
 * The primary of `--workers N`: migrates once (so workers do not queue on the migration
 * lock), forks the workers, says where they listen once all do, replaces a worker that
 * dies, and stops them all on SIGINT/SIGTERM.
 */
async function runPrimary(options: Options): Promise<void> {
  const db = await openDatabase({
    databaseUrl: options.databaseUrl as string,
    ...(options.schema ? { schema: options.schema } : {}),
  });
  await db.close();
  let stopping = false;
  const fork = (index: number): Worker => {
    const worker = cluster.fork({ [WORKER_ENV]: String(index) });
    worker.on('exit', (code, signal) => {
      if (stopping) return;
      console.error(`worker ${index} exited (code ${code}, signal ${signal}); starting another`);
      workers.set(index, fork(index));
    });
    return worker;
  };
  const workers = new Map<number, Worker>();
  const listening = new Set<number>();
  let announced = false;
  cluster.on('listening', (worker, address) => {
    const index = [...workers.entries()].find(([, w]) => w === worker)?.[0];
    if (index !== undefined) listening.add(index);
    if (!announced && listening.size === options.workers) {
      announced = true;
      console.log(
        `Creator Inbox platform listening on http://127.0.0.1:${address.port} (PostgreSQL, ${options.workers} workers)`,
      );
    }
  });
  for (let i = 1; i <= options.workers; i++) workers.set(i, fork(i));
  onStop(() => {
    if (stopping) return;
    stopping = true;
    const exits = [...workers.values()].map(
      (worker) =>
        new Promise<number>((resolve) => {
          if (worker.isDead()) return resolve(worker.process.exitCode ?? 0);
          worker.once('exit', (code) => resolve(code ?? 1));
          worker.process.kill('SIGTERM');
        }),
    );
    Promise.all(exits).then((codes) => process.exit(codes.every((c) => c === 0) ? 0 : 1));
  });
}

async function main(): Promise<void> {
  if (cluster.isWorker) {
    const options = readOptions();
    if (options) await runPlatform(options, Number(process.env[WORKER_ENV]));
    return;
  }
  const options = readOptions();
  if (!options) return;
  if (options.workers > 1) await runPrimary(options);
  else await runPlatform(options, null);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
