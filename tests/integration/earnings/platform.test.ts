import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEarningsHandlers, type EarningsAccess } from '../../../electron/core/earnings/service';
import { AccountStore } from '../../../electron/core/store/account-store';
import { applyPage } from '../../../electron/core/store/apply';
import { PlatformClient } from '../../../electron/core/sync/http';
import {
  EarningsBreakdownSchema,
  EarningsSeriesSchema,
  EarningsSummarySchema,
} from '../../../shared/contract/earnings';
import { startTestPlatform, type TestCreator, type TestPlatform, type TestUser } from '../../helpers/server';

/**
 * The earnings calls over a real platform on loopback: money moves there, the change feed
 * brings the ledger into a real account database through the core's own page applier,
 * and every figure must move by exactly the right amount.
 */
let platform: TestPlatform;
let creator: TestCreator;
let fan: TestUser;
let dir: string;
let store: AccountStore;
const USD = (minor: number) => ({ minor, currency: 'USD' as const });

async function pull(user: TestUser, target: AccountStore, inboxId: string): Promise<void> {
  for (;;) {
    const cursor = (target.db.prepare('SELECT cursor FROM sync_state WHERE inbox_id = ?').pluck().get(inboxId) ??
      0) as number;
    const page = await platform.api.changes(user, inboxId, cursor, 500);
    applyPage(target.db, page, cursor, Date.now());
    if (!page.hasMore) return;
  }
}

async function accessFor(user: TestUser, target: AccountStore): Promise<EarningsAccess> {
  const { memberships } = await platform.api.ok('me', { token: user.token });
  return {
    db: target.db,
    membership: (inboxId) => {
      const found = memberships.find((m) => m.inboxId === inboxId);
      return found ? { role: found.role, permissions: found.permissions } : null;
    },
    // The core's own platform client, as the app uses it.
    requestPayout: (inboxId, amount, idempotencyKey) =>
      new PlatformClient(platform.url, user.token).call('requestPayout', {
        params: { inboxId },
        body: { amount },
        idempotencyKey,
      }),
    read: (operation) => target.read(operation),
  };
}

beforeAll(async () => {
  platform = await startTestPlatform();
  creator = await platform.api.signUpCreator({ price: USD(2500) });
  fan = await platform.api.signUpFan({ displayName: 'Ana, "the" fan' });
  dir = mkdtempSync(join(tmpdir(), 'earnings-'));
  store = new AccountStore(join(dir, 'account.sqlite'));
});

