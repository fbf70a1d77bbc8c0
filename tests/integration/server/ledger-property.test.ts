/**
 * Random histories against the real platform: top-ups, sends, accepts, refunds, expiries
 * (by moving the clock), payouts, replays of earlier idempotency keys and two managers
 * racing on one message. After every step, every ledger invariant of the domain notes
 * must hold; a replay of a key still within its day must return the first answer and
 * change nothing (a key older than IDEMPOTENCY_KEY_TTL_MS binds nothing any more).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR_MS } from '../../../shared/message';
import { IDEMPOTENCY_KEY_TTL_MS, type RouteName } from '../../../shared/protocol';
import {
  type ApiResult,
  describeWithPostgres,
  startTestPlatform,
  type TestCreator,
  type TestManager,
  type TestPlatform,
  type TestUser,
} from '../../helpers/server';

type Step =
  | { kind: 'topUp'; fan: number; amount: number }
  | { kind: 'send'; fan: number; creator: number; tier: number }
  | { kind: 'fanTerms'; fan: number; creator: number; terms: 'free' | 'price' | 'clear' }
  | { kind: 'tiers'; creator: number; faster: number }
  | { kind: 'accept'; by: number; message: number }
  | { kind: 'refund'; by: number; message: number }
  | { kind: 'advance'; hours: number }
  | { kind: 'payout'; creator: number; percent: number }
  | { kind: 'replay'; request: number }
  | { kind: 'race'; message: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('topUp' as const), fan: fc.nat(2), amount: fc.integer({ min: 1, max: 9_000 }) }),
  fc.record({ kind: fc.constant('send' as const), fan: fc.nat(2), creator: fc.nat(1), tier: fc.nat(2) }),
  fc.record({ kind: fc.constant('send' as const), fan: fc.nat(2), creator: fc.nat(1), tier: fc.nat(2) }),
  // Pricing (#18): per-fan terms and faster tiers change what a send holds, or that it holds nothing.
  fc.record({
    kind: fc.constant('fanTerms' as const),
    fan: fc.nat(2),
    creator: fc.nat(1),
    terms: fc.constantFrom('free' as const, 'price' as const, 'clear' as const),
  }),
  fc.record({ kind: fc.constant('tiers' as const), creator: fc.nat(1), faster: fc.nat(2) }),
  fc.record({ kind: fc.constant('accept' as const), by: fc.nat(2), message: fc.nat() }),
  fc.record({ kind: fc.constant('refund' as const), by: fc.nat(2), message: fc.nat() }),
  fc.record({ kind: fc.constant('advance' as const), hours: fc.integer({ min: 1, max: 80 }) }),
  fc.record({ kind: fc.constant('payout' as const), creator: fc.nat(1), percent: fc.integer({ min: 1, max: 120 }) }),
  fc.record({ kind: fc.constant('replay' as const), request: fc.nat() }),
  fc.record({ kind: fc.constant('race' as const), message: fc.nat() }),
);

interface World {
  creators: TestCreator[];
  /** Who may act in creator 0's inbox: the owner and two managers with accept + refund. */
  deciders: TestUser[];
  fans: TestUser[];
  messages: string[];
  /** Idempotent requests made so far, with the answer each got. */
  sent: Array<{
    name: RouteName;
    token: string;
    params: Record<string, string>;
    body: unknown;
    key: string;
    answer: ApiResult;
    /** The platform's time when it was sent: the key lapses a day later. */
    at: number;
  }>;
}

let t: TestPlatform;

async function newWorld(): Promise<World> {
  const creators = [
    await t.api.signUpCreator({ price: { minor: 2_500, currency: 'USD' } }),
    await t.api.signUpCreator({ price: { minor: 3_333, currency: 'USD' } }),
  ];
  const owner = creators[0] as TestCreator;
  const managers: TestManager[] = [
    await t.api.signUpManager(owner, ['accept', 'refund']),
    await t.api.signUpManager(owner, ['accept', 'refund']),
  ];
  const fans = [await t.api.signUpFan(), await t.api.signUpFan(), await t.api.signUpFan()];
  return { creators, deciders: [owner, ...managers], fans, messages: [], sent: [] };
}

/** Everything money-shaped a replay must leave untouched. */
async function moneySnapshot(): Promise<unknown> {
  return t.platform.db.query(
    `SELECT (SELECT count(*)::int FROM ledger_transactions) AS transactions,
            (SELECT count(*)::int FROM messages) AS messages,
            (SELECT COALESCE(SUM(balance), 0)::bigint FROM accounts) AS balances,
            (SELECT count(*)::int FROM messages WHERE status = 'pending') AS pending`,
  );
}

async function idempotent(
  world: World,
  name: RouteName,
  token: string,
  params: Record<string, string>,
  body: unknown,
): Promise<ApiResult> {
  const key = crypto.randomUUID();
  const answer = await t.api.call(name, { token, params, body: body as never, idempotencyKey: key });
  expect([200, 402, 403, 404, 409]).toContain(answer.status);
  world.sent.push({ name, token, params, body, key, answer, at: t.clock.now() });
  return answer;
}

