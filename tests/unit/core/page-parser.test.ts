import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { applyPage, isConstraintError, readCursor } from '../../../electron/core/store/apply';
import { searchMessages } from '../../../electron/core/store/queries';
import { buildMatchQuery } from '../../../electron/core/store/search-text';
import { PageRejected, parseChangesPage } from '../../../electron/core/sync/page-parser';
import type { Change, ChangesPage } from '../../../shared/protocol';
import { FakeFeed } from '../../fixtures/core/feed';
import { tempStore } from '../../fixtures/core/store';

const NOW = Date.UTC(2026, 0, 2);
const expect0 = { inboxId: 'inbox-1', after: 0, limit: 500 };

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function validPage(): ChangesPage {
  const feed = new FakeFeed();
  const m = feed.message('m1');
  feed.triage('m1', { starred: true });
  feed.decide(m, 'accepted');
  return feed.page(0);
}

function rejects(raw: unknown, expectation = expect0): string {
  try {
    parseChangesPage(raw, expectation);
  } catch (error) {
    expect(error).toBeInstanceOf(PageRejected);
    return (error as PageRejected).reason;
  }
  throw new Error('the page was accepted');
}

/** The reasons of the entries a page sets aside (the page itself is accepted). */
function setAside(raw: unknown, expectation = expect0): string[] {
  return parseChangesPage(raw, expectation).items.flatMap((item) => ('setAside' in item ? [item.setAside.reason] : []));
}

