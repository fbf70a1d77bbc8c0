import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EarningsSummarySchema } from '../../../shared/contract';
import { type CoreHarness, startCore } from '../../fixtures/core/core';
import { waitFor } from '../../fixtures/core/proxy';
import {
  clockOf,
  closeSoon,
  startTestPlatform,
  type TestCreator,
  type TestPlatform,
  type TestUser,
} from '../../helpers/server';

/**
 * The whole path as the app runs it: the real core (its sync engine and outbox) against
 * the real platform on loopback, every call through dispatchCall like the transports.
 * Accept and refund through the outbox; the earnings move only when the platform confirms.
 */
let platform: TestPlatform;
let creator: TestCreator;
let fan: TestUser;
const USD = (minor: number) => ({ minor, currency: 'USD' as const });

beforeAll(async () => {
  platform = await startTestPlatform();
  creator = await platform.api.signUpCreator({ price: USD(4000) });
  fan = await platform.api.signUpFan({ displayName: 'Omar Fan' });
  await platform.api.topUp(fan, USD(1_000_000));
});
afterAll(() => closeSoon(platform), 20_000);

describe('earnings through the real core', () => {
  it('accept and refund through the outbox move the figures by exactly the right amounts', async () => {
    const h: CoreHarness = await startCore({ clock: clockOf(platform) });
    try {
      const accepted = await platform.api.sendPaidMessage(fan, creator, 'First question');
      const refunded = await platform.api.sendPaidMessage(fan, creator, 'Second question');
      const account = await h.signIn(platform.url, creator);
      const input = {
        accountId: account.id,
        inboxId: creator.inboxId,
        period: { kind: '7d' as const },
        timeZone: 'Asia/Riyadh',
      };
      const summary = async () => EarningsSummarySchema.parse(await h.call('earnings.summary', input));
      await waitFor(async () => (await summary()).currencies[0]?.held.count === 2, 'bootstrap');
      const before = await summary();

      await h.call('actions.submit', { accountId: account.id, messageId: accepted.id, action: { kind: 'accept' } });
      await h.call('actions.submit', {
        accountId: account.id,
        messageId: refunded.id,
        action: { kind: 'refund', reason: 'cannot_answer' },
      });
      await waitFor(async () => (await h.call('outbox.list', { accountId: account.id })).length === 0, 'outbox sent');
      await waitFor(async () => (await summary()).currencies[0]?.held.count === 0, 'ledger synced');
      const after = await summary();
      const usdBefore = before.currencies[0];
      const usd = after.currencies[0];
      expect(usd?.accepted.gross.minor).toBe((usdBefore?.accepted.gross.minor ?? 0) + 4000);
      expect(usd?.accepted.fee.minor).toBe((usdBefore?.accepted.fee.minor ?? 0) + 400);
      expect(usd?.accepted.net.minor).toBe((usdBefore?.accepted.net.minor ?? 0) + 3600);
      expect(usd?.refunded).toEqual({ count: 1, amount: USD(4000) });
      expect(usd?.available).toEqual(USD(3600));
      expect(after.waitingToSync.every((w) => w.accepts.count + w.refunds.count === 0)).toBe(true);

      const series = await h.call('earnings.series', { ...input, granularity: 'day' });
      expect(series.currencies[0]?.net.reduce((a, b) => a + b, 0)).toBe(3600);

      const started = await h.call('earnings.exportStart', input);
      let csv = '';
      for (;;) {
        const next = await h.call('earnings.exportNext', { accountId: account.id, exportId: started.exportId });
        csv += next.chunk;
        if (next.done) break;
      }
      expect(csv.startsWith('\uFEFFentry_id,time,type,')).toBe(true);
      expect(csv).toContain(',capture,');
      expect(csv.match(/\+03:00,/g)?.length).toBe(started.totalRows);

      await expect(h.call('earnings.summary', { ...input, timeZone: 'Mars/Olympus' })).rejects.toMatchObject({
        code: 'invalid_input',
      });
    } finally {
      await h.close();
    }
  });
});
