import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CoreHarness, startCore } from '../../fixtures/core/core';
import { NetworkProxy, waitFor } from '../../fixtures/core/proxy';
import { clockOf, closeSoon, startCast, type TestCast } from '../../helpers/server';

let { platform, creator, fan } = {} as TestCast;
beforeAll(async () => {
  ({ platform, creator, fan } = await startCast());
});
afterAll(() => closeSoon(platform), 20_000);

const HOLD_MS = 300;

async function refundsOf(ids: readonly string[]): Promise<string[]> {
  const { events } = await platform.api.ok('ledger', { token: creator.token, params: { inboxId: creator.inboxId } });
  return events.filter((e) => e.kind === 'refund' && ids.includes(e.messageId ?? '')).map((e) => e.messageId ?? '');
}

/** Signs the creator in through the proxy and waits until the device holds `ids`. */
async function signedInWith(h: CoreHarness, proxy: NetworkProxy, ids: readonly string[]): Promise<string> {
  const { id: accountId } = await h.signIn(proxy.url, creator);
  await waitFor(async () => {
    const page = await h.call('inbox.page', { accountId, inboxId: null, view: 'pending', limit: 200 });
    return ids.every((id) => page.rows.some((r) => r.id === id));
  }, 'bootstrap');
  return accountId;
}

/**
 * Issue 12: one queued action of a batch can be cancelled from the pending list after its
 * hold, whenever it cannot have reached the platform — and never when it may have (its
 * answer was lost), since the platform could still apply it (electron/core/README.md).
 */
describe('cancelling one queued action of a batch after its hold', () => {
  it('cancels one refund of an offline batch that was tried while the platform refused connections; the other two land once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await platform.api.sendPaidMessage(fan, creator, `Cancel one ${i}`)).id);
    const proxy = await NetworkProxy.start(platform.url);
    // A long retry backoff: after its first try each action waits 10–20 s, so none is on
    // its way (and so not cancellable) at the moment the test cancels one. sync.retry ends it.
    const h = await startCore({
      clock: clockOf(platform),
      sync: { undoWindowMs: HOLD_MS, backoff: { baseMs: 20_000, maxMs: 20_000 } },
    });
    try {
      const accountId = await signedInWith(h, proxy, ids);
      await proxy.setRefusing(true);

      const { results } = await h.call('actions.bulk', {
        accountId,
        messageIds: ids,
        action: { kind: 'refund', reason: 'not_for_me' },
      });
      const actionIds = results.map((r) => r.actionId as string);
      // Past the hold, every one of them has been tried (and refused a connection).
      const tried = await waitFor(async () => {
        const items = await h.call('outbox.list', { accountId });
        return items.length === 3 && items.every((o) => o.attempts > 0 && o.state !== 'sending') ? items : null;
      }, 'each action tried');
      expect(tried.map((o) => o.cancellable)).toEqual([true, true, true]);

      const [kept1, cancelled, kept2] = actionIds;
      expect(await h.call('actions.undo', { accountId, actionId: cancelled as string })).toEqual({ undone: true });
      expect(await h.call('actions.undo', { accountId, actionId: cancelled as string })).toEqual({ undone: false });
      expect((await h.call('outbox.list', { accountId })).map((o) => o.id)).toEqual([kept1, kept2]);

      await proxy.setRefusing(false);
      await h.call('sync.retry', { accountId });
      await waitFor(async () => (await h.call('outbox.list', { accountId })).length === 0, 'outbox drained');
      expect((await refundsOf(ids)).sort()).toEqual([ids[0], ids[2]].sort());
      const pending = await h.call('inbox.page', { accountId, inboxId: null, view: 'pending', limit: 200 });
      expect(pending.rows.find((r) => r.id === ids[1])?.pendingDecision).toBeNull();
      await platform.api.checkInvariants();
    } finally {
      await h.close();
      await proxy.close();
    }
  });

  it('refuses to cancel a refund whose request reached the platform and whose answer was lost, and settles it once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) ids.push((await platform.api.sendPaidMessage(fan, creator, `Answer lost ${i}`)).id);
    const proxy = await NetworkProxy.start(platform.url);
    const h = await startCore({ clock: clockOf(platform), sync: { undoWindowMs: HOLD_MS } });
    try {
      const accountId = await signedInWith(h, proxy, ids);
      proxy.setAnswers(false);

      const { results } = await h.call('actions.bulk', {
        accountId,
        messageIds: ids,
        action: { kind: 'refund', reason: 'not_for_me' },
      });
      const tried = await waitFor(async () => {
        const items = await h.call('outbox.list', { accountId });
        return items.length === 2 && items.every((o) => o.attempts > 0) ? items : null;
      }, 'each action tried');
      // The platform applied them; the device cannot know, so it does not offer to cancel.
      await waitFor(async () => (await refundsOf(ids)).length === 2, 'the platform applied both');
      expect(tried.map((o) => o.cancellable)).toEqual([false, false]);
      // Stop the retries from landing while the cancel is tried.
      proxy.setOnline(false);
      for (const r of results) {
        expect(await h.call('actions.undo', { accountId, actionId: r.actionId as string })).toEqual({ undone: false });
      }
      expect((await h.call('outbox.list', { accountId })).length).toBe(2);

      proxy.setAnswers(true);
      proxy.setOnline(true);
      await h.call('sync.retry', { accountId });
      await waitFor(async () => (await h.call('outbox.list', { accountId })).length === 0, 'outbox drained');
      // Exactly once each: the same idempotency key got the stored answer.
      expect((await refundsOf(ids)).sort()).toEqual([...ids].sort());
      const closed = await h.call('inbox.page', { accountId, inboxId: null, view: 'closed', limit: 200 });
      for (const id of ids) expect(closed.rows.find((r) => r.id === id)?.status).toBe('refunded');
      await platform.api.checkInvariants();
    } finally {
      await h.close();
      await proxy.close();
    }
  });
});
