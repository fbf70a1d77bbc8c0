import { afterEach, describe, expect, it } from 'vitest';
import { applyPage } from '../../../electron/core/store/apply';
import { enqueueAction } from '../../../electron/core/store/outbox';
import { searchMessages } from '../../../electron/core/store/queries';
import { stmt } from '../../../electron/core/store/statements';
import { purgeInbox } from '../../../electron/core/team/purge';
import { FakeFeed } from '../../fixtures/core/feed';
import { owner, tempStore } from '../../fixtures/core/store';

let cleanup: (() => void) | null = null;
afterEach(() => cleanup?.());

const search = (db: Parameters<typeof searchMessages>[0], text: string) =>
  searchMessages(db, { accountId: 'a', inboxId: null, text, cursor: null, limit: 50 }, 0).rows.map((r) => r.id);

describe('forgetting an inbox whose access ended', () => {
  it('removes its messages, everything hanging off them, its index entries and every inbox-keyed row, and nothing else', () => {
    const temp = tempStore();
    cleanup = temp.cleanup;
    const { db } = temp.store;
    const gone = new FakeFeed('inbox-gone');
    const kept = new FakeFeed('inbox-kept');
    const m = gone.message('g-1', { body: 'zanzibar secret', fanId: 'fan-only-gone' });
    gone.message('g-2', { body: 'second', fanId: 'fan-shared' });
    gone.fan('fan-shared', 'Shared');
    gone.triage('g-1', { labels: ['vip'], starred: true });
    gone.reply('g-1', 'r-1', 'thanks');
    gone.fan('fan-only-gone', 'Only here');
    gone.changes.push({
      seq: ++gone.seq,
      at: 5,
      kind: 'member',
      data: { userId: 'u', displayName: 'U', email: 'u@x', role: 'manager', permissions: [], active: true },
    });
    kept.message('k-1', { body: 'zanzibar public', fanId: 'fan-shared' });
    kept.fan('fan-shared', 'Shared');
    temp.store.write(() => {
      applyPage(db, gone.page(), 0, 1);
      applyPage(db, kept.page(), 0, 1);
      enqueueAction(db, m.id, { kind: 'note', body: 'internal' }, owner, 2, 0);
    });
    expect(search(db, 'zanzibar').sort()).toEqual(['g-1', 'k-1']);

    const removed = temp.store.write(() => purgeInbox(db, 'inbox-gone'));
    expect(removed).toBe(2);
    for (const table of ['replies', 'notes', 'triage', 'message_labels']) {
      const left = stmt(db, `SELECT count(*) FROM ${table}`).pluck().get();
      expect({ table, left }).toEqual({ table, left: 0 });
    }
    for (const table of ['members', 'outbox', 'sync_state', 'messages']) {
      const left = stmt(db, `SELECT count(*) FROM ${table} WHERE inbox_id = 'inbox-gone'`).pluck().get();
      expect({ table, left }).toEqual({ table, left: 0 });
    }
    expect(stmt(db, 'SELECT id FROM messages').pluck().all()).toEqual(['k-1']);
    expect(stmt(db, "SELECT count(*) FROM sync_state WHERE inbox_id = 'inbox-kept'").pluck().get()).toBe(1);
    // A fan is kept per inbox (core migration 12): the forgotten inbox's go, the other's stay.
    expect(stmt(db, 'SELECT inbox_id, id FROM fans ORDER BY id').all()).toEqual([
      { inbox_id: 'inbox-kept', id: 'fan-shared' },
    ]);
    expect(search(db, 'zanzibar')).toEqual(['k-1']);
    expect(search(db, 'secret')).toEqual([]);
    // The FTS index agrees with its content table after the deletes.
    expect(() => db.exec("INSERT INTO messages_fts(messages_fts, rank) VALUES ('integrity-check', 1)")).not.toThrow();
  });
});
