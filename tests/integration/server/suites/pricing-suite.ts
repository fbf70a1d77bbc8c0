/**
 * Pricing by response time (#18), over HTTP, once for PGlite and once for PostgreSQL
 * (pricing.*.test.ts): each tier holds exactly its price and sets exactly its deadline,
 * sends made on terms the creator has since changed are refused with nothing held, and
 * tiers that cannot be offered are refused with nothing changed.
 */
import { describe, expect, it } from 'vitest';
import { HOUR_MS } from '../../../../shared/message';
import { splitFee } from '../../../../shared/money';
import type { ErrorBody } from '../../../../shared/protocol';
import { platformForBlock, type TestCreator, type TestUser } from '../../../helpers/server';

const USD = (minor: number) => ({ minor, currency: 'USD' });
const code = (body: unknown) => (body as ErrorBody).error.code;

/** 72 h for $25 as the standard terms; 24 h for $60 and 48 h for $40 faster. */
const TERMS = {
  price: USD(2_500),
  responseWindowMs: 72 * HOUR_MS,
  fasterTiers: [
    { price: USD(6_000), responseWindowMs: 24 * HOUR_MS },
    { price: USD(4_000), responseWindowMs: 48 * HOUR_MS },
  ],
};

export function definePricingSuite(database: 'pglite' | 'postgres'): void {
  const t = platformForBlock({ database });

  const settings = (creator: TestCreator, body: object) =>
    t.api.call('updateSettings', { token: creator.token, params: { inboxId: creator.inboxId }, body: body as never });
  const storedSettings = (creator: TestCreator) =>
    t.api.ok('getSettings', { token: creator.token, params: { inboxId: creator.inboxId } });

  async function tieredCreator(): Promise<TestCreator> {
    const creator = await t.api.signUpCreator();
    expect((await settings(creator, TERMS)).status).toBe(200);
    return creator;
  }

  describe(`tiers by response time (${database})`, () => {
    it('lists every tier fastest first, and a message in each tier holds exactly its price and gets exactly its deadline', async () => {
      const creator = await tieredCreator();
      const profile = await t.api.ok('publicProfile', { params: { handle: creator.handle } });
      expect(profile.tiers).toEqual([
        { price: USD(6_000), responseWindowMs: 24 * HOUR_MS },
        { price: USD(4_000), responseWindowMs: 48 * HOUR_MS },
        { price: USD(2_500), responseWindowMs: 72 * HOUR_MS },
      ]);

      const fan = await t.api.signUpFan();
      for (const tier of profile.tiers) {
        await t.api.topUp(fan, tier.price);
        const paidAt = t.clock.advance(60_000);
        const message = await t.api.ok('sendMessage', {
          token: fan.token,
          params: { handle: creator.handle },
          body: { body: `Answer within ${tier.responseWindowMs / HOUR_MS} h`, ...tier },
        });
        // The fan's own message comes with its fee split (only members without view_earnings get none).
        if (message.feeBps === null) throw new Error('the sender was sent no fee rate');
        const split = splitFee(tier.price, message.feeBps);
        expect(message.price).toEqual(tier.price);
        expect(message.fee).toEqual(split.fee);
        expect(message.net).toEqual(split.net);
        expect(message.paidAt).toBe(paidAt);
        expect(message.deadline).toBe(paidAt + tier.responseWindowMs);
        // The fan paid exactly the tier's price: the top-up of that amount is all spent.
        expect((await t.api.ok('wallet', { token: fan.token })).balances).toEqual([USD(0)]);
      }
      const balance = await t.api.ok('balance', { token: creator.token, params: { inboxId: creator.inboxId } });
      expect(balance.held).toEqual([USD(6_000 + 4_000 + 2_500)]);
      await t.api.checkInvariants();
    });

    it('refuses a send on terms the creator has changed since, holding nothing', async () => {
      const creator = await tieredCreator();
      const fan = await t.api.signUpFan();
      await t.api.topUp(fan, USD(50_000));
      const [fastest] = (await t.api.ok('publicProfile', { params: { handle: creator.handle } })).tiers;
      if (!fastest) throw new Error('no tier offered');
      const send = () =>
        t.api.call('sendMessage', {
          token: fan.token,
          params: { handle: creator.handle },
          body: { body: 'Fast please', ...fastest },
        });

      await settings(creator, { fasterTiers: [{ price: USD(7_500), responseWindowMs: 24 * HOUR_MS }] });
      const repriced = await send();
      expect(repriced.status).toBe(409);
      expect(repriced.body).toMatchObject({
        error: {
          code: 'terms_changed',
          details: {
            tiers: [
              { price: USD(7_500), responseWindowMs: 24 * HOUR_MS },
              { price: USD(2_500), responseWindowMs: 72 * HOUR_MS },
            ],
          },
        },
      });
      await settings(creator, { fasterTiers: [] });
      expect(code((await send()).body)).toBe('terms_changed');
      // A tier's terms that only match after a change back are accepted again.
      await settings(creator, { fasterTiers: [fastest] });
      expect((await send()).status).toBe(200);
      expect((await t.api.ok('wallet', { token: fan.token })).balances).toEqual([USD(50_000 - 6_000)]);
      expect((await t.api.ok('myMessages', { token: fan.token })).messages).toHaveLength(1);
      await t.api.checkInvariants();
    });

    it('keeps the tiers when a settings change does not name them', async () => {
      const creator = await tieredCreator();
      expect((await settings(creator, { paused: true })).status).toBe(200);
      expect((await storedSettings(creator)).fasterTiers).toEqual(TERMS.fasterTiers);
    });

    it('refuses tiers that cannot be offered, changing nothing', async () => {
      const creator = await tieredCreator();
      const before = await storedSettings(creator);
      const refusals: Array<[string, object]> = [
        ['not faster', { fasterTiers: [{ price: USD(9_000), responseWindowMs: 72 * HOUR_MS }] }],
        ['slower than a new standard window', { responseWindowMs: 36 * HOUR_MS }],
        [
          'a repeated window',
          {
            fasterTiers: [
              { price: USD(9_000), responseWindowMs: 24 * HOUR_MS },
              { price: USD(8_000), responseWindowMs: 24 * HOUR_MS },
            ],
          },
        ],
        [
          'another currency',
          { fasterTiers: [{ price: { minor: 9_000, currency: 'EUR' }, responseWindowMs: 24 * HOUR_MS }] },
        ],
        ['a currency change leaving tiers behind', { price: { minor: 2_500, currency: 'EUR' } }],
        [
          'too many',
          {
            fasterTiers: [1, 2, 3].map((hours) => ({ price: USD(9_000), responseWindowMs: hours * HOUR_MS })),
          },
        ],
        ['a zero price', { fasterTiers: [{ price: USD(0), responseWindowMs: 24 * HOUR_MS }] }],
      ];
      for (const [why, patch] of refusals) {
        const result = await settings(creator, patch);
        expect(result.status, why).toBe(400);
        expect(code(result.body), why).toBe('invalid_request');
      }
      expect(await storedSettings(creator)).toEqual(before);
    });

    it('counts messages of every tier against the daily cap', async () => {
      const creator = await tieredCreator();
      await settings(creator, { dailyCap: 2 });
      const fan = await t.api.signUpFan();
      await t.api.topUp(fan, USD(50_000));
      const tiers = (await t.api.ok('publicProfile', { params: { handle: creator.handle } })).tiers;
      const sendIn = (index: number) => {
        const tier = tiers[index];
        if (!tier) throw new Error(`no tier ${index}`);
        return t.api.call('sendMessage', {
          token: fan.token,
          params: { handle: creator.handle },
          body: { body: `Tier ${index}`, ...tier },
        });
      };
      expect((await sendIn(0)).status).toBe(200);
      expect((await sendIn(2)).status).toBe(200);
      const third = await sendIn(1);
      expect(third.status).toBe(409);
      expect(code(third.body)).toBe('not_accepting');
      await t.api.checkInvariants();
    });
  });

  describe(`per-fan terms (${database})`, () => {
    const termsFor = (creator: TestCreator, fanId: string, terms: object) =>
      t.api.call('setFanTerms', {
        token: creator.token,
        params: { inboxId: creator.inboxId, fanId },
        body: terms as never,
      });
    const ledgerOf = (creator: TestCreator) =>
      t.api.ok('ledger', { token: creator.token, params: { inboxId: creator.inboxId }, query: {} });
    const sendOnMyTerms = async (fan: TestUser, creator: TestCreator, body: string) => {
      const mine = await t.api.ok('myTerms', { token: fan.token, params: { handle: creator.handle } });
      const [tier] = mine.tiers;
      if (!tier) throw new Error('no terms offered');
      return t.api.call('sendMessage', {
        token: fan.token,
        params: { handle: creator.handle },
        body: { body, ...tier },
      });
    };

    it('a free-pass message moves no money, appears in no earnings figure, never expires and can be answered', async () => {
      const creator = await tieredCreator();
      const fan = await t.api.signUpFan();
      const given = await termsFor(creator, fan.id, { kind: 'free' });
      expect(given.status).toBe(200);
      expect((given.body as { terms: unknown }).terms).toEqual({ kind: 'free' });
      const mine = await t.api.ok('myTerms', { token: fan.token, params: { handle: creator.handle } });
      expect(mine).toEqual({ tiers: [{ price: USD(0), responseWindowMs: 72 * HOUR_MS }], personal: 'free' });

      // The fan has no money at all and still writes.
      const sent = await sendOnMyTerms(fan, creator, 'Dinner on Sunday?');
      expect(sent.status).toBe(200);
      const message = sent.body as { id: string; free: boolean; price: unknown; fee: unknown; net: unknown };
      expect(message).toMatchObject({ free: true, price: USD(0), fee: USD(0), net: USD(0) });

      const late = (await sendOnMyTerms(fan, creator, 'And one you will answer late')).body as { id: string };
      t.clock.advance(73 * HOUR_MS);
      await t.api.expireDue();
      expect(await t.api.messageStatus(fan, late.id)).toBe('pending');
      // Past the answer time asked for, it can still be answered.
      expect((await t.api.accept(creator, late.id, 'Sorry for the wait!')).status).toBe(200);
      expect((await t.api.accept(creator, message.id)).status).toBe(200);

      expect(
        (await ledgerOf(creator)).events.filter((e) => e.messageId === message.id || e.messageId === late.id),
      ).toEqual([]);
      const balance = await t.api.ok('balance', { token: creator.token, params: { inboxId: creator.inboxId } });
      expect(balance.available.filter((m) => m.minor !== 0)).toEqual([]);
      expect(balance.held.filter((m) => m.minor !== 0)).toEqual([]);
      expect((await t.api.ok('wallet', { token: fan.token })).balances.filter((m) => m.minor !== 0)).toEqual([]);
      await t.api.checkInvariants();
    });

    it('a personal price wins over the tiers; revoking it brings the tiers back; both are audited', async () => {
      const creator = await tieredCreator();
      const fan = await t.api.signUpFan();
      await t.api.topUp(fan, USD(50_000));
      expect((await termsFor(creator, fan.id, { kind: 'price', price: USD(1_000) })).status).toBe(200);
      const mine = await t.api.ok('myTerms', { token: fan.token, params: { handle: creator.handle } });
      expect(mine).toEqual({ tiers: [{ price: USD(1_000), responseWindowMs: 72 * HOUR_MS }], personal: 'price' });

      // The public tiers are not this fan's terms any more.
      const publicFastest = (await t.api.ok('publicProfile', { params: { handle: creator.handle } })).tiers[0];
      const refused = await t.api.call('sendMessage', {
        token: fan.token,
        params: { handle: creator.handle },
        body: { body: 'Fast one', ...(publicFastest as object) } as never,
      });
      expect(code(refused.body)).toBe('terms_changed');
      const sent = await sendOnMyTerms(fan, creator, 'My own price');
      expect((sent.body as { price: unknown; free: boolean }).price).toEqual(USD(1_000));
      expect((sent.body as { free: boolean }).free).toBe(false);
      expect((await t.api.ok('wallet', { token: fan.token })).balances).toEqual([USD(49_000)]);

      const cleared = await t.api.call('clearFanTerms', {
        token: creator.token,
        params: { inboxId: creator.inboxId, fanId: fan.id },
      });
      expect((cleared.body as { terms: unknown }).terms).toBeNull();
      const back = await t.api.ok('myTerms', { token: fan.token, params: { handle: creator.handle } });
      expect(back).toEqual({
        tiers: (await t.api.ok('publicProfile', { params: { handle: creator.handle } })).tiers,
        personal: null,
      });

      const audit = await t.api.ok('audit', { token: creator.token, params: { inboxId: creator.inboxId }, query: {} });
      const termsEntries = audit.entries.filter((e) => e.action === 'fan.terms').map((e) => e.details);
      expect(termsEntries).toEqual(
        expect.arrayContaining([
          { fanName: fan.displayName, kind: 'price', price: USD(1_000) },
          { fanName: fan.displayName, kind: 'cleared' },
        ]),
      );
      await t.api.checkInvariants();
    });

    it('refuses terms for a member, a non-fan, another currency, or from a manager without manage_fans', async () => {
      const creator = await tieredCreator();
      const fan = await t.api.signUpFan();
      const manager = await t.api.signUpManager(creator, ['accept', 'refund']);
      expect(code((await termsFor(creator, manager.id, { kind: 'free' })).body)).toBe('conflict');
      expect(code((await termsFor(creator, creator.id, { kind: 'free' })).body)).toBe('not_found');
      expect(
        code((await termsFor(creator, fan.id, { kind: 'price', price: { minor: 900, currency: 'EUR' } })).body),
      ).toBe('invalid_request');
      const byManager = await t.api.call('setFanTerms', {
        token: manager.token,
        params: { inboxId: creator.inboxId, fanId: fan.id },
        body: { kind: 'free' },
      });
      expect(byManager.status).toBe(403);
      const allowed = await t.api.signUpManager(creator, ['manage_fans']);
      const byAllowed = await t.api.call('setFanTerms', {
        token: allowed.token,
        params: { inboxId: creator.inboxId, fanId: fan.id },
        body: { kind: 'free' },
      });
      expect(byAllowed.status).toBe(200);
    });
  });
}
