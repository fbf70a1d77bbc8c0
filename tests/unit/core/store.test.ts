import { afterEach, describe, expect, it } from 'vitest';
import type { AccountStore } from '../../../electron/core/store/account-store';
import { applyPage, readCursor } from '../../../electron/core/store/apply';
import { enqueueAction } from '../../../electron/core/store/outbox';
import { inboxCounts, inboxPage, messageThread } from '../../../electron/core/store/queries';
import { applySnapshotChunk, readSnapshotState } from '../../../electron/core/store/snapshot';
import { FakeFeed } from '../../fixtures/core/feed';
import { owner, tempStore } from '../../fixtures/core/store';

const NOW = Date.UTC(2026, 0, 2);
let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
});

function setup(): AccountStore {
  const t = tempStore();
  cleanup = t.cleanup;
  return t.store;
}

function page(
  store: AccountStore,
  view: 'pending' | 'accepted' | 'closed' | 'starred' | 'archived' | 'label' | 'snoozed',
  extra: { label?: string; cursor?: string | null; limit?: number; order?: 'deadline' | 'newest' | 'at_risk' } = {},
) {
  const scope = { inboxId: null, view, label: extra.label, userId: 'user-1', now: NOW };
  return inboxPage(
    store.db,
    {
      accountId: 'a',
      inboxId: null,
      view,
      label: extra.label,
      order: extra.order ?? 'deadline',
      cursor: extra.cursor ?? null,
      limit: extra.limit ?? 50,
    },
    scope,
    () => store.viewTotal(scope),
  );
}

describe('applying change pages', () => {
  it('stores entities and the cursor together, and a replayed page changes nothing', () => {
    const store = setup();
    const feed = new FakeFeed();
    const m = feed.message('m1');
    feed.decide(m, 'accepted');
    feed.message('m2');
    const first = feed.page(0, 2);
    expect(applyPage(store.db, first, 0, NOW)?.cursor).toBe(2);
    expect(readCursor(store.db, 'inbox-1')).toMatchObject({ cursor: 2, headSeq: 3, bootstrapped: false });
    // The same page again does not start at the stored cursor: refused, nothing moves.
    expect(applyPage(store.db, first, 0, NOW)).toBeNull();
    applyPage(store.db, feed.page(2), 2, NOW);
    expect(readCursor(store.db, 'inbox-1')).toMatchObject({ cursor: 3, bootstrapped: true });
    expect(page(store, 'accepted').rows.map((r) => r.id)).toEqual(['m1']);
    expect(page(store, 'pending').rows.map((r) => r.id)).toEqual(['m2']);
  });

  it('never moves a decided message back to pending when an older entry arrives', () => {
    const store = setup();
    const feed = new FakeFeed();
    const m = feed.message('m1');
    feed.decide(m, 'refunded');
    applyPage(
      store.db,
      {
        ...feed.page(0),
        changes: [feed.changes[1], feed.changes[0]].map((c, i) => ({ ...c, seq: i === 0 ? 1 : 2 })) as never,
        nextAfter: 2,
      },
      0,
      NOW,
    );
    expect(messageThread(store.db, 'm1').message.status).toBe('refunded');
  });
});