describe('parseChangesPage', () => {
  it('accepts a page the platform would send', () => {
    const { page, items } = parseChangesPage(validPage(), expect0);
    expect(page.changes).toHaveLength(3);
    expect(items.every((item) => 'change' in item)).toBe(true);
  });

  it('accepts a last page whose cursor skips entries hidden from this member', () => {
    expect(parseChangesPage({ ...validPage(), nextAfter: 9, headSeq: 9 }, expect0).page.nextAfter).toBe(9);
  });

  it('rejects a page whole when its envelope cannot be placed', () => {
    const page = validPage();
    expect(rejects(null)).toMatch(/protocol/);
    expect(rejects({ ...page, changes: 'lots' })).toMatch(/protocol/);
    expect(rejects({ ...page, inboxId: 'other' })).toMatch(/another inbox/);
    expect(rejects(page, { ...expect0, limit: 2 })).toMatch(/more entries/);
    expect(rejects({ ...page, nextAfter: 99, headSeq: 99, hasMore: true })).toMatch(/cursor/);
    expect(rejects({ ...page, nextAfter: 2 })).toMatch(/cursor/);
    expect(rejects({ ...page, headSeq: 1 })).toMatch(/head/);
    expect(rejects({ ...page, changes: [], nextAfter: 0, hasMore: true })).toMatch(/brings nothing/);
  });

  it('sets aside each unreadable, inconsistent or out-of-order entry and keeps the others', () => {
    const page = validPage();
    const [first, second, third] = page.changes as [Change, Change, Change];
    const message = first as Extract<Change, { kind: 'message' }>;
    expect(setAside({ ...page, changes: [second, first, third] })).toEqual([expect.stringMatching(/does not follow/)]);
    expect(setAside(page, { ...expect0, after: 1 })).toEqual([expect.stringMatching(/does not follow/)]);
    const withMessage = (data: object) => ({
      ...page,
      changes: [{ ...message, data: { ...message.data, ...data } }, second, third],
    });
    const only = (data: object) => {
      const read = parseChangesPage(withMessage(data), expect0);
      // The entries after the bad one are still there to apply, and the cursor moves past all three.
      expect(read.page.changes.map((c) => c.seq)).toEqual([2, 3]);
      expect(read.page.nextAfter).toBe(3);
      return setAside(withMessage(data));
    };
    expect(only({ inboxId: 'elsewhere' })).toEqual([expect.stringMatching(/another inbox/)]);
    expect(only({ fee: { minor: 1, currency: 'USD' } })).toEqual([expect.stringMatching(/add up/)]);
    expect(only({ net: { minor: 2250, currency: 'EUR' } })).toEqual([expect.stringMatching(/currencies/)]);
    expect(only({ price: { minor: 2.5, currency: 'USD' } })).toEqual([expect.stringMatching(/protocol/)]);
    expect(only({ price: { minor: -1, currency: 'USD' } })).toEqual([expect.stringMatching(/protocol/)]);
    expect(only({ price: { minor: 2500, currency: 'XXZ' } })).toEqual([expect.stringMatching(/protocol/)]);
    expect(only({ body: 'x'.repeat(20_001) })).toEqual([expect.stringMatching(/protocol.*body/)]);
    expect(only({ status: 'stolen' })).toEqual([expect.stringMatching(/protocol/)]);
    expect(setAside({ ...page, changes: [{ ...first, kind: 'drop_table' }, second, third] })).toEqual([
      expect.stringMatching(/protocol/),
    ]);
    // An entry whose own seq is unreadable is kept without one.
    const read = parseChangesPage({ ...page, changes: [first, { ...second, seq: 'two' }, third] }, expect0);
    expect(read.items[1]).toMatchObject({ setAside: { seq: null } });
    expect(read.page.changes.map((c) => c.seq)).toEqual([1, 3]);
    // A build that does not know a kind sets its entries aside for the next version.
    expect(setAside(page, expect0)).toEqual([]);
    const older = parseChangesPage(page, expect0, ['message']);
    expect(older.items.map((i) => ('setAside' in i ? i.setAside.reason : 'applied'))).toEqual([
      'applied',
      expect.stringMatching(/cannot apply triage/),
      'applied',
    ]);
  });

  /** The page parses, or is refused with PageRejected: nothing else may escape the parser. */
  const parsesOrRejects = (raw: unknown): boolean => {
    try {
      parseChangesPage(raw, expect0);
    } catch (error) {
      return error instanceof PageRejected;
    }
    return true;
  };

  it('never throws anything but PageRejected, whatever arrives (fuzz)', () => {
    fc.assert(
      fc.property(fc.anything(), (raw) => parsesOrRejects(raw)),
      { numRuns: 500 },
    );
  });

  it('rejects or accepts a valid page with one field replaced by anything, never crashing (fuzz)', () => {
    const page = validPage();
    const paths: string[][] = [];
    const walk = (value: unknown, path: string[]) => {
      if (value && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
      }
      paths.push(path);
    };
    walk(page, []);
    fc.assert(
      fc.property(fc.constantFrom(...paths.filter((p) => p.length > 0)), fc.anything(), (path, replacement) => {
        const copy = structuredClone(page) as unknown as Record<string, unknown>;
        let target = copy as Record<string, unknown>;
        for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>;
        target[path[path.length - 1] as string] = replacement;
        return parsesOrRejects(copy);
      }),
      { numRuns: 1000 },
    );
  });
});

