/**
 * A real platform on loopback for tests: in-memory PGlite (cloned from a migrated
 * template, so well under a second after the first) or, with `database: 'postgres'`,
 * its own schema in TEST_DATABASE_URL. The clock is the test's to move; `api` speaks
 * HTTP to the platform exactly as a client would.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSetup } from '../../server/demo/seed';
import { type Platform, type PlatformOptions, startPlatform } from '../../server/index';
import { authenticate } from '../../server/services/accounts';
import { sendMessage } from '../../server/services/messages';
import type { MessageStatus } from '../../shared/message';
import type {
  Change,
  Message,
  Permission,
  RouteBody,
  RouteName,
  RouteResponse,
  SnapshotLine,
} from '../../shared/protocol';
import { IDEMPOTENCY_HEADER, PERMISSIONS, routePath, routes, SNAPSHOT_CONTENT_TYPE } from '../../shared/protocol';

/** 2026-01-05 12:00 UTC: a Monday, far from day boundaries that daily caps count by. */
export const TEST_EPOCH = Date.UTC(2026, 0, 5, 12, 0, 0);

export interface TestClock {
  now(): number;
  advance(ms: number): number;
  set(ms: number): void;
}

export function createTestClock(start = TEST_EPOCH): TestClock {
  let current = start;
  return {
    now: () => current,
    advance(ms) {
      current += ms;
      return current;
    },
    set(ms) {
      current = ms;
    },
  };
}

export interface ApiResult<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    super(`${what} failed with ${status}: ${JSON.stringify(body)}`);
  }
}

export interface TestUser {
  id: string;
  email: string;
  password: string;
  displayName: string;
  token: string;
}

export interface TestCreator extends TestUser {
  inboxId: string;
  handle: string;
}

export interface TestManager extends TestUser {
  inboxId: string;
  permissions: Permission[];
}

