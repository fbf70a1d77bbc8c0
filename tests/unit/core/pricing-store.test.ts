import { afterEach, describe, expect, it } from 'vitest';
import { refreshEarnings } from '../../../electron/core/earnings/fold';
import { resolvePeriod } from '../../../electron/core/earnings/period';
import { breakdownFromStore } from '../../../electron/core/earnings/queries';
import { applyPage } from '../../../electron/core/store/apply';
import { inboxPage, messageThread } from '../../../electron/core/store/queries';
import { applySnapshotChunk } from '../../../electron/core/store/snapshot';
import { HOUR_MS } from '../../../shared/message';
import type { Change } from '../../../shared/protocol';
import { FakeFeed } from '../../fixtures/core/feed';
import { tempStore } from '../../fixtures/core/store';

/**
 * Pricing (#18) on the device, on a real SQLite file: each message's free pass and tier,
 * each fan's own terms, from the feed and from the snapshot alike.
 */
const NOW = Date.UTC(2026, 0, 2);
let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
});

function setup() {
  const t = tempStore();
  cleanup = t.cleanup;
  return t.store;
}

function pending(db: ReturnType<typeof setup>['db']) {
  const scope = { inboxId: null, view: 'pending' as const, userId: 'user-1', now: NOW };
  return inboxPage(
    db,
    { accountId: 'a', inboxId: null, view: 'pending', order: 'at_risk', cursor: null, limit: 50 },
    scope,
    () => 0,
  ).rows;
}

/** A free-pass message, a 24 h paid one and a 72 h paid one; the free fan, then the price fan. */
function pricedFeed(): FakeFeed {
  const feed = new FakeFeed();
  feed.fan('fan-free', 'Mum', false, { kind: 'free' });
  feed.fan('fan-vip', 'Agent', false, { kind: 'price', price: { minor: 1_000, currency: 'USD' } });
  feed.message('free', { fanId: 'fan-free', priceMinor: 0, free: true, deadline: Date.UTC(2026, 0, 1) + 24 * HOUR_MS });
  const fast = feed.message('fast', { priceMinor: 6_000 });
  feed.message('slow', { priceMinor: 2_500 });
  // The 24 h message as the platform sent it: deadline = paid time + the tier's window.
  feed.changes[feed.changes.length - 2] = {
    ...(feed.changes[feed.changes.length - 2] as Extract<Change, { kind: 'message' }>),
    data: { ...fast, deadline: fast.paidAt + 24 * HOUR_MS },
  };
  return feed;
}

describe('pricing on the device (#18)', () => {
  it('stores the free pass and the fan terms from the feed; a later entry takes terms back', () => {
    const store = setup();
    const feed = pricedFeed();
    applyPage(store.db, feed.page(0), 0, NOW);
    const rows = pending(store.db);
    expect(rows.find((r) => r.id === 'free')).toMatchObject({ free: true, price: { minor: 0 } });
    expect(rows.find((r) => r.id === 'fast')?.free).toBe(false);
    // No money at risk on a free message: it orders after every paid one.
    expect(rows.map((r) => r.id).at(-1)).toBe('free');
    const thread = messageThread(store.db, 'free');
    expect(thread.fan.terms).toEqual({ kind: 'free' });
    expect(messageThread(store.db, 'fast').fan.terms).toBeNull();

    const before = feed.seq;
    feed.fan('fan-free', 'Mum', false, null);
    applyPage(store.db, feed.page(before), before, NOW);
    expect(messageThread(store.db, 'free').fan.terms).toBeNull();
  });

  it('reads the same from a snapshot as from the feed', () => {
    const viaFeed = setup();
    const feed = pricedFeed();
    applyPage(viaFeed.db, feed.page(0), 0, NOW);
    const fromFeed = pending(viaFeed.db);
    const fromFeedTerms = messageThread(viaFeed.db, 'free').fan.terms;
    cleanup?.();

    const viaSnapshot = setup();
    const applied = applySnapshotChunk(
      viaSnapshot.db,
      { inboxId: feed.inboxId, at: feed.seq, entries: feed.snapshot(), resume: null, estimate: 3 },
      { at: null, resume: null },
      NOW,
    );
    expect(applied?.next).toBe(feed.snapshot().length);
    expect(applied?.applied.cursor).toBe(feed.seq);
    expect(pending(viaSnapshot.db)).toEqual(fromFeed);
    expect(messageThread(viaSnapshot.db, 'free').fan.terms).toEqual(fromFeedTerms);
    expect(messageThread(viaSnapshot.db, 'free').message.free).toBe(true);
  });

  it('breaks earnings down by the tier each message was paid for; a free message is in none', async () => {
    const store = setup();
    const feed = pricedFeed();
    const paid = Date.UTC(2026, 0, 1, 12);
    const ledger = (id: string, kind: 'hold' | 'capture', messageId: string, gross: number, net: number) =>
      ({
        kind: 'ledger',
        seq: 0,
        at: paid,
        data: {
          id,
          kind,
          messageId,
          fanId: `fan-${messageId}`,
          gross: { minor: gross, currency: 'USD' },
          fee: { minor: gross - net, currency: 'USD' },
          net: { minor: net, currency: 'USD' },
          actorId: null,
          at: paid + (kind === 'capture' ? HOUR_MS : 0),
        },
      }) as Change;
    const events = [
      ledger('h1', 'hold', 'fast', 6_000, 0),
      ledger('c1', 'capture', 'fast', 6_000, 5_400),
      ledger('h2', 'hold', 'slow', 2_500, 0),
      ledger('c2', 'capture', 'slow', 2_500, 2_250),
    ];
    const page = feed.page(0);
    const changes = [...page.changes, ...events.map((e, i) => ({ ...e, seq: feed.seq + i + 1 }))] as Change[];
    applyPage(
      store.db,
      { ...page, changes, nextAfter: feed.seq + events.length, headSeq: feed.seq + events.length },
      0,
      NOW,
    );
    await refreshEarnings(store.db, 'UTC');
    const breakdown = breakdownFromStore(store.db, feed.inboxId, resolvePeriod({ kind: 'month' }, 'UTC', NOW), 10);
    expect(breakdown.tiers).toEqual([
      {
        windowMs: 24 * HOUR_MS,
        currency: 'USD',
        count: 1,
        gross: { minor: 6_000, currency: 'USD' },
        net: { minor: 5_400, currency: 'USD' },
      },
      {
        windowMs: 72 * HOUR_MS,
        currency: 'USD',
        count: 1,
        gross: { minor: 2_500, currency: 'USD' },
        net: { minor: 2_250, currency: 'USD' },
      },
    ]);
  });
});
