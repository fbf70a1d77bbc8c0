/**
 * An answer that sets an entity's whole state (triage, settings, a fan's block) is newer than
 * every feed entry of that entity written before it, and the device may read those older
 * entries after the answer: a snapshot chunk or feed page that ends between two entries, or a
 * page read while the action was on its way. Real platform on loopback (PGlite), real SQLite
 * file, the real pusher.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountStore } from '../../../electron/core/store/account-store';
import { applyPage } from '../../../electron/core/store/apply';
import { enqueueAction, enqueueFanAction } from '../../../electron/core/store/outbox';
import { messageThread } from '../../../electron/core/store/queries';
import { PlatformClient } from '../../../electron/core/sync/http';
import { Pusher } from '../../../electron/core/sync/pusher';
import { enqueueSettings, syncedSettings } from '../../../electron/core/team/settings';
import type { Change, ChangesPage } from '../../../shared/protocol';
import { owner, tempStore } from '../../fixtures/core/store';
import { startTestPlatform, type TestCreator, type TestPlatform } from '../../helpers/server';

const DAY = 86_400_000;

let t: TestPlatform;
beforeAll(async () => {
  t = await startTestPlatform();
});
afterAll(async () => {
  await t?.close();
});

async function creatorWithMessage(): Promise<{ creator: TestCreator; fanId: string; messageId: string }> {
  const creator = await t.api.signUpCreator({ price: { minor: 500, currency: 'USD' } });
  const fan = await t.api.signUpFan();
  await t.api.topUp(fan, { minor: 10_000, currency: 'USD' });
  const messageId = (await t.api.sendPaidMessage(fan, creator, 'Say hi to my class?')).id;
  return { creator, fanId: fan.id, messageId };
}

/**
 * A device that has read the inbox's feed up to (not including) the last entry `older`
 * picks, queues an action with `act`, has it answered, and then reads the rest of the page
 * — the older entry — followed by whatever the feed holds after it (the answer's own entry).
 * `read` is what the device shows of the entity after each of the three steps.
 */
async function answeredThenOlder<T>(
  creator: TestCreator,
  older: (c: Change) => boolean,
  act: (store: AccountStore, now: number) => void,
  read: (store: AccountStore) => T,
): Promise<{ answered: T; afterOlder: T; afterOwnEntry: T }> {
  const temp = tempStore();
  const client = new PlatformClient(t.url, creator.token);
  const pusher = new Pusher({
    store: temp.store,
    client: () => client,
    now: () => t.clock.now(),
    onSettled: () => undefined,
    onSignedOut: () => undefined,
    onNetwork: () => undefined,
  });
  try {
    const changes = (after: number): Promise<ChangesPage> =>
      client.call('changes', { params: { inboxId: creator.inboxId }, query: { after, limit: 500 } });
    const page = await changes(0);
    const split = page.changes.findLastIndex(older);
    expect(split, 'the older entry is on the page, after another').toBeGreaterThan(0);
    const first: ChangesPage = { ...page, changes: page.changes.slice(0, split), hasMore: true };
    first.nextAfter = first.changes.at(-1)?.seq ?? 0;
    const rest: ChangesPage = { ...page, changes: page.changes.slice(split) };
    expect(applyPage(temp.store.db, first, 0, t.clock.now())).not.toBeNull();

    act(temp.store, t.clock.now());
    pusher.kick();
    await pusher.idle();
    const answered = read(temp.store);

    expect(applyPage(temp.store.db, rest, first.nextAfter, t.clock.now())).not.toBeNull();
    const afterOlder = read(temp.store);

    const own = await changes(rest.nextAfter);
    expect(own.changes.length, "the answer's own entry").toBeGreaterThan(0);
    expect(applyPage(temp.store.db, own, rest.nextAfter, t.clock.now())).not.toBeNull();
    return { answered, afterOlder, afterOwnEntry: read(temp.store) };
  } finally {
    pusher.stop();
    temp.cleanup();
  }
}

describe('an answer and the older feed entries read after it', () => {
  it('gives the feed position of the triage entry it wrote, the same on a replay', async () => {
    const { creator, messageId } = await creatorWithMessage();
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

  it('keeps the answered triage when the entry it replaced arrives later', async () => {
    const { creator, messageId } = await creatorWithMessage();
    const actor = { ...owner, userId: creator.id };
    const seen = await answeredThenOlder(
      creator,
      // The message's own triage entry (untriaged), written when it was sent.
      (c) => c.kind === 'triage' && c.data.messageId === messageId,
      (store, now) => enqueueAction(store.db, messageId, { kind: 'triage', patch: { starred: true } }, actor, now, 0),
      (store) => messageThread(store.db, messageId).message.starred,
    );
    expect(seen).toEqual({ answered: true, afterOlder: true, afterOwnEntry: true });
  });

  it('keeps an answered settings change when an older settings entry arrives later', async () => {
    const { creator } = await creatorWithMessage();
    // Changed elsewhere first: an entry older than the device's change, which keeps it.
    await t.api.ok('updateSettings', {
      token: creator.token,
      params: { inboxId: creator.inboxId },
      body: { responseWindowMs: 2 * DAY },
    });
    const seen = await answeredThenOlder(
      creator,
      (c) => c.kind === 'settings',
      (store, now) => enqueueSettings(store.db, creator.inboxId, { paused: true }, now),
      (store) => {
        const settings = syncedSettings(store.db, creator.inboxId);
        return { paused: settings?.paused, days: (settings?.responseWindowMs ?? 0) / DAY };
      },
    );
    expect(seen).toEqual({
      answered: { paused: true, days: 2 },
      afterOlder: { paused: true, days: 2 },
      afterOwnEntry: { paused: true, days: 2 },
    });
  });

  it('keeps an answered block when an older entry of the fan arrives later', async () => {
    const { creator, fanId } = await creatorWithMessage();
    // The fan's card changed elsewhere first (a free pass): an entry older than the block.
    await t.api.ok('setFanTerms', {
      token: creator.token,
      params: { inboxId: creator.inboxId, fanId },
      body: { kind: 'free' },
    });
    const actor = { ...owner, userId: creator.id };
    const seen = await answeredThenOlder(
      creator,
      (c) => c.kind === 'fan' && c.data.id === fanId,
      (store, now) =>
        enqueueFanAction(store.db, creator.inboxId, { kind: 'block', fanId, refundPending: false }, actor, now),
      (store) =>
        store.db.prepare('SELECT blocked FROM fans WHERE inbox_id = ? AND id = ?').pluck().get(creator.inboxId, fanId),
    );
    expect(seen).toEqual({ answered: 1, afterOlder: 1, afterOwnEntry: 1 });
  });
});
