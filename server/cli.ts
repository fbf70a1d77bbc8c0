/**
 * `npm run server -- [--demo] [--port N] [--data-dir PATH]`
 * Starts the platform on 127.0.0.1. PostgreSQL when DATABASE_URL is set, otherwise
 * embedded PostgreSQL (PGlite) in the data folder.
 */
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { defaultDataDir } from './data-dir';
import { startPlatform } from './index';

const DEMO_TRAFFIC_MS = 8_000;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      demo: { type: 'boolean', default: false },
      port: { type: 'string', default: '8787' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log('Usage: npm run server -- [--demo] [--port N] [--data-dir PATH]');
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`--port must be 0–65535, got ${values.port}`);
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const dataDir = values['data-dir'] ?? defaultDataDir();
  if (!databaseUrl) mkdirSync(dataDir, { recursive: true });
  const platform = await startPlatform({
    ...(databaseUrl ? { databaseUrl } : { dataDir }),
    host: '127.0.0.1',
    port,
    logger: true,
    expiryIntervalMs: 10_000,
    ...(values.demo ? { demo: { liveTrafficMs: DEMO_TRAFFIC_MS } } : {}),
  });
  console.log(
    `Creator Inbox platform listening on ${platform.url} (${databaseUrl ? 'PostgreSQL' : `PGlite in ${dataDir}`})`,
  );
  if (platform.demoCredentials) {
    const { creator, manager } = platform.demoCredentials;
    console.log(`Demo creator: ${creator.email} / ${creator.password}`);
    console.log(`Demo manager: ${manager.email} / ${manager.password}`);
  }
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    platform.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
