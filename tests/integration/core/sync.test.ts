import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CoreHarness, startCore } from '../../fixtures/core/core';
import { NetworkProxy, waitFor } from '../../fixtures/core/proxy';
import { clockOf, closeSoon, startCast, type TestCast, type TestUser } from '../../helpers/server';

let { platform, creator, fan } = {} as TestCast;
beforeAll(async () => {
  ({ platform, creator, fan } = await startCast());
});
afterAll(() => closeSoon(platform), 20_000);

async function connect(
  url: string,
  user: TestUser,
  extra: Parameters<typeof startCore>[0] = {},
): Promise<{ h: CoreHarness; accountId: string }> {
  const h = await startCore({ clock: clockOf(platform), ...extra });
  const account = await h.call('accounts.connect', { url, email: user.email, password: user.password });
  return { h, accountId: account.id };
}

async function pending(h: CoreHarness, accountId: string) {
  return h.call('inbox.page', { accountId, inboxId: null, view: 'pending', limit: 200 });
}

async function ledgerFor(messageId: string) {
  const { events } = await platform.api.ok('ledger', { token: creator.token, params: { inboxId: creator.inboxId } });
  return events.filter((e) => e.messageId === messageId);
}

describe('sync against the real platform', () => {
  it('bootstraps, then pulls new messages when the platform says so (server-sent events)', async () => {
    for (let i = 0; i < 3; i++) await platform.api.sendPaidMessage(fan, creator, `Question number ${i}`);
    const { h, accountId } = await connect(platform.url, creator);
    try {
      const account = (await h.call('accounts.list', {}))[0];
      expect(account?.inboxes.map((i) => i.inboxId)).toEqual([creator.inboxId]);
      await waitFor(async () => (await pending(h, accountId)).total === 3, 'bootstrap');
      // The slow poll is a minute away: only the event stream can bring this one in time.
      const fresh = await platform.api.sendPaidMessage(fan, creator, 'Arrived live');
      await waitFor(async () => (await pending(h, accountId)).rows.some((r) => r.id === fresh.id), 'live message');
      const thread = await h.call('message.thread', { accountId, messageId: fresh.id });
      expect(thread.message).toMatchObject({ body: 'Arrived live', fanName: 'Omar Fan', status: 'pending' });
      const status = await waitFor(async () => {
        const current = await h.call('sync.status', { accountId });
        return current.state === 'online' ? current : null;
      }, 'online');
      expect(status).toMatchObject({ bootstrap: null, pendingActions: 0 });
      expect(status.lastSyncAt).not.toBeNull();
      expect(h.events.some((e) => e.name === 'entities.changed')).toBe(true);
      const found = await h.call('search', { accountId, inboxId: null, text: 'arrived' });
      expect(found.rows.map((r) => r.id)).toEqual([fresh.id]);
    } finally {
      await h.close();
    }
  });

  it('keeps offline actions through a restart and delivers each exactly once', async () => {
    const message = await platform.api.sendPaidMessage(fan, creator, 'Offline accept please');
    const proxy = await NetworkProxy.start(platform.url);
    const first = await connect(proxy.url, creator);
    const dataDir = first.h.dataDir;
    const vault = first.h.vault;
    const { accountId } = first;
    try {
      await waitFor(async () => (await pending(first.h, accountId)).rows.some((r) => r.id === message.id), 'bootstrap');
      proxy.setOnline(false);
      await first.h.call('actions.submit', {
        accountId,
        messageId: message.id,
        action: { kind: 'accept', reply: 'Sure!' },
      });
      await first.h.call('actions.submit', {
        accountId,
        messageId: message.id,
        action: { kind: 'note', body: 'Answered on the train' },
      });
      await first.h.call('actions.submit', {
        accountId,
        messageId: message.id,
        action: { kind: 'triage', patch: { starred: true } },
      });
      const queuedRow = (await pending(first.h, accountId)).rows.find((r) => r.id === message.id);
      expect(queuedRow).toMatchObject({
        status: 'pending',
        pendingDecision: 'accept',
        localState: expect.stringMatching(/queued|failed/),
        starred: true,
      });
      await first.h.close();

      const second = await startCore({ clock: clockOf(platform), dataDir, vault });
      try {
        expect((await second.call('outbox.list', { accountId })).map((o) => o.kind)).toEqual([
          'accept',
          'note',
          'triage',
        ]);
        proxy.setOnline(true);
        await second.call('sync.retry', { accountId });
        await waitFor(async () => (await second.call('outbox.list', { accountId })).length === 0, 'outbox drained');
        await waitFor(
          async () =>
            (await second.call('message.thread', { accountId, messageId: message.id })).message.status === 'accepted',
          'accepted locally',
        );
        const thread = await second.call('message.thread', { accountId, messageId: message.id });
        expect(thread.replies.map((r) => [r.body, r.localState])).toEqual([['Sure!', 'synced']]);
        expect(thread.notes.map((n) => n.body)).toEqual(['Answered on the train']);
        expect(thread.message.starred).toBe(true);
        const ledger = await ledgerFor(message.id);
        expect(ledger.filter((e) => e.kind === 'capture')).toHaveLength(1);
        expect(ledger.filter((e) => e.kind === 'refund')).toHaveLength(0);
        const feed = await platform.api.changes(creator, creator.inboxId, 0, 2000);
        expect(feed.changes.filter((c) => c.kind === 'note' && c.data.messageId === message.id)).toHaveLength(1);
        await platform.api.checkInvariants();
      } finally {
        await second.close();
      }
    } finally {
      await proxy.close();
    }
  });

  it('settles a conflict between two clients with one capture and a notice on the loser', async () => {
    const manager = await platform.api.signUpManager(creator, ['accept', 'refund', 'reply']);
    const message = await platform.api.sendPaidMessage(fan, creator, 'Who gets me?');
    const proxyA = await NetworkProxy.start(platform.url);
    const proxyB = await NetworkProxy.start(platform.url);
    const a = await connect(proxyA.url, creator);
    const b = await connect(proxyB.url, manager);
    try {
      for (const side of [a, b]) {
        await waitFor(
          async () => (await pending(side.h, side.accountId)).rows.some((r) => r.id === message.id),
          'bootstrap',
        );
      }
      proxyA.setOnline(false);
      proxyB.setOnline(false);
      await a.h.call('actions.submit', { accountId: a.accountId, messageId: message.id, action: { kind: 'accept' } });
      await b.h.call('actions.submit', {
        accountId: b.accountId,
        messageId: message.id,
        action: { kind: 'refund', reason: 'not_for_me' },
      });
      proxyA.setOnline(true);
      await a.h.call('sync.retry', { accountId: a.accountId });
      await waitFor(
        async () => (await a.h.call('outbox.list', { accountId: a.accountId })).length === 0,
        'A delivered',
      );
      proxyB.setOnline(true);
      await b.h.call('sync.retry', { accountId: b.accountId });
      await waitFor(async () => (await b.h.call('outbox.list', { accountId: b.accountId })).length === 0, 'B settled');
      const notices = await b.h.call('notices.list', { accountId: b.accountId });
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatchObject({
        kind: 'conflict',
        code: 'already_decided',
        messageId: message.id,
        actorName: 'Layla Creator',
      });
      // It names the fan and the amount (issue 12: notices say who and how much).
      expect(notices[0]?.params).toMatchObject({
        action: 'refund',
        status: 'accepted',
        fanName: message.fanName,
        priceMinor: message.price.minor,
        currency: message.price.currency,
      });
      expect(b.h.events.some((e) => e.name === 'notice.added')).toBe(true);
      const bThread = await b.h.call('message.thread', { accountId: b.accountId, messageId: message.id });
      expect(bThread.message).toMatchObject({ status: 'accepted', pendingDecision: null });
      expect(await a.h.call('notices.list', { accountId: a.accountId })).toHaveLength(0);
      const ledger = await ledgerFor(message.id);
      expect(ledger.filter((e) => e.kind === 'capture')).toHaveLength(1);
      expect(ledger.filter((e) => e.kind === 'refund')).toHaveLength(0);
      await platform.api.checkInvariants();
    } finally {
      await a.h.close();
      await b.h.close();
      await proxyA.close();
      await proxyB.close();
    }
  });

  it('rolls back an accept the platform refuses after the deadline, with the reason kept', async () => {
    const message = await platform.api.sendPaidMessage(fan, creator, 'Too late?');
    const { h, accountId } = await connect(platform.url, creator, { sync: { undoWindowMs: 60_000 } });
    try {
      await waitFor(async () => (await pending(h, accountId)).rows.some((r) => r.id === message.id), 'bootstrap');
      const { actionId, undoUntil } = await h.call('actions.submit', {
        accountId,
        messageId: message.id,
        action: { kind: 'accept' },
      });
      expect(undoUntil).not.toBeNull();
      expect((await h.call('outbox.list', { accountId }))[0]).toMatchObject({
        id: actionId,
        state: 'held',
        deadline: message.deadline,
      });
      // The platform's clock passes the deadline while the accept waits in the undo window.
      platform.clock.set(message.deadline + 1);
      await h.call('sync.retry', { accountId });
      await h.core.close();
      const again = await startCore({
        dataDir: h.dataDir,
        vault: h.vault,
        clock: () => platform.clock.now() + 120_000,
      });
      try {
        await waitFor(async () => (await again.call('outbox.list', { accountId })).length === 0, 'settled');
        const notices = await again.call('notices.list', { accountId });
        expect(notices[0]).toMatchObject({ kind: 'rejected', code: 'deadline_passed', messageId: message.id });
        const thread = await again.call('message.thread', { accountId, messageId: message.id });
        expect(thread.message.pendingDecision).toBeNull();
      } finally {
        await again.close();
      }
    } finally {
      await h.close();
    }
  });
});
