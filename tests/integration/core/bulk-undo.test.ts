import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCore } from '../../fixtures/core/core';
import { NetworkProxy, waitFor } from '../../fixtures/core/proxy';
import { clockOf, closeSoon, startCast, type TestCast } from '../../helpers/server';

let { platform, creator, fan } = {} as TestCast;
beforeAll(async () => {
  ({ platform, creator, fan } = await startCast());
});
afterAll(() => closeSoon(platform), 20_000);

/**
 * Issue 12: a bulk refund has an undo for the whole batch, with the same window a single
 * action has, and undo takes each queued action back exactly once — the platform never
 * sees the ones taken back and applies the rest once.
 */
describe('bulk actions: one undo window for the batch', () => {
  it('queues a bulk refund offline with one undo deadline; undoMany takes back each action once, the rest reach the platform once', async () => {
    const messages = [];
    for (let i = 0; i < 4; i++) messages.push(await platform.api.sendPaidMessage(fan, creator, `Bulk undo ${i}`));
    const ids = messages.map((m) => m.id);
    const proxy = await NetworkProxy.start(platform.url);
    const clock = clockOf(platform);
    const h = await startCore({ clock, sync: { undoWindowMs: 5_000 } });
    try {
      const { id: accountId } = await h.call('accounts.connect', {
        url: proxy.url,
        email: creator.email,
        password: creator.password,
      });
      await waitFor(async () => {
        const page = await h.call('inbox.page', { accountId, inboxId: null, view: 'pending', limit: 200 });
        return ids.every((id) => page.rows.some((r) => r.id === id));
      }, 'bootstrap');
      proxy.setOnline(false);

      const before = clock();
      const { results, undoUntil } = await h.call('actions.bulk', {
        accountId,
        messageIds: ids,
        action: { kind: 'refund', reason: 'not_for_me' },
      });
      expect(results.every((r) => r.ok && r.actionId !== null)).toBe(true);
      // The batch's window is the single action's: five seconds from when it was queued.
      expect(undoUntil).not.toBeNull();
      expect(undoUntil as number).toBeGreaterThanOrEqual(before + 5_000);
      expect(undoUntil as number).toBeLessThanOrEqual(clock() + 5_000);

      const actionIds = results.map((r) => r.actionId as string);
      const [kept, ...takenBack] = actionIds;
      const { undone } = await h.call('actions.undoMany', { accountId, actionIds: takenBack });
      expect([...undone].sort()).toEqual([...takenBack].sort());
      // Exactly once: a second undo of the same batch takes nothing back.
      expect((await h.call('actions.undoMany', { accountId, actionIds: takenBack })).undone).toEqual([]);
      expect((await h.call('outbox.list', { accountId })).map((o) => o.id)).toEqual([kept]);

      proxy.setOnline(true);
      await h.call('sync.retry', { accountId });
      await waitFor(async () => (await h.call('outbox.list', { accountId })).length === 0, 'outbox drained');
      const { events } = await platform.api.ok('ledger', {
        token: creator.token,
        params: { inboxId: creator.inboxId },
      });
      const refunds = events.filter((e) => e.kind === 'refund' && ids.includes(e.messageId ?? ''));
      expect(refunds.map((e) => e.messageId)).toEqual([ids[0]]);
      await platform.api.checkInvariants();
    } finally {
      await h.close();
      await proxy.close();
    }
  });

  it('refuses an undo of no actions or too many, changing nothing', async () => {
    const h = await startCore({ clock: clockOf(platform) });
    try {
      const { id: accountId } = await h.call('accounts.connect', {
        url: platform.url,
        email: creator.email,
        password: creator.password,
      });
      await expect(h.call('actions.undoMany', { accountId, actionIds: [] })).rejects.toMatchObject({
        code: 'invalid_input',
      });
      const tooMany = Array.from({ length: 1001 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
      await expect(h.call('actions.undoMany', { accountId, actionIds: tooMany })).rejects.toMatchObject({
        code: 'invalid_input',
      });
    } finally {
      await h.close();
    }
  });
});
