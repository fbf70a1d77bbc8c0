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

interface SnapshotControl {
  /** The point a new snapshot is taken at (default: the feed's head when asked). */
  at: number | null;
  /** Break the connection after this many complete chunks (and half of the next). */
  breakAfterChunks: number | null;
  /** Replace the entries of the chunk with this index. */
  tamper: ((chunk: number, entries: unknown[]) => unknown[]) | null;
  /** Refuse resume tokens as the platform does one it no longer knows. */
  refuseResume: boolean;
  resumes: string[];
}

/**
 * GET /snapshot from a FakeFeed, as NDJSON: begin, chunks of `limit` entries each closed by a
 * mark whose resume token is `<at>:<next index>`, then end.
 */
function serveSnapshot(feed: FakeFeed, control: SnapshotControl, url: URL, res: import('node:http').ServerResponse) {
  const resume = url.searchParams.get('resume');
  const limit = Number(url.searchParams.get('limit') ?? 2000);
  if (resume) control.resumes.push(resume);
  if (resume && control.refuseResume) {
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'invalid_request', message: 'unknown resume token' } }));
    return;
  }
  const [at, from] = resume ? resume.split(':').map(Number) : [control.at ?? feed.seq, 0];
  const entries = feed.snapshot(at);
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  res.write(
    `${JSON.stringify({ snapshot: 'begin', inboxId: feed.inboxId, at, estimate: { messages: entries.filter((e) => e.kind === 'message').length, pending: 0 } })}\n`,
  );
  let chunk = 0;
  for (let i = from ?? 0; i < entries.length || i === (from ?? 0); i += limit) {
    const honest = entries.slice(i, i + limit);
    const part: unknown[] = control.tamper ? control.tamper(chunk, honest) : honest;
    const body = part.map((e) => `${JSON.stringify(e)}\n`).join('');
    const next = i + limit;
    if (control.breakAfterChunks !== null && chunk === control.breakAfterChunks) {
      res.write(body.slice(0, Math.floor(body.length / 2)));
      // Cut the connection once what was written has gone out.
      setTimeout(() => res.socket?.destroy(), 100);
      return;
    }
    const last = next >= entries.length;
    const mark = last
      ? { snapshot: 'end', entries: honest.length, at }
      : { snapshot: 'chunk', entries: honest.length, resume: `${at}:${next}` };
    res.write(`${body}${JSON.stringify(mark)}\n`);
    chunk++;
    if (last) break;
  }
  res.end();
}

/** A real HTTP server that serves the change feed (and the snapshot) from a FakeFeed, or whatever `override` says. */
async function feedServer(feed: FakeFeed) {
  const state: {
    override: ((after: number, limit: number) => unknown) | null;
    requests: number;
    snapshot: SnapshotControl;
  } = {
    override: null,
    requests: 0,
    snapshot: { at: null, breakAfterChunks: null, tamper: null, refuseResume: false, resumes: [] },
  };
  const server: Server = createServer((req, res) => {
    state.requests++;
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname.endsWith('/snapshot')) return serveSnapshot(feed, state.snapshot, url, res);
    const after = Number(url.searchParams.get('after'));
    const limit = Number(url.searchParams.get('limit'));
    const body = state.override ? state.override(after, limit) : feed.page(after, limit);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, state };
}

/** A device that has pulled a feed of one message, m1; the feed and its server stay for more. */
async function syncedWithOneMessage() {
  const feed = new FakeFeed();
  feed.message('m1');
  const { url, state } = await feedServer(feed);
  const { store, puller } = setup(url);
  await puller.pull();
  return { feed, state, store, puller };
}

