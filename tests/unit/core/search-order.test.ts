/**
 * Search pages in the messages' own order (time paid, then a hash of the id), whichever
 * order they arrived in: a snapshot brings pending messages first, a replay of the feed
 * brings them as they were created. Messages of one millisecond whose ids hash to the same
 * slot are the hard case: they are placed by ordered probing, which must not depend on
 * arrival either, with the search index moved along when it already holds them.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { upsertMessage } from '../../../electron/core/store/apply';
import { deferFtsIndexing, indexNextChunk } from '../../../electron/core/store/fts';
import { searchMessages } from '../../../electron/core/store/queries';
import { homeSearchKey } from '../../../electron/core/store/search-key';
import type { Message } from '../../../shared/protocol';
import { FakeFeed } from '../../fixtures/core/feed';
import { tempStore } from '../../fixtures/core/store';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

const PAID = Date.UTC(2026, 0, 1, 12);

/** Ids whose home slots collide at PAID: three on one slot, two on the next, plus others. */
function collidingIds(): string[] {
  const bySlot = new Map<number, string[]>();
  for (let i = 0; ; i++) {
    const id = `m${i}`;
    const slot = homeSearchKey(PAID, id);
    bySlot.set(slot, [...(bySlot.get(slot) ?? []), id]);
    const three = [...bySlot.entries()].find(([s, ids]) => ids.length >= 3 && (bySlot.get(s + 1)?.length ?? 0) >= 2);
    if (three) return [...three[1].slice(0, 3), ...(bySlot.get(three[0] + 1) ?? []).slice(0, 2)];
  }
}

const feed = new FakeFeed();
const colliding = collidingIds();
const MESSAGES: Message[] = [
  ...colliding.map((id) => feed.message(id, { paidAt: PAID })),
  // Others of the same millisecond and of the ones around it.
  ...['a', 'b', 'c'].map((id) => feed.message(id, { paidAt: PAID })),
  feed.message('early', { paidAt: PAID - 1 }),
  feed.message('late', { paidAt: PAID + 1 }),
];

/** Applies the messages in `order`, the index deferred for the first `deferred` of them. */
function build(order: readonly number[], deferred: number, indexedBeforeRest: number) {
  const temp = tempStore();
  cleanups.push(temp.cleanup);
  const { db } = temp.store;
  if (deferred > 0) db.transaction(() => deferFtsIndexing(db))();
  order.forEach((index, position) => {
    const message = MESSAGES[index] as Message;
    db.transaction(() => upsertMessage(db, message, position + 1))();
    // Part of what arrived is indexed already when the rest comes (and may move it on).
    if (position + 1 === indexedBeforeRest) indexNextChunk(db, false, indexedBeforeRest);
  });
  while (!indexNextChunk(db, true, 3)) {
    // the deferred rows, a few at a time, then the triggers go live
  }
  return db;
}

function searchOrder(db: ReturnType<typeof build>, limit: number): string[] {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page = searchMessages(db, { accountId: 'a', inboxId: null, text: 'hello', cursor, limit }, PAID);
    ids.push(...page.rows.map((r) => r.id));
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}

describe('search order', () => {
  it('is the same whichever order the messages arrived in, colliding slots included', () => {
    expect(colliding).toHaveLength(5);
    const reference = build(
      MESSAGES.map((_, i) => i),
      0,
      0,
    );
    const expected = searchOrder(reference, 200);
    expect(new Set(expected)).toEqual(new Set(MESSAGES.map((m) => m.id)));
    // Newest first across milliseconds.
    expect(expected[0]).toBe('late');
    expect(expected.at(-1)).toBe('early');
    const keys = reference.prepare('SELECT id, search_key FROM messages ORDER BY id').all();
    fc.assert(
      fc.property(
        fc.shuffledSubarray(
          MESSAGES.map((_, i) => i),
          { minLength: MESSAGES.length, maxLength: MESSAGES.length },
        ),
        fc.boolean(),
        fc.nat(MESSAGES.length),
        fc.integer({ min: 1, max: 4 }),
        (order, deferred, indexedBeforeRest, limit) => {
          const db = build(order, deferred ? MESSAGES.length : 0, deferred ? indexedBeforeRest : 0);
          expect(searchOrder(db, limit)).toEqual(expected);
          expect(db.prepare('SELECT id, search_key FROM messages ORDER BY id').all()).toEqual(keys);
          // The index holds every message once, under its key, wherever probing moved it.
          db.exec("INSERT INTO messages_fts(messages_fts) VALUES ('integrity-check')");
          expect(db.prepare('SELECT count(*) FROM messages_fts').pluck().get()).toBe(MESSAGES.length);
        },
      ),
      { numRuns: 40 },
    );
  });
});
