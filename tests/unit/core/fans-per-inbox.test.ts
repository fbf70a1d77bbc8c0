/**
 * A fan is blocked, and has their own terms, in one inbox (the platform keeps both per
 * inbox), and each inbox numbers its own feed. A manager of two inboxes the same fan writes
 * to must see each inbox's own state: one row per fan for the whole device showed inbox A's
 * block in inbox B, and dropped inbox B's changes whose sequence number was lower than A's.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { applyPage } from '../../../electron/core/store/apply';
import { messageThread } from '../../../electron/core/store/queries';
import { purgeInbox } from '../../../electron/core/team/purge';
import { FakeFeed } from '../../fixtures/core/feed';
import { tempStore } from '../../fixtures/core/store';

const NOW = Date.UTC(2026, 0, 2);
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** Two inboxes on one device, the same fan writing to both; inbox A's feed is far ahead. */
function twoInboxes() {
  const t = tempStore();
  cleanups.push(t.cleanup);
  const a = new FakeFeed('inbox-a');
  const b = new FakeFeed('inbox-b');
  a.message('ma', { fanId: 'fan-1', fanName: 'Layla' });
  for (let i = 0; i < 20; i++) a.triage('ma', { starred: i % 2 === 0 });
  a.fan('fan-1', 'Layla', true, { kind: 'free' });
  b.message('mb', { fanId: 'fan-1', fanName: 'Layla' });
  b.fan('fan-1', 'Layla H.', false, { kind: 'price', price: { minor: 900, currency: 'USD' } });
  return { db: t.store.db, a, b };
}

describe('a fan on a device with two inboxes', () => {
  it("shows each inbox's own block and terms, whichever feed is further ahead", () => {
    const { db, a, b } = twoInboxes();
    applyPage(db, a.page(0), 0, NOW);
    applyPage(db, b.page(0), 0, NOW);

    expect(messageThread(db, 'ma').fan).toMatchObject({ displayName: 'Layla', blocked: true, terms: { kind: 'free' } });
    expect(messageThread(db, 'mb').fan).toMatchObject({
      displayName: 'Layla H.',
      blocked: false,
      terms: { kind: 'price', price: { minor: 900, currency: 'USD' } },
    });
  });

  it('keeps a newer change of one inbox over an older one of the same inbox only', () => {
    const { db, a, b } = twoInboxes();
    applyPage(db, b.page(0), 0, NOW);
    applyPage(db, a.page(0), 0, NOW);
    const after = b.seq;
    b.fan('fan-1', 'Layla H.', true);
    applyPage(db, b.page(after), after, NOW);

    expect(messageThread(db, 'mb').fan).toMatchObject({ blocked: true, terms: null });
    expect(messageThread(db, 'ma').fan).toMatchObject({ blocked: true, terms: { kind: 'free' } });
  });

  it("leaves the other inbox's fan when one inbox is removed from the device", () => {
    const { db, a, b } = twoInboxes();
    applyPage(db, a.page(0), 0, NOW);
    applyPage(db, b.page(0), 0, NOW);
    purgeInbox(db, 'inbox-a');

    expect(db.prepare('SELECT inbox_id, id, blocked FROM fans ORDER BY inbox_id').all()).toEqual([
      { inbox_id: 'inbox-b', id: 'fan-1', blocked: 0 },
    ]);
  });
});