describe('applying a snapshot chunk in slices', () => {
  it('commits a long chunk in short transactions; only the one that reaches its end records it', () => {
    const store = setup();
    const feed = new FakeFeed();
    for (let i = 0; i < 100; i++) feed.message(`m${i}`);
    const chunk = { inboxId: 'inbox-1', at: feed.seq, entries: feed.snapshot(), resume: 'token-1', estimate: 100 };
    const expected = { at: null, resume: null };
    // Time is up at the first look at the clock: the first slice stops short of the end.
    const first = applySnapshotChunk(store.db, chunk, expected, NOW, undefined, { from: 0, timeUp: () => true });
    expect(first?.next).toBeGreaterThan(0);
    expect(first?.next).toBeLessThan(100);
    // Its rows are in, but the chunk is not recorded: a crash here resumes from the old token.
    expect(store.db.prepare('SELECT count(*) FROM messages').pluck().get()).toBe(first?.next);
    expect(readSnapshotState(store.db, 'inbox-1')).toMatchObject({ at: null, resume: null, done: 0 });
    expect(readCursor(store.db, 'inbox-1')).toMatchObject({ cursor: 0, bootstrapped: false });
    const rest = applySnapshotChunk(store.db, chunk, expected, NOW, undefined, {
      from: first?.next ?? 0,
      timeUp: () => false,
    });
    expect(rest?.next).toBe(100);
    expect(readSnapshotState(store.db, 'inbox-1')).toMatchObject({ at: feed.seq, resume: 'token-1', done: 100 });
    expect(readCursor(store.db, 'inbox-1')).toMatchObject({ cursor: 0, bootstrapped: false });
    expect(page(store, 'pending').total).toBe(100);
  });

  it("writes a snapshot's triage with its labels, keeps a queued patch on top, and merges a re-applied one by seq", () => {
    const store = setup();
    const feed = new FakeFeed();
    feed.message('a');
    feed.message('b');
    feed.message('c');
    feed.triage('a', { read: true, labels: ['vip'] });
    feed.triage('b', { archived: true });
    // Triage of a message neither stored nor in the chunk: set aside, as on the feed.
    feed.triage('ghost', { starred: true });
    const entries = feed.snapshot();
    const first = { inboxId: 'inbox-1', at: feed.seq, entries: entries.slice(0, 3), resume: 'token-1', estimate: 3 };
    applySnapshotChunk(store.db, first, { at: null, resume: null }, NOW);
    // A local change to b, queued while the rest of the snapshot arrives.
    store.write(() => enqueueAction(store.db, 'b', { kind: 'triage', patch: { starred: true } }, owner, NOW, 5000));
    const rest = { ...first, entries: entries.slice(3), resume: 'token-2' };
    const applied = applySnapshotChunk(store.db, rest, { at: feed.seq, resume: 'token-1' }, NOW, {
      entries: [],
      appVersion: 'test',
      oneByOne: true,
    });
    expect(applied?.applied.setAside).toBe(1);
    const rows = () =>
      store.db
        .prepare(
          `SELECT t.message_id AS id, read, starred, archived, t.labels, t.inbox_id AS inbox, t.deadline = m.deadline
             AS sorted, (SELECT group_concat(label) FROM message_labels l WHERE l.message_id = t.message_id) AS indexed
           FROM triage t JOIN messages m ON m.id = t.message_id ORDER BY t.message_id`,
        )
        .all();
    expect(rows()).toEqual([
      { id: 'a', read: 1, starred: 0, archived: 0, labels: '["vip"]', inbox: 'inbox-1', sorted: 1, indexed: 'vip' },
      { id: 'b', read: 0, starred: 1, archived: 1, labels: '[]', inbox: 'inbox-1', sorted: 1, indexed: null },
    ]);
    expect(page(store, 'label', { label: 'vip' }).rows.map((r) => r.id)).toEqual(['a']);
    // A newer snapshot (a restart) brings a's triage again, changed: it replaces the old, labels too.
    feed.triage('a', { read: true, labels: ['later'] });
    const again = { inboxId: 'inbox-1', at: feed.seq, entries: feed.snapshot(), resume: 'token-3', estimate: 3 };
    applySnapshotChunk(store.db, again, { at: rest.at, resume: 'token-2' }, NOW, {
      entries: [],
      appVersion: 'test',
      oneByOne: true,
    });
    expect(rows()[0]).toMatchObject({ labels: '["later"]', indexed: 'later' });
  });
});

