/**
 * Issue 11's abuse bounds, once for PGlite and once for PostgreSQL (abuse.*.test.ts):
 * live connections capped per session and per user, sign-up and sign-in limited per
 * client address as well as per account (with Retry-After), idempotency keys that lapse
 * after 24 hours and a job that prunes them.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type ErrorBody,
  ErrorBodySchema,
  FEED_EVENTS_PATH,
  IDEMPOTENCY_KEY_TTL_MS,
  PRESENCE_EVENTS_PATH,
  routePath,
} from '../../../../shared/protocol';
import { platformForBlock, startTestPlatform, type TestPlatform } from '../../../helpers/server';

const USD = (minor: number) => ({ minor, currency: 'USD' });

const shaped = (body: unknown) => {
  expect(ErrorBodySchema.strict().safeParse(body).success, JSON.stringify(body)).toBe(true);
  return (body as ErrorBody).error.code;
};

/**
 * A POST from a chosen loopback address (all of 127/8 is loopback on Linux), so one test
 * can be several clients in different places.
 */
function postFrom(
  localAddress: string,
  url: string,
  body: unknown,
): Promise<{ status: number; body: unknown; retryAfter: string | undefined }> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = httpRequest(
      url,
      {
        method: 'POST',
        localAddress,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => {
          const retry = res.headers['retry-after'];
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null, retryAfter: retry });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

export function defineAbuseSuite(database: 'pglite' | 'postgres'): void {
  describe(`live connections are capped (${database})`, () => {
    let t: TestPlatform;
    const streams: AbortController[] = [];
    beforeAll(async () => {
      t = await startTestPlatform({ database, streamLimits: { perSession: 2, perUser: 3 } });
    });
    afterEach(() => {
      for (const stream of streams.splice(0)) stream.abort();
    });
    afterAll(async () => {
      await t?.close();
    });

    /** Opens an event stream and keeps it open; resolves with the answer's status, headers and (if refused) body. */
    async function open(path: string, token: string) {
      const controller = new AbortController();
      streams.push(controller);
      const response = await fetch(new URL(path, t.url), {
        headers: { authorization: `Bearer ${token}` },
        signal: controller.signal,
      });
      const body = response.ok ? null : await response.json();
      return { status: response.status, body, retryAfter: response.headers.get('retry-after'), controller };
    }

    it('refuses a stream past the cap per session and per user with 429 in the error shape, and frees the place when one ends', async () => {
      const owner = await t.api.signUpCreator();
      const feed = routePath(FEED_EVENTS_PATH, { inboxId: owner.inboxId });
      const presence = routePath(PRESENCE_EVENTS_PATH, { inboxId: owner.inboxId });

      const first = await open(feed, owner.token);
      const second = await open(presence, owner.token);
      expect([first.status, second.status]).toEqual([200, 200]);
      // The session's third, on either stream route: refused before any byte of a stream.
      for (const path of [feed, presence]) {
        const third = await open(path, owner.token);
        expect(third.status, path).toBe(429);
        expect(shaped(third.body)).toBe('rate_limited');
        expect(Number(third.retryAfter)).toBeGreaterThan(0);
      }

      // Another session of the same person: one more fits under the user's cap of 3, then no more.
      const again = await t.api.ok('signIn', {
        body: { email: owner.email, password: owner.password, deviceName: 'Second laptop' },
      });
      expect((await open(feed, again.token)).status).toBe(200);
      const overUser = await open(feed, again.token);
      expect(overUser.status).toBe(429);
      expect(shaped(overUser.body)).toBe('rate_limited');

      // Someone else is not held up by this person's streams.
      const other = await t.api.signUpCreator();
      expect((await open(routePath(FEED_EVENTS_PATH, { inboxId: other.inboxId }), other.token)).status).toBe(200);

      // Ending a stream gives its place back (once the server has seen the socket close).
      first.controller.abort();
      let status = 0;
      for (let attempt = 0; attempt < 100 && status !== 200; attempt++) {
        await new Promise((r) => setTimeout(r, 50));
        status = (await open(feed, again.token)).status;
      }
      expect(status).toBe(200);
    });
  });

  describe(`open streams cost one access check per change, not one per stream (${database})`, () => {
    let t: TestPlatform;
    const streams: AbortController[] = [];
    beforeAll(async () => {
      t = await startTestPlatform({ database });
    });
    afterAll(async () => {
      for (const stream of streams) stream.abort();
      await t?.close();
    });

    it('re-checks session and membership for 30 open streams of an inbox with one query when the feed grows', async () => {
      const owner = await t.api.signUpCreator();
      const fan = await t.api.signUpFan();
      await t.api.topUp(fan, USD(100_000));
      const message = await t.api.sendPaidMessage(fan, owner, 'Counting');
      const path = routePath(FEED_EVENTS_PATH, { inboxId: owner.inboxId });
      const { headSeq: head } = await t.api.changes(owner, owner.inboxId, 0, 1);

      // Each stream resolves once it has seen a head past the current one.
      const arrivals: Promise<void>[] = [];
      for (let i = 0; i < 30; i++) {
        const controller = new AbortController();
        streams.push(controller);
        const response = await fetch(new URL(path, t.url), {
          headers: { authorization: `Bearer ${owner.token}` },
          signal: controller.signal,
        });
        expect(response.status).toBe(200);
        const reader = response.body?.pipeThrough(new TextDecoderStream()).getReader();
        if (!reader) throw new Error('no stream body');
        arrivals.push(
          (async () => {
            let buffer = '';
            for (;;) {
              const heads = [...buffer.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
              if (heads.some((h) => h > head)) return;
              const { value, done } = await reader.read();
              if (done) throw new Error('a stream ended before the change reached it');
              buffer += value;
            }
          })(),
        );
      }

      // Count the platform's transactions from the change until every stream has it.
      const services = t.platform.services;
      const transact = services.transact.bind(services);
      let transactions = 0;
      services.transact = ((work) => {
        transactions++;
        return transact(work);
      }) as typeof services.transact;
      try {
        await t.api.ok('triage', { token: owner.token, params: { messageId: message.id }, body: { starred: true } });
        await Promise.all(arrivals);
      } finally {
        services.transact = transact;
      }
      // The triage itself (its transaction, the inbox lookup of its lock lane) and one access
      // check for all 30 streams; one check per stream would be 30 more.
      expect(transactions, `${transactions} transactions`).toBeLessThanOrEqual(4);
    });
  });

  describe(`sign-up and sign-in are rate-limited per address and per account (${database})`, () => {
    let t: TestPlatform;
    beforeAll(async () => {
      t = await startTestPlatform({
        database,
        rateLimits: { authPerAddress: { max: 4, timeWindowMs: 60_000 }, signIn: { max: 3, timeWindowMs: 60_000 } },
      });
    });
    afterAll(async () => {
      await t?.close();
    });

    const signUp = (from: string, name: string) =>
      postFrom(from, new URL('/v1/auth/signup', t.url).href, {
        email: `${name}-${crypto.randomUUID().slice(0, 8)}@example.test`,
        password: 'a-long-password',
        displayName: name,
        kind: 'fan',
      });
    const signIn = (from: string, email: string, password: string) =>
      postFrom(from, new URL('/v1/auth/signin', t.url).href, { email, password, deviceName: 'Laptop' });

    it('refuses the fifth sign-up or sign-in from one address with 429 and Retry-After; other addresses go on', async () => {
      for (let i = 0; i < 4; i++) expect((await signUp('127.0.0.2', `a${i}`)).status).toBe(200);
      const refused = await signUp('127.0.0.2', 'a4');
      expect(refused.status).toBe(429);
      expect(shaped(refused.body)).toBe('rate_limited');
      const retryAfter = Number(refused.retryAfter);
      expect(Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= 60, String(refused.retryAfter)).toBe(true);
      // Sign-ins from that address share the count: guessing many accounts from one place is bounded too.
      const fan = await t.api.signUpFan();
      const signInThere = await signIn('127.0.0.2', fan.email, fan.password);
      expect(signInThere.status).toBe(429);
      expect(signInThere.retryAfter).toBeDefined();
      // Another address is not held up.
      expect((await signUp('127.0.0.3', 'b')).status).toBe(200);
      expect((await signIn('127.0.0.3', fan.email, fan.password)).status).toBe(200);
    });

    it('refuses sign-ins to one account past its limit from wherever they come, with Retry-After', async () => {
      const victim = await t.api.signUpFan();
      const bystander = await t.api.signUpFan();
      // Three wrong guesses from three places: each address is far below its own limit.
      for (const from of ['127.0.0.11', '127.0.0.12', '127.0.0.13']) {
        expect((await signIn(from, victim.email, 'wrong password')).status).toBe(401);
      }
      const fourth = await signIn('127.0.0.14', victim.email, victim.password);
      expect(fourth.status).toBe(429);
      expect(shaped(fourth.body)).toBe('rate_limited');
      expect(Number(fourth.retryAfter)).toBeGreaterThan(0);
      // The address itself is not blocked for other accounts.
      expect((await signIn('127.0.0.14', bystander.email, bystander.password)).status).toBe(200);
    });
  });

  describe(`idempotency keys lapse after 24 hours and a job prunes them (${database})`, () => {
    const t = platformForBlock({ database });

    const balance = async (token: string) =>
      (await t.api.ok('wallet', { token })).balances.find((b) => b.currency === 'USD')?.minor ?? 0;
    const keysOf = async (userId: string) =>
      (
        await t.platform.db.query<{ key: string }>('SELECT key FROM idempotency_keys WHERE user_id = $1 ORDER BY key', [
          userId,
        ])
      ).map((r) => r.key);

    it('replays a key for a day, then takes it as a new request; the job deletes exactly the lapsed keys', async () => {
      const fan = await t.api.signUpFan();
      const topUp = (key: string, minor: number) =>
        t.api.call('topUp', { token: fan.token, body: { amount: USD(minor) }, idempotencyKey: key });

      const first = await topUp('key-old-one', 100);
      expect(first.status).toBe(200);
      expect(await balance(fan.token)).toBe(100);

      // Just inside the day: the same request is the stored answer; another request is a mismatch.
      t.clock.advance(IDEMPOTENCY_KEY_TTL_MS - 1);
      const replay = await topUp('key-old-one', 100);
      expect(replay.status).toBe(200);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.body).toEqual(first.body);
      expect((await topUp('key-old-one', 200)).status).toBe(422);
      expect(await balance(fan.token)).toBe(100);
      const young = await topUp('key-young-one', 1);
      expect(young.status).toBe(200);

      // A day after it was claimed the key binds nothing, whether or not the job ran yet.
      t.clock.advance(1);
      const anew = await topUp('key-old-one', 200);
      expect(anew.status).toBe(200);
      expect(anew.headers.get('idempotent-replayed')).toBeNull();
      expect(await balance(fan.token)).toBe(301);
      expect(await keysOf(fan.id)).toEqual(['key-old-one', 'key-young-one']);

      // A day after the young key (and after the renewed old key's day), the job removes both; nothing younger.
      t.clock.advance(IDEMPOTENCY_KEY_TTL_MS - 2);
      expect((await topUp('key-newest', 1)).status).toBe(200);
      t.clock.advance(1);
      expect(await t.platform.pruneIdempotencyKeys()).toBeGreaterThanOrEqual(1);
      expect(await keysOf(fan.id)).toEqual(['key-newest', 'key-old-one']);
      t.clock.advance(1);
      await t.platform.pruneIdempotencyKeys();
      expect(await keysOf(fan.id)).toEqual(['key-newest']);
      const rows = await t.platform.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM idempotency_keys WHERE created_at <= $1',
        [t.clock.now() - IDEMPOTENCY_KEY_TTL_MS],
      );
      expect(rows[0]?.n).toBe(0);
      await t.api.checkInvariants();
    });
  });
}
