import { hashPassword, verifyPassword } from './auth/password';
import type { Database } from './db/database';
import { openDatabase } from './db/open';
import { createAcceptBatcher } from './http/accept-batch';
import { buildApp, DEFAULT_BODY_LIMIT, INBOX_GATE_WIDTH } from './http/app';
import { createInboxGate } from './http/inbox-gate';
import { DEFAULT_RATE_LIMITS, type RateLimits } from './http/rate-limits';
import { DEFAULT_STREAM_LIMITS, type StreamLimits } from './http/stream-caps';
import { checkLedgerInvariants } from './invariants';
import { startExpiryJob } from './jobs/expiry';
import type { PeriodicJob } from './jobs/periodic';
import { PRUNE_INTERVAL_MS, startPruneJob } from './jobs/prune-keys';
import { type PasswordHasher, scryptHasher } from './services/accounts';
import { type Clock, createServices, FEED_CHANNEL, type Services } from './services/context';

export type { Clock } from './services/context';

export interface PlatformOptions {
  /** PGlite data folder; null = in-memory PGlite. Ignored when databaseUrl is set. */
  dataDir?: string | null;
  /** PostgreSQL through pg. */
  databaseUrl?: string;
  /** With databaseUrl: keep the tables in this schema (tests share one database). */
  schema?: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 = a random free port. */
  port?: number;
  clock?: Clock;
  /** Platform fee in basis points, default 1000 (10 %). */
  feeBps?: number;
  logger?: boolean;
  /**
   * Seed the demo creator/manager/fans (idempotent) and optionally keep sending paid DMs.
   * Given by the caller (server/demo/seed.ts `demoSetup`), so the entry point itself never
   * brings demo seeding into a bundle.
   */
  demo?: DemoSetup;
  /** How often the expiry job looks for deadlines that passed; default 30 s. */
  expiryIntervalMs?: number;
  /** How often lapsed idempotency keys are deleted; default hourly. */
  pruneIntervalMs?: number;
  /** 'fast' lowers the scrypt cost: only for tests, which create hundreds of accounts. */
  passwordHashing?: 'standard' | 'fast';
  checkResponses?: boolean;
  /** Per account, per client address, per session; defaults in http/rate-limits.ts. */
  rateLimits?: Partial<RateLimits>;
  /** Live (server-sent-event) connections per session and per user; defaults in http/stream-caps.ts. */
  streamLimits?: Partial<StreamLimits>;
  bodyLimitBytes?: number;
}

export interface DemoSetup {
  seed(services: Services, hasher: PasswordHasher): Promise<DemoCredentials>;
  liveTraffic(services: Services, everyMs: number, onError: (error: unknown) => void): () => Promise<void>;
  /** 0: no live traffic. */
  liveTrafficMs: number;
}

export interface DemoCredentials {
  creator: { email: string; password: string };
  manager: { email: string; password: string };
}

export interface Platform {
  url: string;
  close(): Promise<void>;
  demoCredentials: DemoCredentials | null;
  /** Runs the expiry job now, after any run in progress; resolves to how many messages expired. */
  runExpiry(): Promise<number>;
  /** Deletes idempotency keys past their day now; resolves to how many went. */
  pruneIdempotencyKeys(): Promise<number>;
  /** The ledger invariants of the domain notes; an empty list means they all hold. */
  checkInvariants(): Promise<string[]>;
  /** How many writes of an inbox hold or wait for a place in its lane (http/inbox-gate.ts): for tests. */
  writesInLane(inboxId: string): number;
  /** How many accepts wait in this process outside any inbox's lane (http/accept-batch.ts `held`): for tests. */
  acceptsHeld(): number;
  /** For seeding and benchmarks in the same process. */
  readonly services: Services;
  readonly db: Database;
}

export const PLATFORM_VERSION = '1.0.0';
export const DEFAULT_FEE_BPS = 1000;

const systemClock: Clock = { now: () => Date.now() };

const fastHasher: PasswordHasher = {
  hash: (password) => hashPassword(password, { N: 2 ** 10, r: 8, p: 1 }),
  verify: verifyPassword,
};

export async function startPlatform(options: PlatformOptions = {}): Promise<Platform> {
  const db = await openDatabase({
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
    ...(options.schema ? { schema: options.schema } : {}),
    dataDir: options.dataDir ?? null,
  });
  const clock = options.clock ?? systemClock;
  const services = createServices(db, clock, options.feeBps ?? DEFAULT_FEE_BPS);
  const hasher = options.passwordHashing === 'fast' ? fastHasher : scryptHasher;
  let expiry: PeriodicJob | null = null;
  let prune: PeriodicJob | null = null;
  let stopTraffic: (() => Promise<void>) | null = null;
  let stopListening: (() => Promise<void>) | null = null;
  let app: Awaited<ReturnType<typeof buildApp>> | null = null;
  const gate = createInboxGate(INBOX_GATE_WIDTH);
  // Accepts waiting in this process, or in one inbox's lane, are committed together.
  const acceptBatcher = createAcceptBatcher(services, gate);
  try {
    app = await buildApp({
      services,
      gate,
      acceptBatcher,
      hasher,
      logger: options.logger ?? false,
      version: PLATFORM_VERSION,
      checkResponses: options.checkResponses ?? false,
      rateLimits: { ...DEFAULT_RATE_LIMITS, ...options.rateLimits },
      streamLimits: { ...DEFAULT_STREAM_LIMITS, ...options.streamLimits },
      bodyLimitBytes: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT,
    });
    const log = app.log;
    // Heads written by other processes sharing the PostgreSQL database reach this one's SSE streams.
    stopListening = db.listen ? await db.listen(FEED_CHANNEL, (payload) => services.hear(payload)) : null;
    expiry = startExpiryJob(services, options.expiryIntervalMs ?? 30_000, (error) =>
      log.error({ err: error }, 'expiry job failed'),
    );
    prune = startPruneJob(services, options.pruneIntervalMs ?? PRUNE_INTERVAL_MS, (error) =>
      log.error({ err: error }, 'idempotency key pruning failed'),
    );
    let demoCredentials: DemoCredentials | null = null;
    const demo = options.demo;
    if (demo) {
      demoCredentials = await demo.seed(services, hasher);
      if (demo.liveTrafficMs > 0)
        stopTraffic = demo.liveTraffic(services, demo.liveTrafficMs, (error) =>
          log.error({ err: error }, 'demo traffic failed'),
        );
    }
    const address = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
    const url = address.replace('[::1]', 'localhost');
    const started = app;
    const job = expiry;
    const pruning = prune;
    let closing: Promise<void> | null = null;
    return {
      url,
      demoCredentials,
      services,
      writesInLane: (inboxId) => gate.queued(inboxId),
      acceptsHeld: () => acceptBatcher.held(),
      db,
      runExpiry: () => job.runNow(),
      pruneIdempotencyKeys: () => pruning.runNow(),
      checkInvariants: () => checkLedgerInvariants(db),
      close() {
        closing ??= (async () => {
          await stopTraffic?.();
          await job.stop();
          await pruning.stop();
          await stopListening?.();
          await started.close();
          await db.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    await stopTraffic?.();
    await expiry?.stop();
    await prune?.stop();
    await stopListening?.();
    await app?.close();
    await db.close();
    throw error;
  }
}