function setup(url: string, pageSize = 100, applySliceSize?: number, fromSnapshot = false, now = () => 0) {
  const t = tempStore();
  cleanups.push(t.cleanup);
  const applied: boolean[] = [];
  const puller: InboxPuller = new InboxPuller({
    store: t.store,
    client: new PlatformClient(url, 'token'),
    inboxId: 'inbox-1',
    now,
    anyBootstrapping: (): boolean => puller.bootstrapping,
    onApplied: (_c, more) => applied.push(more),
    bootstrapPageSize: pageSize,
    incrementalPageSize: pageSize,
    applySliceSize,
    appVersion: 'test',
    // These tests are about the feed's own bootstrap (what a device part-way through one continues with).
    bootstrapFromFeed: !fromSnapshot,
    snapshotChunkSize: pageSize,
    earningsTimeZone: 'UTC',
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
    const { feed, state, store, puller } = await syncedWithOneMessage();
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
    const { state, store, puller } = await syncedWithOneMessage();
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

describe('InboxPuller, bootstrapping from the snapshot', () => {
  const count = (store: ReturnType<typeof setup>['store'], sql: string) => store.db.prepare(sql).pluck().get();

  function history(messages: number) {
    const feed = new FakeFeed();
    for (let i = 0; i < messages; i++) {
      const m = feed.message(`m${i}`, {
        body: i === 77 ? 'the needle in the haystack' : `message ${i}`,
        paidAt: Date.UTC(2026, 0, 1) + ((i * 7919) % messages) * 60_000,
      });
      if (i % 3 === 0) feed.decide(m, 'accepted');
      if (i % 5 === 0) feed.triage(m.id, { starred: true });
    }
    return feed;
  }

  /**
   * A snapshot of `messages` at the feed's head, in chunks of `chunk`, whose stream breaks
   * after `breakAfter` chunks; the first pull has already met the break.
   */
  async function brokenBootstrap(messages: number, chunk: number, breakAfter: number, now?: () => number) {
    const feed = history(messages);
    const { url, state } = await feedServer(feed);
    const { store, puller } = setup(url, chunk, undefined, true, now);
    state.snapshot.at = feed.seq;
    state.snapshot.breakAfterChunks = breakAfter;
    await expect(puller.pull()).rejects.toThrow();
    return { feed, state, store, puller };
  }

  it('applies chunk by chunk with the cursor only at the end, pending first, then follows the feed from its point', async () => {
    const feed = history(230);
    const { url } = await feedServer(feed);
    const { store, puller, applied } = setup(url, 50, undefined, true);
    await puller.pull();
    const at = feed.seq;
    // Every chunk but the last leaves the inbox bootstrapping; the last one ends it (then the feed's pages).
    const ended = applied.indexOf(false);
    expect(ended).toBeGreaterThan(4);
    expect(applied.slice(0, ended).every((more) => more)).toBe(true);
    expect(applied.slice(ended).every((more) => !more)).toBe(true);
    expect(readCursor(store.db, 'inbox-1')).toMatchObject({ cursor: at, bootstrapped: true });
    expect(count(store, 'SELECT count(*) FROM messages')).toBe(230);
    expect(count(store, "SELECT count(*) FROM messages WHERE status = 'accepted'")).toBe(77);
    expect(count(store, 'SELECT count(*) FROM triage WHERE starred = 1')).toBe(46);
    expect(isFtsLive(store.db)).toBe(true);
    const search = (text: string) =>
      searchMessages(store.db, { accountId: 'a', inboxId: null, text, cursor: null, limit: 10 }, 0).rows.map(
        (r) => r.id,
      );
    expect(search('needle')).toEqual(['m77']);
    // Pending messages were stored first, soonest deadline first (rowid = arrival order).
    const order = store.db.prepare('SELECT status, deadline FROM messages ORDER BY rowid').all() as Array<{
      status: string;
      deadline: number;
    }>;
    const firstDecided = order.findIndex((m) => m.status !== 'pending');
    expect(order.slice(firstDecided).every((m) => m.status !== 'pending')).toBe(true);
    const deadlines = order.slice(0, firstDecided).map((m) => m.deadline);
    expect(deadlines).toEqual([...deadlines].sort((a, b) => a - b));
    // Then the feed from the snapshot's point: only what came after it.
    // Paid after every message of the history: search lists it first (newest paid first).
    feed.message('late', { body: 'a late needle', paidAt: Date.UTC(2026, 0, 1) + 230 * 60_000 });
    await puller.pull();
    expect(search('needle')).toEqual(['late', 'm77']);
    expect(readCursor(store.db, 'inbox-1').cursor).toBe(feed.seq);
    store.db.exec("INSERT INTO messages_fts(messages_fts) VALUES ('integrity-check')");
  });

  it('keeps complete chunks when the stream breaks, resumes from the last one at the same point, never looks complete before', async () => {
    const { feed, state, store, puller } = await brokenBootstrap(200, 40, 3);
    expect(readCursor(store.db, 'inbox-1')).toMatchObject({ cursor: 0, bootstrapped: false });
    expect(puller.bootstrapping).toBe(true);
    expect(count(store, 'SELECT count(*) FROM messages')).toBeGreaterThan(0);
    expect(puller.progress().done).toBe(count(store, 'SELECT count(*) FROM messages'));
    // The inbox moves on meanwhile; the resumed snapshot stays at its point, the feed brings the rest.
    feed.decide(
      feed.snapshot().find((c) => c.kind === 'message')?.data as Parameters<FakeFeed['decide']>[0],
      'refunded',
    );
    feed.message('during', { body: 'sent during the break' });
    state.snapshot.breakAfterChunks = null;
    await puller.pull();
    expect(state.snapshot.resumes).toEqual([`${state.snapshot.at}:120`]);
    expect(readCursor(store.db, 'inbox-1')).toMatchObject({ cursor: feed.seq, bootstrapped: true });
    expect(count(store, 'SELECT count(*) FROM messages')).toBe(201);
    expect(count(store, "SELECT count(*) FROM messages WHERE status = 'refunded'")).toBe(1);
  });

  it('tells the time left at the pace of this run, and none once the inbox is complete', async () => {
    let clock = 1_000_000;
    const { state, store, puller } = await brokenBootstrap(200, 40, 1, () => clock);
    const first = puller.progress();
    expect(first.total).toBe(200);
    expect(first.remainingMs).toBeNull(); // no pace yet: the first sight only starts the measure
    state.snapshot.breakAfterChunks = 2;
    await expect(puller.pull()).rejects.toThrow();
    clock += 4_000;
    const later = puller.progress();
    expect(later.done).toBeGreaterThan(first.done);
    // What is left, at the messages-per-millisecond seen between the two readings.
    expect(later.remainingMs).toBe(Math.round(((200 - later.done) * 4_000) / (later.done - first.done)));
    state.snapshot.breakAfterChunks = null;
    await puller.pull();
    expect(readCursor(store.db, 'inbox-1').bootstrapped).toBe(true);
    expect(puller.progress().remainingMs).toBeNull();
  });

  it('refuses a chunk short of its count whole, and sets aside entries it cannot apply without stopping the rest', async () => {
    const feed = history(120);
    const { url, state } = await feedServer(feed);
    const { store, puller } = setup(url, 40, undefined, true);
    state.snapshot.at = feed.seq;
    state.snapshot.tamper = (chunk, entries) => (chunk === 1 ? entries.slice(1) : entries);
    await expect(puller.pull()).rejects.toBeInstanceOf(PageRejected);
    const kept = count(store, 'SELECT count(*) FROM messages') as number;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(40);
    expect(readCursor(store.db, 'inbox-1')).toMatchObject({ cursor: 0, bootstrapped: false });
    // Resumed after the first chunk: its next chunk's messages claim another inbox.
    state.snapshot.tamper = (chunk, entries) =>
      chunk === 0
        ? entries.map((e) => {
            const c = e as { kind: string; data: { inboxId?: string } };
            return c.kind === 'message' ? { ...c, data: { ...c.data, inboxId: 'someone-else' } } : c;
          })
        : entries;
    await puller.pull();
    const setAside = count(store, 'SELECT count(*) FROM set_aside_entries') as number;
    expect(setAside).toBeGreaterThan(0);
    expect(count(store, "SELECT count(*) FROM set_aside_entries WHERE reason LIKE '%another inbox%'")).toBeGreaterThan(
      0,
    );
    expect(readCursor(store.db, 'inbox-1')).toMatchObject({ cursor: feed.seq, bootstrapped: true });
    // Everything else arrived: every message but the ones set aside.
    const asideMessages = count(
      store,
      "SELECT count(*) FROM set_aside_entries WHERE json_extract(raw, '$.kind') = 'message'",
    ) as number;
    expect(count(store, 'SELECT count(*) FROM messages')).toBe(120 - asideMessages);
  });

  it('starts over cleanly when the platform no longer accepts the resume token', async () => {
    const { feed, state, store, puller } = await brokenBootstrap(100, 30, 1);
    state.snapshot.breakAfterChunks = null;
    state.snapshot.refuseResume = true;
    feed.message('newer');
    state.snapshot.at = null; // a new snapshot is taken at the head
    await puller.pull();
    expect(state.snapshot.resumes).toHaveLength(1);
    expect(readCursor(store.db, 'inbox-1')).toMatchObject({ cursor: feed.seq, bootstrapped: true });
    expect(count(store, 'SELECT count(*) FROM messages')).toBe(101);
  });
});