/** Hostile but schema-valid pages: odd text, colliding ids, entries for messages we do not have. */
const hostileText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    "'); DROP TABLE messages; --",
    '"quoted" NEAR(x y) body:*',
    'مُحَمَّد أَحْمَد ـــ إِسْلام',
    '\u0000\uFFFF\uD800',
    '<img src=x onerror=alert(1)>',
    '💸💸💸',
  ),
);
const ids = fc.constantFrom('a', 'b', 'c', 'd', '__proto__', 'constructor');
const changeArb: fc.Arbitrary<Omit<Change, 'seq' | 'at'>> = fc.oneof(
  fc.record({
    kind: fc.constant('message' as const),
    data: fc.record({
      id: ids,
      inboxId: fc.constant('inbox-1'),
      fanId: ids,
      fanName: hostileText,
      body: hostileText,
      price: fc.constant({ minor: 1000, currency: 'USD' as const }),
      feeBps: fc.constant(1000),
      fee: fc.constant({ minor: 100, currency: 'USD' as const }),
      net: fc.constant({ minor: 900, currency: 'USD' as const }),
      status: fc.constantFrom('pending' as const, 'accepted' as const, 'refunded' as const, 'expired' as const),
      free: fc.boolean(),
      paidAt: fc.integer({ min: 0, max: 1e12 }),
      deadline: fc.constant(2e12),
      decidedAt: fc.option(fc.integer({ min: 0, max: 1e12 }), { nil: null }),
      decidedBy: fc.option(fc.record({ id: ids, name: hostileText }), { nil: null }),
      refundReason: fc.constant(null),
      noteToFan: fc.option(hostileText, { nil: null }),
    }),
  }),
  fc.record({
    kind: fc.constant('triage' as const),
    data: fc.record({
      messageId: ids,
      read: fc.boolean(),
      starred: fc.boolean(),
      archived: fc.boolean(),
      labels: fc.array(
        hostileText.filter((s) => s.trim().length > 0 && s.length <= 64).map((s) => s.trim()),
        { maxLength: 3 },
      ),
      snoozedUntil: fc.constant(null),
      assigneeId: fc.option(ids, { nil: null }),
      updatedAt: fc.integer({ min: 0, max: 1e12 }),
    }),
  }),
  fc.record({
    kind: fc.constant('reply' as const),
    data: fc.record({
      id: ids,
      messageId: ids,
      authorId: ids,
      authorName: hostileText,
      body: hostileText,
      createdAt: fc.constant(1),
    }),
  }),
  fc.record({
    kind: fc.constant('fan' as const),
    data: fc.record({
      id: ids,
      displayName: hostileText,
      blocked: fc.boolean(),
      terms: fc.constantFrom(
        null,
        { kind: 'free' as const },
        { kind: 'price' as const, price: { minor: 900, currency: 'USD' as const } },
      ),
    }),
  }),
);

describe('applying hostile pages (fuzz)', () => {
  it('either applies a page with its cursor or changes nothing; the database stays sound and searchable', () => {
    const t = tempStore();
    cleanups.push(t.cleanup);
    const db = t.store.db;
    fc.assert(
      fc.property(fc.array(changeArb, { minLength: 1, maxLength: 8 }), hostileText, (entries, query) => {
        const after = readCursor(db, 'inbox-1').cursor;
        const changes = entries.map((e, i) => ({ ...e, seq: after + i + 1, at: 1 })) as Change[];
        const raw: ChangesPage = {
          inboxId: 'inbox-1',
          changes,
          nextAfter: after + changes.length,
          headSeq: after + changes.length,
          hasMore: false,
        };
        const before = db.prepare('SELECT count(*) FROM messages').pluck().get();
        let page: ChangesPage;
        try {
          page = parseChangesPage(JSON.parse(JSON.stringify(raw)), { inboxId: 'inbox-1', after, limit: 500 }).page;
        } catch (error) {
          return error instanceof PageRejected;
        }
        let applied = false;
        try {
          applied = t.store.write(() => applyPage(db, page, after, NOW)) !== null;
        } catch (error) {
          // Only a constraint (an entry for a message we do not have) may refuse a parsed page.
          if (!isConstraintError(error)) throw error;
        }
        const cursor = readCursor(db, 'inbox-1').cursor;
        if (applied) expect(cursor).toBe(page.nextAfter);
        else {
          expect(cursor).toBe(after);
          expect(db.prepare('SELECT count(*) FROM messages').pluck().get()).toBe(before);
        }
        const search = searchMessages(db, { accountId: 'x', inboxId: null, text: query, cursor: null, limit: 5 }, NOW);
        expect(Array.isArray(search.rows)).toBe(true);
        return true;
      }),
      { numRuns: 300 },
    );
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.exec("INSERT INTO messages_fts(messages_fts) VALUES ('integrity-check')");
  });

  it('turns any search text into a safe FTS query (fuzz)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const match = buildMatchQuery(text);
        return match === null || /^(".*"\*?)( ".*"\*?)*$/s.test(match);
      }),
    );
  });
});