async function apply(world: World, s: Step): Promise<void> {
  const pick = <T>(list: readonly T[], index: number): T | undefined => list[index % Math.max(1, list.length)];
  switch (s.kind) {
    case 'topUp': {
      const fan = pick(world.fans, s.fan) as TestUser;
      await idempotent(world, 'topUp', fan.token, {}, { amount: { minor: s.amount, currency: 'USD' } });
      return;
    }
    case 'send': {
      const fan = pick(world.fans, s.fan) as TestUser;
      const creator = pick(world.creators, s.creator) as TestCreator;
      // One of the tiers this fan is offered now: a free pass, a personal price or a public tier.
      const offered = await t.api.ok('myTerms', { token: fan.token, params: { handle: creator.handle } });
      const tier = pick(offered.tiers, s.tier);
      const answer = await idempotent(
        world,
        'sendMessage',
        fan.token,
        { handle: creator.handle },
        { body: 'hi', ...tier },
      );
      if (answer.status === 200) world.messages.push((answer.body as { id: string }).id);
      return;
    }
    case 'accept':
    case 'refund': {
      const message = pick(world.messages, s.message);
      if (!message) return;
      const by = pick(world.deciders, s.by) as TestUser;
      const answer =
        s.kind === 'accept'
          ? await idempotent(world, 'accept', by.token, { messageId: message }, {})
          : await idempotent(world, 'refund', by.token, { messageId: message }, { reason: 'other' });
      // Creator 1's messages belong to another inbox: not found for creator 0's team.
      expect([200, 404, 409]).toContain(answer.status);
      return;
    }
    case 'fanTerms': {
      const fan = pick(world.fans, s.fan) as TestUser;
      const creator = pick(world.creators, s.creator) as TestCreator;
      const params = { inboxId: creator.inboxId, fanId: fan.id };
      const answer =
        s.terms === 'clear'
          ? await idempotent(world, 'clearFanTerms', creator.token, params, undefined)
          : await idempotent(
              world,
              'setFanTerms',
              creator.token,
              params,
              s.terms === 'free' ? { kind: 'free' } : { kind: 'price', price: { minor: 1_234, currency: 'USD' } },
            );
      expect([200, 404]).toContain(answer.status);
      return;
    }
    case 'tiers': {
      const creator = pick(world.creators, s.creator) as TestCreator;
      const fasterTiers = [
        { price: { minor: 9_999, currency: 'USD' }, responseWindowMs: 24 * HOUR_MS },
        { price: { minor: 5_001, currency: 'USD' }, responseWindowMs: 48 * HOUR_MS },
      ].slice(0, s.faster);
      const answer = await idempotent(
        world,
        'updateSettings',
        creator.token,
        { inboxId: creator.inboxId },
        { fasterTiers },
      );
      expect(answer.status).toBe(200);
      return;
    }
    case 'advance':
      t.clock.advance(s.hours * HOUR_MS);
      await t.api.expireDue();
      return;
    case 'payout': {
      const creator = pick(world.creators, s.creator) as TestCreator;
      const balance = await t.api.ok('balance', { token: creator.token, params: { inboxId: creator.inboxId } });
      const available = balance.available.find((m) => m.currency === 'USD')?.minor ?? 0;
      const amount = Math.max(1, Math.floor((available * s.percent) / 100));
      const answer = await idempotent(
        world,
        'requestPayout',
        creator.token,
        { inboxId: creator.inboxId },
        { amount: { minor: amount, currency: 'USD' } },
      );
      expect(answer.status).toBe(amount <= available ? 200 : 402);
      return;
    }
    case 'replay': {
      const live = world.sent.filter((sent) => t.clock.now() - sent.at < IDEMPOTENCY_KEY_TTL_MS);
      const earlier = pick(live, s.request);
      if (!earlier) return;
      const before = await moneySnapshot();
      const again = await t.api.call(earlier.name, {
        token: earlier.token,
        params: earlier.params,
        body: earlier.body as never,
        idempotencyKey: earlier.key,
      });
      expect(again.status).toBe(earlier.answer.status);
      expect(again.body).toEqual(earlier.answer.body);
      expect(await moneySnapshot()).toEqual(before);
      return;
    }
    case 'race': {
      const message = pick(world.messages, s.message);
      const [a, b] = world.deciders.slice(1) as [TestUser, TestUser];
      if (!message) return;
      const rows = await t.platform.db.query<{ status: string; inbox_id: string }>(
        'SELECT status, inbox_id FROM messages WHERE id = $1',
        [message],
      );
      const wasPending = rows[0]?.status === 'pending' && rows[0]?.inbox_id === world.creators[0]?.inboxId;
      const [ra, rb] = await Promise.all([
        idempotent(world, 'accept', a.token, { messageId: message }, {}),
        idempotent(world, 'refund', b.token, { messageId: message }, { reason: 'other' }),
      ]);
      const wins = [ra, rb].filter((r) => r.status === 200).length;
      expect(wins).toBe(wasPending ? 1 : 0);
      return;
    }
  }
}

function defineProperty(database: 'pglite' | 'postgres'): void {
  beforeAll(async () => {
    t = await startTestPlatform({ database });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('keeps every invariant after every step', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 25 }), async (steps) => {
        const world = await newWorld();
        for (const s of steps) {
          await apply(world, s);
          await t.api.checkInvariants();
        }
      }),
      { numRuns: database === 'pglite' ? 8 : 5, endOnFailure: true },
    );
  }, 120_000);
}

describe('ledger under random histories (PGlite)', () => {
  defineProperty('pglite');
});

// On PostgreSQL the racing managers really run at the same time, on two connections.
describeWithPostgres('ledger under random histories (PostgreSQL)', () => {
  defineProperty('postgres');
});
