import { closeSync, existsSync, openSync, readdirSync, writeSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { CoreError } from '../../../electron/core/errors';
import { AccountStore } from '../../../electron/core/store/account-store';
import { applyPage, readCursor } from '../../../electron/core/store/apply';
import { countOutbox, enqueueAction } from '../../../electron/core/store/outbox';
import { FakeFeed } from '../../fixtures/core/feed';
import { owner, tempStore } from '../../fixtures/core/store';

const NOW = Date.UTC(2026, 0, 2);
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function seeded(messages = 300) {
  const t = tempStore();
  cleanups.push(t.cleanup);
  const feed = new FakeFeed();
  for (let i = 0; i < messages; i++) feed.message(`m${i}`, { body: `Message number ${i} `.repeat(20) });
  applyPage(t.store.db, feed.page(0, 2000), 0, NOW);
  return { ...t, feed };
}

function storageCode(operation: () => unknown): string {
  try {
    operation();
  } catch (error) {
    if (error instanceof CoreError) return error.bridgeCode;
    throw error;
  }
  throw new Error('expected a storage error');
}

/** Overwrites whole pages of the file with garbage, as a failing disk would. */
function garblePages(path: string, pages: number[], pageSize: number): void {
  const fd = openSync(path, 'r+');
  try {
    for (const page of pages) writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (page - 1) * pageSize);
  } finally {
    closeSync(fd);
  }
}

describe('a damaged database', () => {
  it('is detected at open, moved aside and rebuilt, keeping the unsent outbox rows', () => {
    const { store, path, dir } = seeded();
    store.write(() => enqueueAction(store.db, 'm1', { kind: 'accept' }, owner, NOW, 5000), true);
    store.write(() => enqueueAction(store.db, 'm2', { kind: 'note', body: 'keep me' }, owner, NOW, 5000), true);
    const pageSize = store.db.pragma('page_size', { simple: true }) as number;
    const messagePages = store.db
      .prepare("SELECT pageno FROM dbstat WHERE name = 'messages' AND pagetype = 'leaf'")
      .pluck()
      .all() as number[];
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    store.close();
    garblePages(path, messagePages.slice(0, 3), pageSize);

    const reopened = new AccountStore(path, {}, NOW);
    cleanups.push(() => reopened.close());
    expect(reopened.repaired?.salvaged.map((r) => r.kind)).toEqual(['accept', 'note']);
    expect(existsSync(reopened.repaired?.movedTo ?? '')).toBe(true);
    expect(reopened.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(countOutbox(reopened.db)).toBe(2);
    expect(reopened.db.prepare('SELECT count(*) FROM messages').pluck().get()).toBe(0);
    expect(readCursor(reopened.db, 'inbox-1').cursor).toBe(0);
    expect(readdirSync(dir).some((f) => f.includes('.corrupt-'))).toBe(true);
  });

  it('that is not a database at all is replaced by an empty one', () => {
    const { store, path } = seeded(10);
    store.close();
    garblePages(path, [1], 4096);
    const reopened = new AccountStore(path, {}, NOW);
    cleanups.push(() => reopened.close());
    expect(reopened.repaired).not.toBeNull();
    expect(reopened.repaired?.salvaged).toEqual([]);
    expect(reopened.db.pragma('quick_check', { simple: true })).toBe('ok');
  });
});

describe('a full disk', () => {
  it('fails an action with storage_full and leaves no partial state', () => {
    const { store } = seeded(50);
    const pages = store.db.pragma('page_count', { simple: true }) as number;
    store.db.pragma(`max_page_count = ${pages}`);
    const before = countOutbox(store.db);
    const code = storageCode(() =>
      store.write(() => enqueueAction(store.db, 'm1', { kind: 'note', body: 'x'.repeat(4_900) }, owner, NOW, 0), true),
    );
    expect(code).toBe('storage_full');
    expect(countOutbox(store.db)).toBe(before);
    expect(store.db.prepare('SELECT count(*) FROM notes').pluck().get()).toBe(0);
  });

  it('refuses a page without moving the cursor', () => {
    const { store, feed } = seeded(50);
    const cursor = readCursor(store.db, 'inbox-1').cursor;
    for (let i = 0; i < 200; i++) feed.message(`n${i}`, { body: 'y'.repeat(2_000) });
    const pages = store.db.pragma('page_count', { simple: true }) as number;
    store.db.pragma(`max_page_count = ${pages + 5}`);
    const error = (() => {
      try {
        store.write(() => applyPage(store.db, feed.page(cursor, 2000), cursor, NOW));
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(CoreError);
    expect((error as CoreError).bridgeCode).toBe('storage_full');
    expect(readCursor(store.db, 'inbox-1').cursor).toBe(cursor);
    expect(store.db.prepare("SELECT count(*) FROM messages WHERE id LIKE 'n%'").pluck().get()).toBe(0);
  });
});

describe('a locked database', () => {
  it('fails an action with storage_locked while another program holds the write lock, then works', () => {
    const t = tempStore();
    cleanups.push(t.cleanup);
    t.store.close();
    const store = new AccountStore(t.path, { busyTimeoutMs: 50 });
    cleanups.push(() => store.close());
    const feed = new FakeFeed();
    feed.message('m1');
    applyPage(store.db, feed.page(0), 0, NOW);
    const other = new Database(t.path);
    other.exec('BEGIN IMMEDIATE');
    try {
      const code = storageCode(() =>
        store.write(() => enqueueAction(store.db, 'm1', { kind: 'accept' }, owner, NOW, 0), true),
      );
      expect(code).toBe('storage_locked');
      expect(countOutbox(store.db)).toBe(0);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    store.write(() => enqueueAction(store.db, 'm1', { kind: 'accept' }, owner, NOW, 0), true);
    expect(countOutbox(store.db)).toBe(1);
  });
});
