/**
 * Drafts a creator approves (issue 17), in the core on real SQLite files against the real
 * platform on loopback (PGlite): drafts come from the feed and the snapshot into the local
 * store, so both lists read offline; a manager's draft written offline leaves through the
 * outbox when back online; approving is one accept with the draft's text (one capture);
 * a sent-back draft shows its comment to its author; a draft whose message was refunded
 * meanwhile names who settled it and when.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountStore } from '../../../electron/core/store/account-store';
import { applyPage } from '../../../electron/core/store/apply';
import type { Draft } from '../../../shared/protocol';
import { type CoreHarness, startCore } from '../../fixtures/core/core';
import { NetworkProxy, waitFor } from '../../fixtures/core/proxy';
import { clockOf, closeSoon, startCast, type TestCast, type TestManager, type TestUser } from '../../helpers/server';

let { platform, creator, fan } = {} as TestCast;
let sara: TestManager;
beforeAll(async () => {
  ({ platform, creator, fan } = await startCast({}, { creator: 'Nour', fan: 'Omar Fan' }));
  sara = await platform.api.signUpManager(creator, ['draft']);
});
afterAll(() => closeSoon(platform), 20_000);

async function connect(url: string, user: TestUser): Promise<{ h: CoreHarness; accountId: string }> {
  const h = await startCore({ clock: clockOf(platform) });
  const account = await h.call('accounts.connect', { url, email: user.email, password: user.password });
  return { h, accountId: account.id };
}

const list = (c: { h: CoreHarness; accountId: string }) =>
  c.h.call('drafts.list', { accountId: c.accountId, inboxId: creator.inboxId });

async function synced(c: { h: CoreHarness; accountId: string }, messageId: string) {
  await waitFor(async () => {
    const page = await c.h.call('inbox.page', { accountId: c.accountId, inboxId: null, view: 'pending', limit: 200 });
    return page.rows.some((r) => r.id === messageId);
  }, 'message synced');
}

/** A paid message drafted by Sara on the platform, then the creator's and Sara's new devices. */
async function draftedThenConnected(question: string, answer: string) {
  const message = await platform.api.sendPaidMessage(fan, creator, question);
  const submitted = await platform.api.ok('submitDraft', {
    token: sara.token,
    params: { messageId: message.id },
    body: { body: answer },
  });
  return {
    message,
    submitted,
    owner: await connect(platform.url, creator),
    manager: await connect(platform.url, sara),
  };
}