export type TestApi = ReturnType<typeof createApi>;

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}${randomUUID().slice(0, 6)}`;

export function createApi(baseUrl: string, platform: Pick<Platform, 'checkInvariants' | 'runExpiry'>) {
  /** Any request; never throws on an HTTP error status. */
  async function request<T = unknown>(
    method: string,
    path: string,
    options: {
      token?: string | null;
      body?: unknown;
      idempotencyKey?: string | null;
      headers?: Record<string, string>;
    } = {},
  ): Promise<ApiResult<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.idempotencyKey) headers[IDEMPOTENCY_HEADER] = options.idempotencyKey;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(new URL(path, baseUrl), {
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    const text = await response.text();
    // A streamed answer (NDJSON) comes back as the list of its lines' values.
    const streamed = response.ok && (response.headers.get('content-type') ?? '').startsWith(SNAPSHOT_CONTENT_TYPE);
    const body = streamed
      ? text
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => JSON.parse(line) as unknown)
      : text
        ? JSON.parse(text)
        : null;
    return { status: response.status, body: body as T, headers: response.headers };
  }

  /**
   * Opens a server-sent-event stream and reads its first event: the answer is its data
   * (or the refusal), and the stream is closed again.
   */
  async function firstEvent(path: string, token: string | null): Promise<ApiResult> {
    const controller = new AbortController();
    try {
      const response = await fetch(new URL(path, baseUrl), {
        headers: token ? { authorization: `Bearer ${token}` } : {},
        signal: controller.signal,
      });
      if (!response.ok || !response.body) {
        const text = await response.text();
        return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
      }
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const data = /^data: (.*)$/m.exec(buffer.split('\n\n').slice(0, -1).join('\n'));
        if (data?.[1]) return { status: response.status, body: JSON.parse(data[1]), headers: response.headers };
        const { value, done } = await reader.read();
        if (done) throw new Error(`${path}: the stream ended before its first event`);
        buffer += value;
      }
    } finally {
      controller.abort();
    }
  }

  /** Calls a route of the table by name; idempotent routes get a fresh key unless one is given. */
  async function call<N extends RouteName>(
    name: N,
    options: {
      token?: string | null;
      params?: Record<string, string>;
      body?: RouteBody<N>;
      query?: Record<string, string | number>;
      idempotencyKey?: string | null;
    } = {},
  ): Promise<ApiResult<RouteResponse<N>>> {
    const spec = routes[name];
    let path = routePath(spec.path, options.params ?? {});
    if (options.query) {
      path += `?${new URLSearchParams(Object.entries(options.query).map(([k, v]) => [k, String(v)])).toString()}`;
    }
    if ('stream' in spec && spec.stream === 'sse') {
      return (await firstEvent(path, options.token ?? null)) as ApiResult<RouteResponse<N>>;
    }
    const idempotencyKey = spec.idempotent ? (options.idempotencyKey ?? randomUUID()) : null;
    return request<RouteResponse<N>>(spec.method, path, {
      token: options.token ?? null,
      body: options.body,
      idempotencyKey: options.idempotencyKey === null ? null : idempotencyKey,
    });
  }

  /** Like `call`, but throws unless the answer is 200; returns the body. */
  async function ok<N extends RouteName>(
    name: N,
    options: Parameters<typeof call<N>>[1] = {},
  ): Promise<RouteResponse<N>> {
    const result = await call(name, options);
    if (result.status !== 200) throw new ApiFailure(result.status, result.body, name);
    return result.body;
  }

  async function signUp(kind: 'fan' | 'creator', overrides: { displayName?: string; handle?: string; email?: string }) {
    const id = unique();
    const email = overrides.email ?? `${kind}-${id}@example.test`;
    const password = `password-${id}`;
    const displayName = overrides.displayName ?? `${kind === 'fan' ? 'Fan' : 'Creator'} ${id}`;
    const handle = kind === 'creator' ? (overrides.handle ?? `c_${id}`.slice(0, 30).toLowerCase()) : undefined;
    const session = await ok('signUp', {
      body: { email, password, displayName, kind, ...(handle ? { handle } : {}) },
    });
    return { id: session.user.id, email, password, displayName, token: session.token, handle };
  }

  const api = {
    request,
    call,
    ok,
    async signUpFan(overrides: { displayName?: string; email?: string } = {}): Promise<TestUser> {
      const { handle: _handle, ...user } = await signUp('fan', overrides);
      return user;
    },
    async signUpCreator(
      overrides: { displayName?: string; handle?: string; price?: { minor: number; currency: string } } = {},
    ): Promise<TestCreator> {
      const user = await signUp('creator', overrides);
      const me = await ok('me', { token: user.token });
      const inboxId = me.memberships[0]?.inboxId;
      if (!inboxId || !user.handle) throw new Error('A new creator has no inbox');
      if (overrides.price) {
        await ok('updateSettings', { token: user.token, params: { inboxId }, body: { price: overrides.price } });
      }
      return { ...user, handle: user.handle, inboxId };
    },
    /** Invites a new account to the creator's inbox with these permissions and accepts. */
    async signUpManager(creator: TestCreator, permissions: Permission[]): Promise<TestManager> {
      const user = await api.signUpFan({ displayName: `Manager ${unique()}` });
      const invitation = await ok('invite', {
        token: creator.token,
        params: { inboxId: creator.inboxId },
        body: { email: user.email, permissions },
      });
      await ok('acceptInvitation', {
        token: user.token,
        params: { invitationId: invitation.id },
        body: { code: invitation.code },
      });
      return { ...user, inboxId: creator.inboxId, permissions };
    },
    /**
     * One account that manages every one of these inboxes with every permission, each
     * creator signing in (by password: seeded creators have no session here) to invite it.
     */
    async signUpManagerOfAll(
      creators: ReadonlyArray<{ email: string; password: string; inboxId: string }>,
      displayName = `Manager ${unique()}`,
    ): Promise<TestUser & { inboxIds: string[] }> {
      const user = await api.signUpFan({ displayName });
      for (const creator of creators) {
        const session = await ok('signIn', {
          body: { email: creator.email, password: creator.password, deviceName: 'manager invitation' },
        });
        const invitation = await ok('invite', {
          token: session.token,
          params: { inboxId: creator.inboxId },
          body: { email: user.email, permissions: [...PERMISSIONS] },
        });
        await ok('acceptInvitation', {
          token: user.token,
          params: { invitationId: invitation.id },
          body: { code: invitation.code },
        });
      }
      return { ...user, inboxIds: creators.map((c) => c.inboxId) };
    },
    /** The price and response window a fan is shown now: what `sendMessage` must carry. */
    async terms(handle: string): Promise<Pick<RouteBody<'sendMessage'>, 'price' | 'responseWindowMs'>> {
      const profile = await ok('publicProfile', { params: { handle } });
      return { price: profile.price, responseWindowMs: profile.responseWindowMs };
    },
    topUp(fan: TestUser, amount: { minor: number; currency: string }) {
      return ok('topUp', { token: fan.token, body: { amount } });
    },
    /** Tops the fan up with exactly the price when `fund` is set, then pays and sends. */
    /** Sends a message on the creator's current terms: the platform's answer as it came, refusals included. */
    async send(
      fan: TestUser,
      creator: { handle: string },
      body = 'Hello! Could you record a short birthday message for my sister?',
      options: { fund?: boolean; idempotencyKey?: string } = {},
    ) {
      const terms = await api.terms(creator.handle);
      if (options.fund) await api.topUp(fan, terms.price);
      return call('sendMessage', {
        token: fan.token,
        params: { handle: creator.handle },
        body: { body, ...terms },
        ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}),
      });
    },
    /** Sends like `send`, and throws unless the platform took the message. */
    async sendPaidMessage(
      fan: TestUser,
      creator: { handle: string },
      body?: string,
      options: { fund?: boolean; idempotencyKey?: string } = {},
    ): Promise<Message> {
      const result = await api.send(fan, creator, body, options);
      if (result.status !== 200) throw new ApiFailure(result.status, result.body, 'sendMessage');
      return result.body;
    },
    accept(user: TestUser, messageId: string, reply?: string, idempotencyKey?: string) {
      return call('accept', {
        token: user.token,
        params: { messageId },
        body: reply ? { reply } : {},
        ...(idempotencyKey ? { idempotencyKey } : {}),
      });
    },
    refund(
      user: TestUser,
      messageId: string,
      reason: RouteBody<'refund'>['reason'] = 'cannot_answer',
      idempotencyKey?: string,
    ) {
      return call('refund', {
        token: user.token,
        params: { messageId },
        body: { reason },
        ...(idempotencyKey ? { idempotencyKey } : {}),
      });
    },
    async messageStatus(fan: TestUser, messageId: string): Promise<MessageStatus | undefined> {
      const mine = await ok('myMessages', { token: fan.token });
      return mine.messages.find((m) => m.id === messageId)?.status;
    },
    changes(user: TestUser, inboxId: string, after = 0, limit = 500) {
      return ok('changes', { token: user.token, params: { inboxId }, query: { after, limit } });
    },
    /** Every change of the inbox's feed after `after` that `user` may see, page by page to its head. */
    async feed(user: Pick<TestUser, 'token'>, inboxId: string, after = 0): Promise<Change[]> {
      const all: Change[] = [];
      for (let cursor = after; ; ) {
        const page = await ok('changes', {
          token: user.token,
          params: { inboxId },
          query: { after: cursor, limit: 2_000 },
        });
        all.push(...page.changes);
        if (!page.hasMore) return all;
        cursor = page.nextAfter;
      }
    },
    /** The snapshot's lines (begin, entries, chunk marks, end), read to the end of the stream. */
    async snapshot(
      user: TestUser,
      inboxId: string,
      query: { resume?: string; limit?: number; estimate?: 'include' | 'omit' } = {},
    ) {
      const result = await call('snapshot', { token: user.token, params: { inboxId }, query });
      if (result.status !== 200) throw new ApiFailure(result.status, result.body, 'snapshot');
      return result.body as unknown as SnapshotLine[];
    },
    /** Runs the expiry job now (after moving the clock, say). */
    expireDue: () => platform.runExpiry(),
    /** Throws with every broken ledger invariant listed. */
    async checkInvariants(): Promise<void> {
      const problems = await platform.checkInvariants();
      if (problems.length > 0) throw new Error(`Ledger invariants broken:\n${problems.join('\n')}`);
    },
  };
  return api;
}

export interface TestPlatformOptions
  extends Omit<PlatformOptions, 'clock' | 'databaseUrl' | 'dataDir' | 'schema' | 'demo'> {
  /** Seed the demo (server/demo/seed.ts), with live traffic every liveTrafficMs if given. */
  demo?: boolean | { liveTrafficMs?: number };
  /** 'postgres' needs TEST_DATABASE_URL; the platform gets a schema of its own, dropped on close. */
  database?: 'pglite' | 'postgres';
  /** With 'postgres': share another test platform's schema (a second server process on one database). */
  sameDatabaseAs?: TestPlatform;
  /**
   * With 'pglite': keep its files in this folder instead of in memory. In memory PGlite holds
   * ~24 KB per bulk-seeded message (2.4 GB at 100k), so a 1M-message inbox only fits on disk.
   */
  pgliteDir?: string;
  startAt?: number;
}

export interface TestPlatform {
  url: string;
  close(): Promise<void>;
  clock: TestClock;
  api: TestApi;
  platform: Platform;
  /** The PostgreSQL schema, or null on PGlite. */
  schema: string | null;
}

export const testDatabaseUrl = (): string | undefined => process.env.TEST_DATABASE_URL || undefined;

export async function startTestPlatform(options: TestPlatformOptions = {}): Promise<TestPlatform> {
  const { database = 'pglite', startAt, sameDatabaseAs, demo, pgliteDir, ...rest } = options;
  const clock = createTestClock(startAt);
  let schema: string | undefined;
  const databaseUrl = database === 'postgres' ? testDatabaseUrl() : undefined;
  if (database === 'postgres') {
    if (!databaseUrl) throw new Error('TEST_DATABASE_URL is not set: no PostgreSQL to test against');
    schema = sameDatabaseAs?.schema ?? `t_${randomUUID().replaceAll('-', '')}`;
  }
  const ownsSchema = !sameDatabaseAs;
  const platform = await startPlatform({
    passwordHashing: 'fast',
    checkResponses: true,
    // Tests move the clock and call api.expireDue(); a job firing on its own between two
    // assertions would make counts flaky.
    expiryIntervalMs: 24 * 3_600_000,
    pruneIntervalMs: 24 * 3_600_000,
    rateLimits: {
      signIn: { max: 10_000, timeWindowMs: 60_000 },
      authPerAddress: { max: 100_000, timeWindowMs: 60_000 },
      sendMessage: { max: 10_000, timeWindowMs: 60_000 },
    },
    ...rest,
    ...(demo ? { demo: demoSetup(typeof demo === 'object' ? (demo.liveTrafficMs ?? 0) : 0) } : {}),
    clock,
    ...(databaseUrl ? { databaseUrl, schema } : { dataDir: pgliteDir ?? null }),
  });
  return {
    url: platform.url,
    clock,
    platform,
    api: createApi(platform.url, platform),
    schema: schema ?? null,
    async close() {
      await platform.close();
      if (databaseUrl && schema && ownsSchema) {
        const client = new pg.Client({ connectionString: databaseUrl });
        await client.connect();
        try {
          await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        } finally {
          await client.end();
        }
      }
    },
  };
}

/**
 * A platform for the enclosing describe block: started before its tests, closed after them.
 * The object returned stands for that platform once its tests run (read earlier, it throws).
 */
/**
 * A paid message stored without the platform's routes, as one sent through another worker
 * process is: this process has not seen it, so it does not know the message's inbox.
 */
export async function sendUnseen(
  t: TestPlatform,
  fan: TestUser,
  creator: { handle: string },
  body = 'Sent through another process',
): Promise<Message> {
  const terms = await t.api.terms(creator.handle);
  await t.api.topUp(fan, terms.price);
  return t.platform.services.transact(async (tx) => {
    const actor = await authenticate(tx, fan.token);
    if (!actor) throw new Error('the fan has no session');
    return sendMessage(tx, actor, creator.handle, { body, ...terms });
  });
}

export function platformForBlock(options: TestPlatformOptions = {}): TestPlatform {
  let started: TestPlatform | undefined;
  beforeAll(async () => {
    started = await startTestPlatform(options);
  });
  afterAll(async () => {
    await started?.close();
  });
  return new Proxy({} as TestPlatform, {
    get(_, key) {
      if (!started) throw new Error('the test platform is read before the describe block started it');
      return Reflect.get(started, key);
    },
  });
}

/**
 * Platforms sharing one PostgreSQL schema, as `--workers` processes share one database, for
 * the enclosing describe block: started before its tests (the first one owns the schema),
 * closed after them, last first. The list is filled once the block's tests run.
 */
export function platformsOnOneDatabaseForBlock(count: number): TestPlatform[] {
  const platforms: TestPlatform[] = [];
  beforeAll(async () => {
    const first = await startTestPlatform({ database: 'postgres' });
    platforms.push(first);
    for (let i = 1; i < count; i++)
      platforms.push(await startTestPlatform({ database: 'postgres', sameDatabaseAs: first }));
  });
  afterAll(async () => {
    for (const platform of platforms.splice(0).reverse()) await platform.close();
  });
  return platforms;
}

/**
 * A describe block that needs PostgreSQL (TEST_DATABASE_URL; `npm test` starts a throwaway
 * cluster itself where PostgreSQL's server binaries are installed). Without one its tests
 * are reported as skipped, with the reason in the block's name, except where PostgreSQL is
 * required (CREATOR_INBOX_REQUIRE_POSTGRES=1, as .ci/run sets): there its absence fails.
 */
export function describeWithPostgres(name: string, body: () => void): void {
  if (testDatabaseUrl()) {
    describe(name, () => body());
    return;
  }
  if (process.env.CREATOR_INBOX_REQUIRE_POSTGRES === '1') {
    describe(name, () => {
      it('needs PostgreSQL, which is required here (TEST_DATABASE_URL is unset)', () => {
        expect.fail('TEST_DATABASE_URL is unset and CREATOR_INBOX_REQUIRE_POSTGRES=1');
      });
    });
    return;
  }
  describe.skip(`${name} — skipped: ${NO_POSTGRES_REASON}`, () => body());
}

export const NO_POSTGRES_REASON =
  "no PostgreSQL (TEST_DATABASE_URL is unset; npm test starts a throwaway cluster where PostgreSQL's server " +
  'binaries are installed, or: eval "$(bash scripts/pg-cluster.sh start)")';

/** Who most tests against the platform need: a creator, and a fan with money to send. */
export interface TestCast {
  platform: TestPlatform;
  creator: TestCreator;
  fan: TestUser;
}

export async function startCast(
  options: TestPlatformOptions = {},
  names = { creator: 'Layla Creator', fan: 'Omar Fan' },
): Promise<TestCast> {
  const platform = await startTestPlatform(options);
  const creator = await platform.api.signUpCreator({ displayName: names.creator });
  const fan = await platform.api.signUpFan({ displayName: names.fan });
  await platform.api.topUp(fan, { minor: 1_000_000, currency: 'USD' });
  return { platform, creator, fan };
}

/**
 * Closes a test platform, but never hangs the suite on it: its close can wait on a
 * keep-alive socket whose client is long gone, after every core is closed.
 */
export async function closeSoon(platform: TestPlatform | undefined): Promise<void> {
  await Promise.race([platform?.close(), new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
}

/** A core's clock in tests: the platform's test clock, moving with real time in between. */
export function clockOf(platform: TestPlatform): () => number {
  const start = Date.now();
  return () => platform.clock.now() + (Date.now() - start);
}

/** Polls every `ms` until `done`, for at most `maxMs` (then the test's own checks say what is missing). */
export async function until(done: () => boolean, ms = 5, maxMs = 10_000): Promise<void> {
  for (let waited = 0; waited < maxMs && !done(); waited += ms) await new Promise((r) => setTimeout(r, ms));
}

/** The statement a lane's batch locks its messages with (server/http/accept-batch.ts `lockInInbox`): tests count it. */
export const LANE_BATCH_LOCK =
  /m\.id = ANY\(\$1::text\[\]\) AND m\.inbox_id \|\| '' = \$2 ORDER BY m\.id FOR UPDATE OF m/;
