/**
 * Demo and load data: the demo world goes through the same services as the routes, is
 * deterministic and idempotent, keeps sending paid DMs; bulk data keeps the books and the
 * feed consistent. Also the rate limits, which need a platform of their own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedBulk } from '../../../server/demo/bulk';
import { seedDemo } from '../../../server/demo/seed';
import { scryptHasher } from '../../../server/services/accounts';
import { type Change, ChangesPageSchema, type ErrorBody } from '../../../shared/protocol';
import { startTestPlatform, type TestPlatform } from '../../helpers/server';

describe('demo platform', () => {
  let t: TestPlatform;
  // Seeding ninety days of demo history through the real services takes a while on a busy machine.
  beforeAll(async () => {
    t = await startTestPlatform({ demo: { liveTrafficMs: 100 } });
  }, 180_000);
  afterAll(async () => {
    await t?.close();
  });

  it('seeds creators in several currencies, a manager, and messages in every state', async () => {
    const credentials = t.platform.demoCredentials;
    expect(credentials?.creator.email).toBe('creator@demo.creatorinbox.test');
    const creator = await t.api.ok('signIn', {
      body: {
        email: credentials?.creator.email ?? '',
        password: credentials?.creator.password ?? '',
        deviceName: 'Demo',
      },
    });
    const manager = await t.api.ok('signIn', {
      body: {
        email: credentials?.manager.email ?? '',
        password: credentials?.manager.password ?? '',
        deviceName: 'Demo',
      },
    });
    const me = await t.api.ok('me', { token: manager.token });
    expect(me.memberships).toEqual([expect.objectContaining({ handle: 'layla', role: 'manager' })]);

    const inboxId = (await t.api.ok('me', { token: creator.token })).memberships[0]?.inboxId ?? '';
    const changes = await t.api.feed(creator, inboxId);
    const latest = new Map<string, Change>();
    for (const change of changes) if (change.kind === 'message') latest.set(change.data.id, change);
    const statuses = new Set([...latest.values()].map((c) => (c.kind === 'message' ? c.data.status : null)));
    expect([...statuses].sort()).toEqual(['accepted', 'expired', 'pending', 'refunded']);
    const bodies = [...latest.values()].map((c) => (c.kind === 'message' ? c.data.body : ''));
    expect(bodies.some((b) => /[\u0600-\u06ff]/.test(b))).toBe(true);
    expect(bodies.some((b) => /^[\x20-\x7e’—]+$/.test(b))).toBe(true);

    // A demo that feels real: months of history, prices raised over time, labels,
    // assignments, money at risk today, and payouts along the way.
    const messages = [...latest.values()].flatMap((c) => (c.kind === 'message' ? [c.data] : []));
    expect(messages.length).toBeGreaterThanOrEqual(150);
    const paid = messages.map((m) => m.paidAt);
    expect(Math.max(...paid) - Math.min(...paid)).toBeGreaterThan(80 * 24 * 3_600_000);
    expect(new Set(messages.map((m) => m.price.minor)).size).toBeGreaterThanOrEqual(3);
    const triage = new Map<string, Change>();
    for (const change of changes) if (change.kind === 'triage') triage.set(change.data.messageId, change);
    const triaged = [...triage.values()].flatMap((c) => (c.kind === 'triage' ? [c.data] : []));
    expect(new Set(triaged.flatMap((x) => x.labels)).size).toBeGreaterThanOrEqual(3);
    expect(triaged.some((x) => x.assigneeId !== null)).toBe(true);
    const dueIn24h = messages.filter((m) => m.status === 'pending' && m.deadline - Date.now() < 24 * 3_600_000);
    expect(dueIn24h.length).toBeGreaterThan(0);
    const payouts = changes.filter((c) => c.kind === 'ledger' && c.data.kind === 'payout');
    expect(payouts.length).toBeGreaterThanOrEqual(2);

    const currencies = new Set<string>();
    for (const handle of ['layla', 'kenji', 'omar', 'elena']) {
      currencies.add((await t.api.ok('publicProfile', { params: { handle } })).price.currency);
    }
    expect(currencies.size).toBeGreaterThanOrEqual(3);
    await t.api.checkInvariants();
  });

  it('seeds only once, and keeps sending new paid DMs', async () => {
    const count = async () =>
      (await t.platform.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users'))[0]?.n ?? 0;
    const users = await count();
    await seedDemo(t.platform.services, scryptHasher);
    expect(await count()).toBe(users);

    const messages = async () =>
      (await t.platform.db.query<{ n: number }>('SELECT count(*)::int AS n FROM messages'))[0]?.n ?? 0;
    const before = await messages();
    await expect.poll(messages, { timeout: 10_000, interval: 100 }).toBeGreaterThan(before);
    await t.api.checkInvariants();
  });
});

describe('bulk seeding', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await startTestPlatform();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('writes messages with a consistent ledger and a feed a client can page through', async () => {
    const result = await seedBulk(t.platform, { messages: 1_200, fans: 40, chunkSize: 500 });
    expect(result).toMatchObject({ messages: 1_200, fans: 40 });
    await t.api.checkInvariants();
    const session = await t.api.ok('signIn', {
      body: { email: result.creator.email, password: result.creator.password, deviceName: 'Bench' },
    });
    const seen = new Map<string, string>();
    let kinds = new Set<string>();
    for (let after = 0; ; ) {
      const page = ChangesPageSchema.parse(
        await t.api.ok('changes', {
          token: session.token,
          params: { inboxId: result.inboxId },
          query: { after, limit: 1_000 },
        }),
      );
      for (const change of page.changes) {
        if (change.kind === 'message') seen.set(change.data.id, change.data.status);
      }
      kinds = new Set([...kinds, ...page.changes.map((c) => c.kind)]);
      expect(page.headSeq).toBe(result.feedHead);
      after = page.nextAfter;
      if (!page.hasMore) break;
    }
    expect(seen.size).toBe(1_200);
    const statuses = [...seen.values()];
    expect(statuses.filter((s) => s === 'pending')).toHaveLength(240);
    expect(new Set(statuses)).toEqual(new Set(['pending', 'accepted', 'refunded', 'expired']));
    expect([...kinds].sort()).toEqual(['fan', 'ledger', 'member', 'message', 'reply', 'settings', 'triage']);
    // The bulk inbox behaves like any other: its pending messages can be accepted.
    const pending = [...seen.entries()].find(([, s]) => s === 'pending')?.[0] ?? '';
    const accepted = await t.api.call('accept', { token: session.token, params: { messageId: pending }, body: {} });
    expect(accepted.status).toBe(200);
    await t.api.checkInvariants();
  });
});

describe('rate limits', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await startTestPlatform({
      rateLimits: { signIn: { max: 3, timeWindowMs: 60_000 }, sendMessage: { max: 2, timeWindowMs: 60_000 } },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('slows down repeated sign-ins to one account and message sends with rate_limited', async () => {
    const fan = await t.api.signUpFan();
    const attempt = () =>
      t.api.call('signIn', { body: { email: fan.email, password: 'wrong password', deviceName: 'x' } });
    for (let i = 0; i < 3; i++) expect((await attempt()).status).toBe(401);
    const limited = await attempt();
    expect(limited.status).toBe(429);
    expect((limited.body as unknown as ErrorBody).error.code).toBe('rate_limited');
    // Counted per account: someone else signing in from the same address is not held up.
    const other = await t.api.signUpFan();
    const otherSignIn = await t.api.call('signIn', {
      body: { email: other.email, password: other.password, deviceName: 'x' },
    });
    expect(otherSignIn.status).toBe(200);

    const creator = await t.api.signUpCreator();
    await t.api.topUp(fan, { minor: 10_000, currency: 'USD' });
    const send = () => t.api.send(fan, creator, 'hi');
    expect((await send()).status).toBe(200);
    expect((await send()).status).toBe(200);
    const third = await send();
    expect(third.status).toBe(429);
    expect((third.body as unknown as ErrorBody).error.code).toBe('rate_limited');
  });
});

describe('demo seeding guard', () => {
  it('never writes the demo accounts (public passwords) into a database that holds anyone else', async () => {
    const t = await startTestPlatform();
    try {
      await t.api.signUpFan({ email: 'someone-real@example.test' });
      await expect(seedDemo(t.platform.services, scryptHasher)).rejects.toThrow(/Refusing to seed the demo/);
      const demo = await t.platform.db.query(`SELECT email FROM users WHERE email LIKE '%@demo.creatorinbox.test'`);
      expect(demo).toEqual([]);
    } finally {
      await t.close();
    }
  }, 120_000);
});
