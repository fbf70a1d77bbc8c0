import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCore } from '../../fixtures/core/core';
import { NetworkProxy, waitFor } from '../../fixtures/core/proxy';
import { clockOf, closeSoon, startCast, type TestCast } from '../../helpers/server';

let { platform, creator, fan } = {} as TestCast;
beforeAll(async () => {
  ({ platform, creator, fan } = await startCast());
});
afterAll(() => closeSoon(platform), 20_000);

const USD = (minor: number) => ({ minor, currency: 'USD' as const });

/** A core signed in as `user` at `url`, once it has synced `messageId`; `thread` reads it back. */
async function coreWith(url: string, user: { email: string; password: string }, messageId: string) {
  const h = await startCore({ clock: clockOf(platform) });
  const { id: accountId } = await h.signIn(url, user);
  const thread = () => h.call('message.thread', { accountId, messageId });
  await waitFor(
    () =>
      thread().then(
        (t) => t.message.id === messageId,
        () => false,
      ),
    'message synced',
  );
  return { h, accountId, thread };
}

/**
 * Issue 12, item 5: blocking and unblocking a fan are registered actions that go through
 * the outbox like the others — queued offline, sent in order when the platform is back,
 * settled on the fan's card — and a refusal comes back as a notice that names the fan.
 */
describe('block and unblock through the outbox', () => {
  it('queues a block offline (the card says so), refunds and blocks once back, then unblocks in order', async () => {
    const message = await platform.api.sendPaidMessage(fan, creator, 'Are you there?');
    const proxy = await NetworkProxy.start(platform.url);
    const { h, accountId, thread } = await coreWith(proxy.url, creator, message.id);
    try {
      proxy.setOnline(false);

      const inboxId = creator.inboxId;
      await h.call('fans.submit', {
        accountId,
        inboxId,
        action: { kind: 'block', fanId: fan.id, refundPending: true },
      });
      expect((await thread()).fan).toMatchObject({ blocked: false, queued: 'block' });
      const outbox = await h.call('outbox.list', { accountId });
      expect(outbox).toEqual([expect.objectContaining({ kind: 'block', messageId: null, fanName: 'Omar Fan' })]);
      await h.call('fans.submit', { accountId, inboxId, action: { kind: 'unblock', fanId: fan.id } });
      expect((await thread()).fan.queued).toBe('unblock');

      // Nothing reached the platform while offline.
      expect(await platform.api.messageStatus(fan, message.id)).toBe('pending');
      proxy.setOnline(true);
      await h.call('sync.retry', { accountId });
      await waitFor(async () => (await h.call('outbox.list', { accountId })).length === 0, 'outbox drained');
      // In order: the block refunded the pending message, then the unblock lifted it.
      expect(await platform.api.messageStatus(fan, message.id)).toBe('refunded');
      const fanEntries = (await platform.api.feed(creator, inboxId)).filter(
        (c) => c.kind === 'fan' && c.data.id === fan.id,
      );
      expect(fanEntries.map((c) => (c.kind === 'fan' ? c.data.blocked : null)).slice(-2)).toEqual([true, false]);
      await waitFor(async () => (await thread()).message.status === 'refunded', 'refund synced');
      expect((await thread()).fan).toMatchObject({ blocked: false, queued: null });
      await platform.api.sendPaidMessage(fan, creator, 'Back again');
      await platform.api.checkInvariants();
    } finally {
      await h.close();
      await proxy.close();
    }
  });

  it('refuses a block with refunds to a manager without the refund permission before queueing anything', async () => {
    const noRefund = await platform.api.signUpManager(creator, ['accept']);
    const message = await platform.api.sendPaidMessage(fan, creator, 'Hello again');
    const { h, accountId } = await coreWith(platform.url, noRefund, message.id);
    try {
      const inboxId = creator.inboxId;
      await expect(
        h.call('fans.submit', { accountId, inboxId, action: { kind: 'block', fanId: fan.id, refundPending: true } }),
      ).rejects.toMatchObject({ code: 'forbidden', details: { code: 'forbidden' } });
      expect(await h.call('outbox.list', { accountId })).toEqual([]);
      // A fan the device has never seen in this inbox is not queued either.
      await expect(
        h.call('fans.submit', { accountId, inboxId, action: { kind: 'unblock', fanId: noRefund.id } }),
      ).rejects.toMatchObject({ code: 'not_found' });
      expect(await platform.api.messageStatus(fan, message.id)).toBe('pending');
    } finally {
      await h.close();
    }
  });

  it('a block the platform refuses (over a daily refund limit) comes back as a notice naming the fan', async () => {
    const limited = await platform.api.signUpManager(creator, ['refund']);
    await platform.api.ok('setLimits', {
      token: creator.token,
      params: { inboxId: creator.inboxId, userId: limited.id },
      body: { maxPrice: null, dailyRefund: USD(1) },
    });
    const message = await platform.api.sendPaidMessage(fan, creator, 'One more');
    const { h, accountId, thread } = await coreWith(platform.url, limited, message.id);
    try {
      await h.call('fans.submit', {
        accountId,
        inboxId: creator.inboxId,
        action: { kind: 'block', fanId: fan.id, refundPending: true },
      });
      const notices = await waitFor(async () => {
        const list = await h.call('notices.list', { accountId });
        return list.length > 0 ? list : null;
      }, 'a notice');
      expect(notices[0]).toMatchObject({
        kind: 'rejected',
        code: 'over_limit',
        messageId: null,
        params: expect.objectContaining({ action: 'block', fanName: 'Omar Fan', limit: 'daily_refund' }),
      });
      expect(await h.call('outbox.list', { accountId })).toEqual([]);
      expect((await thread()).fan).toMatchObject({ blocked: false, queued: null });
      expect(await platform.api.messageStatus(fan, message.id)).toBe('pending');
    } finally {
      await h.close();
    }
  });
});