afterAll(async () => {
  store?.db.close();
  await platform?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('earnings against the real platform', () => {
  it('accept, refund and a payout move every figure by exactly the right amount', async () => {
    const access = await accessFor(creator, store);
    const handlers = createEarningsHandlers({ access: () => access, now: () => platform.clock.now() });
    const input = { accountId: 'a1', inboxId: creator.inboxId, period: { kind: 'today' as const }, timeZone: 'UTC' };

    const accepted = await platform.api.sendPaidMessage(fan, creator, 'Please say hi', { fund: true });
    const refunded = await platform.api.sendPaidMessage(fan, creator, 'Another one', { fund: true });
    await platform.api.sendPaidMessage(fan, creator, 'Still waiting', { fund: true });
    await pull(creator, store, creator.inboxId);
    const before = EarningsSummarySchema.parse(await handlers['earnings.summary'](input));
    expect(before.currencies[0]?.held).toEqual({ count: 3, amount: USD(7500) });
    expect(before.currencies[0]?.accepted.count).toBe(0);

    expect((await platform.api.accept(creator, accepted.id)).status).toBe(200);
    expect((await platform.api.refund(creator, refunded.id)).status).toBe(200);
    platform.clock.advance(60_000);
    await pull(creator, store, creator.inboxId);
    const after = EarningsSummarySchema.parse(await handlers['earnings.summary'](input));
    const usd = after.currencies[0];
    expect(usd?.accepted).toEqual({ count: 1, gross: USD(2500), fee: USD(250), net: USD(2250) });
    expect(usd?.refunded).toEqual({ count: 1, amount: USD(2500) });
    expect(usd?.held).toEqual({ count: 1, amount: USD(2500) });
    expect(usd?.received).toEqual({ count: 3, amount: USD(7500) });
    expect(usd?.acceptance).toEqual({ accepted: 1, decided: 2 });
    expect(usd?.available).toEqual(USD(2250));
    // The platform's own balance agrees with the figure computed from the synced ledger.
    const balance = await platform.api.ok('balance', { token: creator.token, params: { inboxId: creator.inboxId } });
    expect(balance.available).toEqual([USD(2250)]);

    const series = EarningsSeriesSchema.parse(await handlers['earnings.series']({ ...input, granularity: 'day' }));
    expect(series.currencies[0]?.net.reduce((a, b) => a + b, 0)).toBe(2250);
    const breakdown = EarningsBreakdownSchema.parse(await handlers['earnings.breakdown']({ ...input, limit: 10 }));
    expect(breakdown.supporters).toEqual([
      { fanId: fan.id, fanName: 'Ana, "the" fan', currency: 'USD', count: 1, paid: USD(2500) },
    ]);

    const payout = await handlers['payouts.request']({ accountId: 'a1', inboxId: creator.inboxId, amount: USD(1000) });
    expect(payout.amount).toEqual(USD(1000));
    await pull(creator, store, creator.inboxId);
    const payouts = await handlers['payouts.list']({ accountId: 'a1', inboxId: creator.inboxId, timeZone: 'UTC' });
    expect(payouts.available).toEqual([USD(1250)]);
    expect(payouts.payouts.map((p) => p.amount)).toEqual([USD(1000)]);
    await expect(
      handlers['payouts.request']({ accountId: 'a1', inboxId: creator.inboxId, amount: USD(999_999) }),
    ).rejects.toMatchObject({ bridgeCode: 'platform_error' });

    // The export, pulled chunk by chunk as the renderer does, is valid CSV with the same sums.
    const started = await handlers['earnings.exportStart'](input);
    expect(started.fileName).toMatch(/^earnings-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
    let csv = '';
    for (;;) {
      const next = await handlers['earnings.exportNext']({ accountId: 'a1', exportId: started.exportId });
      csv += next.chunk;
      if (next.done) break;
    }
    const lines = csv.slice(1).split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('entry_id,time,type,message_id,fan_id,fan_name,currency,gross,fee,net,amount,balance');
    const captures = lines.filter((l) => l.includes(',capture,'));
    expect(captures).toHaveLength(1);
    // Signed effect on the available balance, then the running balance after the entry.
    expect(captures[0]?.endsWith(',"Ana, ""the"" fan",USD,25.00,2.50,22.50,22.50,22.50')).toBe(true);
    expect(lines.filter((l) => l.includes(',payout,'))[0]?.endsWith(',USD,10.00,0.00,0.00,-10.00,12.50')).toBe(true);
    // The last running balance is the available balance the app shows: it reconciles.
    expect(lines.at(-1)?.endsWith(',12.50')).toBe(true);
    expect(lines).toHaveLength(1 + started.totalRows);
  });

  it('a manager without view_earnings sees no earnings: refused here and by the platform', async () => {
    const manager = await platform.api.signUpManager(creator, ['accept', 'reply']);
    const managerStore = new AccountStore(join(dir, 'manager.sqlite'));
    try {
      await pull(manager, managerStore, creator.inboxId);
      const access = await accessFor(manager, managerStore);
      const handlers = createEarningsHandlers({ access: () => access, now: () => platform.clock.now() });
      const input = { accountId: 'm1', inboxId: creator.inboxId, period: { kind: '30d' as const }, timeZone: 'UTC' };
      await expect(handlers['earnings.summary'](input)).rejects.toMatchObject({ bridgeCode: 'forbidden' });
      await expect(handlers['earnings.exportStart'](input)).rejects.toMatchObject({ bridgeCode: 'forbidden' });
      await expect(
        handlers['payouts.request']({ accountId: 'm1', inboxId: creator.inboxId, amount: USD(100) }),
      ).rejects.toMatchObject({ bridgeCode: 'forbidden' });
      const ledger = await platform.api.call('ledger', { token: manager.token, params: { inboxId: creator.inboxId } });
      expect(ledger.status).toBe(403);
      // Nor does the feed bring money to this manager's device.
      expect(managerStore.db.prepare('SELECT count(*) FROM ledger_events').pluck().get()).toBe(0);
    } finally {
      managerStore.db.close();
    }
  });
});
