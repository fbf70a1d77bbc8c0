import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { readCursor } from '../../../electron/core/store/apply';
import { isFtsLive } from '../../../electron/core/store/fts';
import { searchMessages } from '../../../electron/core/store/queries';
import { PlatformClient } from '../../../electron/core/sync/http';
import { PageRejected } from '../../../electron/core/sync/page-parser';
import { InboxPuller } from '../../../electron/core/sync/puller';
import { FakeFeed } from '../../fixtures/core/feed';
import { tempStore } from '../../fixtures/core/store';

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** A real HTTP server that serves the change feed from a FakeFeed, or whatever `override` says. */
async function feedServer(feed: FakeFeed) {
  const state: { override: ((after: number, limit: number) => unknown) | null; requests: number } = {
    override: null,
    requests: 0,
  };
  const server: Server = createServer((req, res) => {
    state.requests++;
    const url = new URL(req.url ?? '/', 'http://x');
    const after = Number(url.searchParams.get('after'));
    const limit = Number(url.searchParams.get('limit'));
    const body = state.override ? state.override(after, limit) : feed.page(after, limit);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, state };
}

function setup(url: string, pageSize = 100, applySliceSize?: number) {
  const t = tempStore();
  cleanups.push(t.cleanup);
  const applied: boolean[] = [];
  const puller: InboxPuller = new InboxPuller({
    store: t.store,
    client: new PlatformClient(url, 'token'),
    inboxId: 'inbox-1',
    now: () => 0,
    anyBootstrapping: (): boolean => puller.bootstrapping,
    onApplied: (_c, more) => applied.push(more),
    bootstrapPageSize: pageSize,
    incrementalPageSize: pageSize,
    applySliceSize,
    appVersion: 'test',
  });
  return { store: t.store, puller, applied };
}

describe('InboxPuller', () => {
  it('bootstraps in pages with the search index deferred, then indexes and goes live', async () => {
    const feed = new FakeFeed();
    for (let i = 0; i < 450; i++)
      feed.message(`m${i}`, { body: i === 444 ? 'the needle in the haystack' : `message ${i}` });
    const { url } = await feedServer(feed);
    const { store, puller, applied } = setup(url);
    await puller.pull();
    expect(applied).toHaveLength(5);
    expect(readCursor(store.db, 'inbox-1')).toMatchObject({ cursor: 450, bootstrapped: true });
    expect(isFtsLive(store.db)).toBe(true);
    const search = (text: string) =>
      searchMessages(store.db, { accountId: 'a', inboxId: null, text, cursor: null, limit: 10 }, 0).rows.map(
        (r) => r.id,
      );
    expect(search('needle')).toEqual(['m444']);
    // Incremental pages go through the live triggers.
    feed.message('late', { body: 'a late needle' });
    await puller.pull();
    expect(search('needle')).toEqual(['late', 'm444']);
    store.db.exec("INSERT INTO messages_fts(messages_fts) VALUES ('integrity-check')");
  });

  it('rejects a page it cannot place without moving the cursor, and carries on when the feed is sound again', async () => {
    const feed = new FakeFeed();
    feed.message('m1');
    const { url, state } = await feedServer(feed);
    const { store, puller } = setup(url);
    await puller.pull();
    feed.message('m2');
    feed.triage('m2', { starred: true });
    state.override = (after, limit) => ({ ...feed.page(after, limit), inboxId: 'someone-else' });
    await expect(puller.pull()).rejects.toBeInstanceOf(PageRejected);
    expect(readCursor(store.db, 'inbox-1').cursor).toBe(1);
    state.override = null;
    await puller.pull();
    expect(readCursor(store.db, 'inbox-1').cursor).toBe(feed.seq);
    expect(store.db.prepare('SELECT starred FROM triage WHERE message_id = ?').pluck().get('m2')).toBe(1);
  });

  it('sets aside an entry about a message it never sent and applies the rest', async () => {
    const feed = new FakeFeed();
    feed.message('m1');
    const { url, state } = await feedServer(feed);
    const { store, puller } = setup(url);
    await puller.pull();
    // Triage for a message the feed never sent: schema-valid, but contradicts our data.
    state.override = (after) => ({
      inboxId: 'inbox-1',
      changes: [
        {
          seq: after + 1,
          at: 1,
          kind: 'triage',
          data: {
            messageId: 'ghost',
            read: true,
            starred: false,
            archived: false,
            labels: [],
            snoozedUntil: null,
            assigneeId: null,
            updatedAt: 1,
          },
        },
      ],
      nextAfter: after + 1,
      headSeq: after + 1,
      hasMore: false,
    });
    await puller.pull();
    expect(readCursor(store.db, 'inbox-1').cursor).toBe(2);
    expect(store.db.prepare('SELECT seq, reason FROM set_aside_entries').all()).toEqual([
      { seq: 2, reason: expect.stringMatching(/never sent/) },
    ]);
    expect(store.db.prepare('SELECT count(*) FROM triage').pluck().get()).toBe(0);
  });

  it('applies a big page in slices with the cursor at each slice, and rejects a bad page before any slice', async () => {
    const feed = new FakeFeed();
    for (let i = 0; i < 120; i++) feed.message(`m${i}`);
    const { url, state } = await feedServer(feed);
    const { store, puller, applied } = setup(url, 500, 50);
    await puller.pull();
    // Three transactions (50 + 50 + 20 entries); only the last one ends the bootstrap.
    expect(applied).toEqual([true, true, false]);
    expect(readCursor(store.db, 'inbox-1').cursor).toBe(120);
    // 150 entries, the last one about a message never sent: set aside, the 149 others applied.
    for (let i = 0; i < 149; i++) feed.message(`n${i}`);
    const ghostSeq = feed.seq + 1;
    state.override = (after, limit) => {
      const page = feed.page(after, limit);
      const ghost = {
        seq: ghostSeq,
        at: 1,
        kind: 'note' as const,
        data: { id: 'note-x', messageId: 'ghost', authorId: 'u', authorName: 'U', body: 'boo', createdAt: 1 },
      };
      return after >= ghostSeq
        ? { ...page, nextAfter: after, headSeq: ghostSeq }
        : { ...page, changes: [...page.changes, ghost], nextAfter: ghostSeq, headSeq: ghostSeq };
    };
    await puller.pull();
    expect(readCursor(store.db, 'inbox-1').cursor).toBe(ghostSeq);
    expect(store.db.prepare("SELECT count(*) FROM messages WHERE id LIKE 'n%'").pluck().get()).toBe(149);
    expect(store.db.prepare('SELECT seq FROM set_aside_entries').pluck().all()).toEqual([ghostSeq]);
  });

  it('sets aside one entry that contradicts the data on this device, applying the rest of its slice', async () => {
    const feed = new FakeFeed();
    feed.message('m1');
    feed.message('m2');
    const { url } = await feedServer(feed);
    const { store, puller } = setup(url, 100, 50);
    // A local rule the entry breaks (a trigger stands in for any constraint it violates).
    store.db.exec(
      "CREATE TRIGGER refuse_m1 BEFORE INSERT ON messages WHEN NEW.id = 'm1' BEGIN SELECT RAISE(ABORT, 'constraint failed: test refusal'); END",
    );
    await puller.pull();
    expect(readCursor(store.db, 'inbox-1').cursor).toBe(2);
    expect(store.db.prepare('SELECT id FROM messages').pluck().all()).toEqual(['m2']);
    expect(store.db.prepare('SELECT seq FROM set_aside_entries').pluck().all()).toEqual([1]);
  });
});
