/**
 * Money limits per manager (issue 17), over HTTP, once for PGlite and once for PostgreSQL
 * (limits.*.test.ts): the owner sets them, the platform refuses what passes them with a
 * refusal that names the limit, and a refusal changes nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../../../shared/protocol';
import { platformForBlock, type TestCreator, type TestUser } from '../../../helpers/server';

const USD = (minor: number) => ({ minor, currency: 'USD' });
const HOUR_MS = 3_600_000;
const error = (body: unknown) => (body as ErrorBody).error;

export function defineLimitsSuite(database: 'pglite' | 'postgres'): void {
  const t = platformForBlock({ database });
  let owner: TestCreator;
  let fan: TestUser;
  beforeAll(async () => {
    owner = await t.api.signUpCreator({ displayName: 'Nour', price: USD(8_000) });
    fan = await t.api.signUpFan({ displayName: 'Layla' });
    await t.api.topUp(fan, USD(10_000_000));
  });

  const send = async () => (await t.api.sendPaidMessage(fan, owner, 'A question', { fund: false })).id;
  const setLimits = (userId: string, body: { maxPrice: unknown; dailyRefund: unknown }, token = owner.token) =>
    t.api.call('setLimits', {
      token,
      params: { inboxId: owner.inboxId, userId },
      body: body as never,
    });
  const status = async (messageId: string) => t.api.messageStatus(fan, messageId);

  describe(`money limits per manager (${database})`, () => {
    it('refuses a manager accepting or refunding above their largest price, naming the limit; the owner is never limited', async () => {
      const sara = await t.api.signUpManager(owner, ['accept', 'refund']);
      const set = await setLimits(sara.id, { maxPrice: USD(5_000), dailyRefund: null });
      expect(set.status).toBe(200);
      expect(set.body).toMatchObject({ userId: sara.id, limits: { maxPrice: USD(5_000), dailyRefund: null } });

      const message = await send();
      const ledgerBefore = await t.api.ok('ledger', { token: owner.token, params: { inboxId: owner.inboxId } });
      const accept = await t.api.accept(sara, message);
      expect(accept.status).toBe(403);
      expect(error(accept.body).code).toBe('forbidden');
      expect(error(accept.body).message).toContain('up to USD 50.00');
      expect(error(accept.body).details).toMatchObject({ limit: 'max_price', max: USD(5_000), price: USD(8_000) });
      const refund = await t.api.refund(sara, message);
      expect(refund.status).toBe(403);
      expect(error(refund.body).details).toMatchObject({ limit: 'max_price' });
      // Nothing moved: the message waits, the ledger is as it was.
      expect(await status(message)).toBe('pending');
      const ledgerAfter = await t.api.ok('ledger', { token: owner.token, params: { inboxId: owner.inboxId } });
      expect(ledgerAfter.events).toHaveLength(ledgerBefore.events.length);

      // The owner decides it; lifting the limit lets Sara decide the next one.
      expect((await t.api.accept(owner, message)).status).toBe(200);
      expect((await setLimits(sara.id, { maxPrice: null, dailyRefund: null })).status).toBe(200);
      expect((await t.api.accept(sara, await send())).status).toBe(200);
      await t.api.checkInvariants();
    });

    it('refuses a refund that would pass the daily refund total, counts only the last 24 h, and the block refund too', async () => {
      const badr = await t.api.signUpManager(owner, ['accept', 'refund']);
      expect((await setLimits(badr.id, { maxPrice: null, dailyRefund: USD(20_000) })).status).toBe(200);
      const messages = [await send(), await send(), await send()];
      expect((await t.api.refund(badr, messages[0] ?? '')).status).toBe(200);
      expect((await t.api.refund(badr, messages[1] ?? '')).status).toBe(200);
      // 80 + 80 refunded; 80 more would make 240 > 200.
      const third = await t.api.refund(badr, messages[2] ?? '');
      expect(third.status).toBe(403);
      expect(error(third.body).message).toContain('daily refund limit of USD 200.00');
      expect(error(third.body).details).toMatchObject({
        limit: 'daily_refund',
        max: USD(20_000),
        used: USD(16_000),
        price: USD(8_000),
      });
      expect(await status(messages[2] ?? '')).toBe('pending');
      // Accepting is not a refund: the daily total does not stop it.
      expect((await t.api.accept(badr, await send())).status).toBe(200);
      // Blocking the fan with a refund of their pending messages passes the total too: refused whole.
      const block = await t.api.call('block', {
        token: badr.token,
        params: { inboxId: owner.inboxId },
        body: { fanId: fan.id, refundPending: true },
      });
      expect(block.status).toBe(403);
      expect(error(block.body).details).toMatchObject({ limit: 'daily_refund' });
      expect(await status(messages[2] ?? '')).toBe('pending');
      const members = await t.api.ok('members', { token: owner.token, params: { inboxId: owner.inboxId } });
      expect(members.members.find((m) => m.userId === badr.id)).toBeDefined();
      // A day later the window has moved on.
      t.clock.advance(24 * HOUR_MS + 1);
      const fresh = await send();
      expect((await t.api.refund(badr, fresh)).status).toBe(200);
      await t.api.checkInvariants();
    });

    it('only the owner sets limits, only on managers, only in the inbox currency, with bad input refused and nothing changed', async () => {
      const sara = await t.api.signUpManager(owner, ['accept']);
      expect((await setLimits(sara.id, { maxPrice: USD(100), dailyRefund: null }, sara.token)).status).toBe(403);
      expect((await setLimits(owner.id, { maxPrice: USD(100), dailyRefund: null })).status).toBe(409);
      const wrongCurrency = await setLimits(sara.id, { maxPrice: { minor: 100, currency: 'EUR' }, dailyRefund: null });
      expect(wrongCurrency.status).toBe(400);
      expect(error(wrongCurrency.body).message).toContain('(USD)');
      for (const bad of [USD(0), USD(-5), USD(1.5), { minor: 100, currency: 'XXZ' }, '100']) {
        const result = await setLimits(sara.id, { maxPrice: bad, dailyRefund: null });
        expect(result.status, JSON.stringify(bad)).toBe(400);
        expect(error(result.body).code).toBe('invalid_request');
      }
      const members = await t.api.ok('members', { token: owner.token, params: { inboxId: owner.inboxId } });
      expect(members.members.find((m) => m.userId === sara.id)?.limits).toEqual({ maxPrice: null, dailyRefund: null });
      // The change is on the feed and in the audit log.
      expect((await setLimits(sara.id, { maxPrice: USD(3_000), dailyRefund: USD(9_000) })).status).toBe(200);
      const audit = await t.api.ok('audit', { token: owner.token, params: { inboxId: owner.inboxId } });
      expect(audit.entries.some((e) => e.action === 'team.limits' && e.subjectId === sara.id)).toBe(true);
    });
  });
}