describe('inbox views', () => {
  it('pages by deadline with a keyset cursor and a stable total', () => {
    const store = setup();
    const feed = new FakeFeed();
    for (let i = 0; i < 25; i++) feed.message(`m${String(i).padStart(2, '0')}`, { paidAt: NOW - 1_000_000 + i * 1000 });
    applyPage(store.db, feed.page(0), 0, NOW);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const result = page(store, 'pending', { cursor, limit: 10 });
      expect(result.total).toBe(25);
      seen.push(...result.rows.map((r) => r.id));
      cursor = result.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(25);
    expect(seen).toEqual([...seen].sort());
    const newest = page(store, 'pending', { order: 'newest', limit: 3 });
    expect(newest.rows.map((r) => r.id)).toEqual(['m24', 'm23', 'm22']);
    const risky = page(store, 'pending', { order: 'at_risk', limit: 30 });
    expect(risky.rows).toHaveLength(25);
  });

  it('puts triage into views and counts held money per currency', () => {
    const store = setup();
    const feed = new FakeFeed();
    feed.message('a', { priceMinor: 1000 });
    feed.message('b', { priceMinor: 500, currency: 'JPY' });
    const c = feed.message('c', { priceMinor: 700 });
    feed.decide(c, 'accepted');
    feed.triage('a', { starred: true, labels: ['vip'] });
    feed.triage('b', { archived: true });
    applyPage(store.db, feed.page(0), 0, NOW);
    expect(page(store, 'pending').rows.map((r) => r.id)).toEqual(['a']);
    expect(page(store, 'starred').rows.map((r) => r.id)).toEqual(['a']);
    expect(page(store, 'archived').rows.map((r) => r.id)).toEqual(['b']);
    expect(page(store, 'label', { label: 'vip' }).rows[0]?.labels).toEqual(['vip']);
    const counts = inboxCounts(store.db, { inboxId: null, userId: 'user-1', now: NOW });
    expect(counts.views.find((v) => v.view === 'pending')).toMatchObject({
      count: 1,
      held: [{ minor: 1000, currency: 'USD' }],
    });
    expect(counts.views.find((v) => v.view === 'archived')).toMatchObject({
      count: 1,
      held: [{ minor: 500, currency: 'JPY' }],
    });
    expect(counts.views.find((v) => v.view === 'label' && v.label === 'vip')?.count).toBe(1);
  });

  it('keeps a queued triage change on top of a newer pull, and shows a queued accept as pending', () => {
    const store = setup();
    const feed = new FakeFeed();
    feed.message('a');
    applyPage(store.db, feed.page(0), 0, NOW);
    store.write(() => enqueueAction(store.db, 'a', { kind: 'triage', patch: { starred: true } }, owner, NOW, 5000));
    store.write(() => enqueueAction(store.db, 'a', { kind: 'accept' }, owner, NOW, 5000));
    feed.triage('a', { read: true });
    applyPage(store.db, feed.page(1), 1, NOW);
    const row = page(store, 'pending').rows[0];
    expect(row).toMatchObject({
      id: 'a',
      read: true,
      starred: true,
      status: 'pending',
      pendingDecision: 'accept',
      localState: 'queued',
    });
  });

  it('shows the fan and their lifetime total in a thread', () => {
    const store = setup();
    const feed = new FakeFeed();
    feed.fan('fan-x', 'Xavier');
    const one = feed.message('one', { fanId: 'fan-x', priceMinor: 1000 });
    const two = feed.message('two', { fanId: 'fan-x', priceMinor: 2500 });
    feed.message('three', { fanId: 'fan-x', priceMinor: 4000 });
    feed.decide(one, 'accepted');
    feed.decide(two, 'accepted');
    feed.reply('one', 'r1', 'Thanks!');
    applyPage(store.db, feed.page(0), 0, NOW);
    const thread = messageThread(store.db, 'one');
    expect(thread.fan).toMatchObject({
      displayName: 'Xavier',
      messageCount: 3,
      lifetime: [{ minor: 3500, currency: 'USD' }],
    });
    expect(thread.replies.map((r) => r.body)).toEqual(['Thanks!']);
    expect(thread.message.fee).toEqual({ minor: 100, currency: 'USD' });
  });
});
