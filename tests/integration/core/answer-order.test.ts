/**
 * An action's answer is newer than every feed entry written before it, and the device may
 * read those older entries after the answer: a snapshot chunk or feed page that ends between
 * a message and its triage, or a page read while the action was on its way. Real platform
 * on loopback (PGlite), real SQLite file, the real pusher.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPage } from '../../../electron/core/store/apply';
import { enqueueAction } from '../../../electron/core/store/outbox';
import { messageThread } from '../../../electron/core/store/queries';
import { PlatformClient } from '../../../electron/core/sync/http';
import { Pusher } from '../../../electron/core/sync/pusher';
import type { ChangesPage } from '../../../shared/protocol';
import { owner, tempStore } from '../../fixtures/core/store';
import { startTestPlatform, type TestPlatform } from '../../helpers/server';

let t: TestPlatform;
beforeAll(async () => {
  t = await startTestPlatform();
});
afterAll(async () => {
  await t?.close();
});

describe('an answer and the older feed entries read after it', () => {
  it('gives the feed position of the triage entry it wrote, the same on a replay', async () => {
    const creator = await t.api.signUpCreator({ price: { minor: 500, currency: 'USD' } });
    const fan = await t.api.signUpFan();
    await t.api.topUp(fan, { minor: 10_000, currency: 'USD' });
    const messageId = (await t.api.sendPaidMessage(fan, creator, 'Two labels, please')).id;
    const client = new PlatformClient(t.url, creator.token);
    const star = () =>
      client.call('triage', { params: { messageId }, body: { starred: true }, idempotencyKey: 'star-once' });
    const answer = await star();
    const page = await client.call('changes', {
      params: { inboxId: creator.inboxId },
      query: { after: 0, limit: 500 },
    });
    const entries = page.changes.flatMap((c) => (c.kind === 'triage' && c.data.messageId === messageId ? [c] : []));
    expect(entries.map((c) => c.data.starred)).toEqual([false, true]);
    expect(answer.seq).toBe(entries.at(-1)?.seq);
    expect((await star()).seq).toBe(answer.seq);
  });

  it('keeps the answered triage when the feed entry it replaced arrives later', async () => {
    const creator = await t.api.signUpCreator({ price: { minor: 500, currency: 'USD' } });
    const fan = await t.api.signUpFan();
    await t.api.topUp(fan, { minor: 10_000, currency: 'USD' });
    const messageId = (await t.api.sendPaidMessage(fan, creator, 'Say hi to my class?')).id;
    const temp = tempStore();
    try {
      const client = new PlatformClient(t.url, creator.token);
      const page: ChangesPage = await client.call('changes', {
        params: { inboxId: creator.inboxId },
        query: { after: 0, limit: 500 },
      });
      // The message's own triage entry (untriaged) comes after the message in the feed.
      const triageAt = page.changes.findIndex((c) => c.kind === 'triage' && c.data.messageId === messageId);
      expect(triageAt).toBeGreaterThan(0);
      const first: ChangesPage = { ...page, changes: page.changes.slice(0, triageAt), hasMore: true };
      first.nextAfter = first.changes.at(-1)?.seq ?? 0;
      const rest: ChangesPage = { ...page, changes: page.changes.slice(triageAt) };
      const now = () => t.clock.now();
      expect(applyPage(temp.store.db, first, 0, now())).not.toBeNull();

      // Starred on this device, sent and answered before the rest of the page is read.
      const actor = { ...owner, userId: creator.id };
      enqueueAction(temp.store.db, messageId, { kind: 'triage', patch: { starred: true } }, actor, now(), 0);
      const pusher = new Pusher({
        store: temp.store,
        client: () => client,
        now,
        onSettled: () => undefined,
        onSignedOut: () => undefined,
        onNetwork: () => undefined,
      });
      pusher.kick();
      await pusher.idle();
      expect(messageThread(temp.store.db, messageId).message.starred).toBe(true);

      // The older entry (written when the message was sent) must not undo the answer.
      expect(applyPage(temp.store.db, rest, first.nextAfter, now())).not.toBeNull();
      expect(messageThread(temp.store.db, messageId).message.starred).toBe(true);

      // The feed's own entry for the star changes nothing either.
      const after: ChangesPage = await client.call('changes', {
        params: { inboxId: creator.inboxId },
        query: { after: rest.nextAfter, limit: 500 },
      });
      expect(after.changes.map((c) => c.kind)).toContain('triage');
      expect(applyPage(temp.store.db, after, rest.nextAfter, now())).not.toBeNull();
      expect(messageThread(temp.store.db, messageId).message.starred).toBe(true);
      pusher.stop();
    } finally {
      temp.cleanup();
    }
  });
});