describe('drafts in the core', () => {
  it('a draft written offline leaves when back online; the creator approves it once, and the author sees it settle', async () => {
    const message = await platform.api.sendPaidMessage(fan, creator, 'Will you sing at my wedding?');
    const proxy = await NetworkProxy.start(platform.url);
    const manager = await connect(proxy.url, sara);
    const owner = await connect(platform.url, creator);
    try {
      await synced(manager, message.id);
      proxy.setOnline(false);
      await manager.h.call('actions.submit', {
        accountId: manager.accountId,
        messageId: message.id,
        action: { kind: 'draft', body: 'Nour would love to — send the date!' },
      });
      // Offline: the draft is mine, queued, and nothing reached the platform.
      const offline = await list(manager);
      expect(offline.mayDraft).toBe(true);
      expect(offline.mayApprove).toBe(false);
      expect(offline.toApprove).toEqual([]);
      expect(offline.mine).toEqual([
        expect.objectContaining({ queued: true, status: 'pending', messageId: message.id, authorId: sara.id }),
      ]);
      const before = await platform.api.ok('drafts', { token: creator.token, params: { inboxId: creator.inboxId } });
      expect(before.drafts.filter((d) => d.messageId === message.id)).toEqual([]);

      proxy.setOnline(true);
      await manager.h.call('sync.retry', { accountId: manager.accountId });
      const open = await waitFor(async () => {
        const drafts = (await list(owner)).toApprove.filter((d) => d.messageId === message.id);
        return drafts.length === 1 ? drafts[0] : null;
      }, 'draft reaches the creator through the feed');
      expect(open).toMatchObject({
        authorName: sara.displayName,
        body: 'Nour would love to — send the date!',
        queued: false,
        messageStatus: 'pending',
        deadline: message.deadline,
        fanName: 'Omar Fan',
      });
      // The manager's own copy is now the platform's (no longer queued).
      await waitFor(async () => (await list(manager)).mine.every((d) => !d.queued && d.id === open?.id), 'stored');

      await owner.h.call('actions.submit', {
        accountId: owner.accountId,
        messageId: message.id,
        action: { kind: 'accept', reply: open?.body ?? '' },
      });
      // Being approved here: it leaves the list at once.
      expect((await list(owner)).toApprove.filter((d) => d.messageId === message.id)).toEqual([]);
      const settled = await waitFor(async () => {
        const mine = (await list(manager)).mine.find((d) => d.id === open?.id);
        return mine?.status === 'approved' ? mine : null;
      }, 'the author sees the approval');
      expect(settled).toMatchObject({ decidedBy: { id: creator.id, name: 'Nour' }, messageStatus: 'accepted' });
      // The row says who decided (the list's attribution hint): the approver, not the drafter.
      const accepted = await owner.h.call('inbox.page', {
        accountId: owner.accountId,
        inboxId: null,
        view: 'accepted',
        limit: 200,
      });
      expect(accepted.rows.find((r) => r.id === message.id)?.decidedBy).toEqual({ id: creator.id, name: 'Nour' });
      const { events } = await platform.api.ok('ledger', {
        token: creator.token,
        params: { inboxId: creator.inboxId },
      });
      expect(events.filter((e) => e.messageId === message.id && e.kind === 'capture')).toHaveLength(1);
      const fanView = await platform.api.ok('myMessages', { token: fan.token });
      expect(fanView.replies.filter((r) => r.messageId === message.id).map((r) => [r.authorName, r.body])).toEqual([
        ['Nour', 'Nour would love to — send the date!'],
      ]);
      await platform.api.checkInvariants();
    } finally {
      await manager.h.close();
      await owner.h.close();
      await proxy.close();
    }
  });

  it('a device that bootstraps from the snapshot has the drafts; a sent-back draft shows its comment to the author', async () => {
    // New devices of both: their first sync is the snapshot.
    const { submitted, owner, manager } = await draftedThenConnected('Can you say hi to my class?', 'Hi class!');
    try {
      await waitFor(
        async () => (await list(owner)).toApprove.some((d) => d.id === submitted.id),
        'draft from the snapshot',
      );
      const back = await owner.h.call('drafts.sendBack', {
        accountId: owner.accountId,
        draftId: submitted.id,
        comment: 'Please use their teacher’s name',
      });
      expect(back.status).toBe('sent_back');
      const seen = await waitFor(async () => {
        const mine = (await list(manager)).mine.find((d) => d.id === submitted.id);
        return mine?.status === 'sent_back' ? mine : null;
      }, 'the author sees the comment');
      expect(seen).toMatchObject({ comment: 'Please use their teacher’s name', decidedBy: { name: 'Nour' } });
      await waitFor(async () => !(await list(owner)).toApprove.some((d) => d.id === submitted.id), 'left the queue');
    } finally {
      await owner.h.close();
      await manager.h.close();
    }
  });

  it('a draft whose message was refunded meanwhile leaves the queue and tells its author who refunded it and when', async () => {
    const { message, submitted, owner, manager } = await draftedThenConnected('Quick one?', 'Sure');
    try {
      await waitFor(async () => (await list(owner)).toApprove.some((d) => d.id === submitted.id), 'queued to approve');
      expect((await platform.api.refund(creator, message.id)).status).toBe(200);
      const refunded = await waitFor(async () => {
        const mine = (await list(manager)).mine.find((d) => d.id === submitted.id);
        return mine?.messageStatus === 'refunded' ? mine : null;
      }, 'the author sees the refund');
      expect(refunded.messageDecidedBy).toBe('Nour');
      expect(refunded.messageDecidedAt).toEqual(expect.any(Number));
      await waitFor(async () => !(await list(owner)).toApprove.some((d) => d.id === submitted.id), 'left the queue');
      // Approving now is refused on this device already: the message is decided.
      await expect(
        owner.h.call('actions.submit', {
          accountId: owner.accountId,
          messageId: message.id,
          action: { kind: 'accept', reply: 'Sure' },
        }),
      ).rejects.toMatchObject({ code: expect.any(String) });
    } finally {
      await owner.h.close();
      await manager.h.close();
    }
  });
});

describe('draft storage', () => {
  it('keeps the newest entry of a draft whatever order the entries come in', () => {
    const store = new AccountStore(join(mkdtempSync(join(tmpdir(), 'drafts-')), 'account.sqlite'), {}, 0);
    try {
      const inboxId = 'inbox-1';
      const base: Draft = {
        id: 'draft-1',
        messageId: 'message-1',
        inboxId,
        authorId: 'sara',
        authorName: 'Sara',
        body: 'First words',
        status: 'pending',
        comment: null,
        createdAt: 1_000,
        decidedAt: null,
        decidedBy: null,
        deadline: 99_000,
        price: { minor: 2_500, currency: 'USD' },
        fanName: 'Omar',
        messageBody: 'Hello',
      };
      const sentBack: Draft = {
        ...base,
        status: 'sent_back',
        comment: 'Warmer, please',
        decidedAt: 2_000,
        decidedBy: { id: 'nour', name: 'Nour' },
      };
      const page = (after: number, changes: { seq: number; data: Draft }[]) => ({
        inboxId,
        changes: changes.map((c) => ({ seq: c.seq, at: 1, kind: 'draft' as const, data: c.data })),
        nextAfter: Math.max(after, ...changes.map((c) => c.seq)),
        headSeq: 10,
        hasMore: true,
      });
      expect(applyPage(store.db, page(0, [{ seq: 5, data: sentBack }]), 0, 0)?.kinds.has('drafts')).toBe(true);
      // An older entry of the same draft, read again, does not undo the send-back.
      applyPage(store.db, page(5, [{ seq: 3, data: base }]), 5, 0);
      const row = store.db
        .prepare('SELECT status, comment, decided_by_name, seq FROM drafts WHERE id = ?')
        .get('draft-1');
      expect(row).toEqual({ status: 'sent_back', comment: 'Warmer, please', decided_by_name: 'Nour', seq: 5 });
    } finally {
      store.close();
    }
  });
});
