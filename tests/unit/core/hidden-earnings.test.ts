/**
 * A member without view_earnings is sent messages without their fee split (issue 12): the
 * device reads such a page, stores null (core migration 11 lifted NOT NULL), shows the
 * price only, and keeps "all three or none, and they add up" as a rule of its own.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { applyPage } from '../../../electron/core/store/apply';
import { messageThread } from '../../../electron/core/store/queries';
import { parseChangesPage } from '../../../electron/core/sync/page-parser';
import { settingsView } from '../../../electron/core/team/settings';
import { FakeFeed } from '../../fixtures/core/feed';
import { tempStore } from '../../fixtures/core/store';

const NOW = Date.UTC(2026, 0, 2);
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});
const store = () => {
  const t = tempStore();
  cleanups.push(t.cleanup);
  return t.store;
};
const HIDDEN = { feeBps: null, fee: null, net: null };

describe('messages without their fee split', () => {
  it('are read, stored with null and shown with their price only', () => {
    const feed = new FakeFeed();
    feed.message('m1', HIDDEN);
    const read = parseChangesPage(feed.page(0), { inboxId: feed.inboxId, after: 0, limit: 500 });
    expect(read.items.every((item) => 'change' in item)).toBe(true);
    const s = store();
    applyPage(s.db, read.page, 0, NOW);
    const row = s.db.prepare('SELECT price_minor, fee_bps, fee_minor, net_minor FROM messages').get();
    expect(row).toEqual({ price_minor: 2_500, fee_bps: null, fee_minor: null, net_minor: null });
    const thread = messageThread(s.db, 'm1');
    expect(thread.message).toMatchObject({ price: { minor: 2_500, currency: 'USD' }, fee: null, net: null });
  });

  it('takes the newest entry’s split: a later entry without it clears the stored one', () => {
    const feed = new FakeFeed();
    const m = feed.message('m1');
    feed.decide({ ...m, ...HIDDEN }, 'accepted');
    const s = store();
    applyPage(s.db, feed.page(0), 0, NOW);
    expect(s.db.prepare('SELECT fee_bps, fee_minor, net_minor FROM messages').get()).toEqual({
      fee_bps: null,
      fee_minor: null,
      net_minor: null,
    });
  });

  it('sets aside an entry with part of the split hidden, and the store refuses one too', () => {
    const feed = new FakeFeed();
    feed.message('m1', { fee: null });
    const read = parseChangesPage(feed.page(0), { inboxId: feed.inboxId, after: 0, limit: 500 });
    expect(read.items).toEqual([
      { setAside: expect.objectContaining({ reason: 'message m1 has part of its fee split hidden' }) },
    ]);
    const s = store();
    const insert = (fee: number | null, net: number | null) =>
      s.db
        .prepare(
          `INSERT INTO messages (id, inbox_id, fan_id, fan_name, body, currency, price_minor, fee_bps, fee_minor, net_minor,
             status, paid_at, deadline, seq) VALUES (?, 'i', 'f', 'F', 'b', 'USD', 1000, 1000, ?, ?, 'pending', 1, 2, 1)`,
        )
        .run(`m-${fee}-${net}`, fee, net);
    expect(() => insert(null, 900)).toThrow(/CHECK constraint failed/);
    expect(() => insert(100, 800)).toThrow(/CHECK constraint failed/);
    expect(() => insert(100, 900)).not.toThrow();
  });

  it('gives no fee rate to the settings preview of who may not view earnings', () => {
    const feed = new FakeFeed();
    feed.message('m1');
    const s = store();
    applyPage(s.db, feed.page(0), 0, NOW);
    expect(settingsView(s.db, feed.inboxId)).toMatchObject({ feeBps: 1_000, feeSource: 'platform' });
    expect(settingsView(s.db, feed.inboxId, false)).toMatchObject({ feeBps: null, feeSource: 'hidden' });
  });
});
