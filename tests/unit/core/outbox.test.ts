import { afterEach, describe, expect, it } from 'vitest';
import { CoreError } from '../../../electron/core/errors';
import { AccountSession } from '../../../electron/core/services/account-session';
import { applyPage } from '../../../electron/core/store/apply';
import { enqueueAction, listOutbox, nextDueAction, undoAction } from '../../../electron/core/store/outbox';
import { messageThread } from '../../../electron/core/store/queries';
import { FakeFeed } from '../../fixtures/core/feed';
import { owner, tempStore, triageOnlyManager } from '../../fixtures/core/store';

const NOW = Date.UTC(2026, 0, 2);
const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

function seeded() {
  const t = tempStore();
  cleanups.push(t.cleanup);
  const feed = new FakeFeed();
  feed.message('p1', { paidAt: NOW - 1000 });
  feed.message('p2', { paidAt: NOW - 1000 });
  feed.message('late', { paidAt: NOW - 100 * 3_600_000 });
  feed.decide(feed.message('done', { paidAt: NOW - 1000 }), 'refunded');
  applyPage(t.store.db, feed.page(0), 0, NOW);
  return t.store;
}

function refusal(operation: () => unknown): string {
  try {
    operation();
  } catch (error) {
    if (error instanceof CoreError) return (error.details as { code: string } | undefined)?.code ?? error.bridgeCode;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('queuing actions', () => {
  it('holds decisions for the undo window, then lets them go in order', () => {
    const store = seeded();
    const { actionId, undoUntil } = enqueueAction(store.db, 'p1', { kind: 'accept' }, owner, NOW, 5000);
    enqueueAction(store.db, 'p1', { kind: 'note', body: 'after the accept' }, owner, NOW, 5000);
    enqueueAction(store.db, 'p2', { kind: 'triage', patch: { read: true } }, owner, NOW, 5000);
    expect(undoUntil).toBe(NOW + 5000);
    expect(listOutbox(store.db, NOW).map((o) => [o.kind, o.state])).toEqual([
      ['accept', 'held'],
      ['note', 'waiting'],
      ['triage', 'waiting'],
    ]);
    // The note waits behind its message's accept; the other message's triage does not.
    expect(nextDueAction(store.db, NOW)?.kind).toBe('triage');
    expect(nextDueAction(store.db, NOW + 5000)?.id).toBe(actionId);
  });

  it('undoes an action with its optimistic effect, but not one that has started leaving', () => {
    const store = seeded();
    const accept = enqueueAction(store.db, 'p1', { kind: 'accept', reply: 'Thanks!' }, owner, NOW, 5000);
    expect(messageThread(store.db, 'p1').replies.map((r) => r.localState)).toEqual(['queued']);
    expect(undoAction(store.db, accept.actionId)?.kind).toBe('accept');
    expect(messageThread(store.db, 'p1')).toMatchObject({ replies: [], message: { pendingDecision: null } });
    const star = enqueueAction(store.db, 'p2', { kind: 'triage', patch: { starred: true } }, owner, NOW, 0);
    expect(messageThread(store.db, 'p2').message.starred).toBe(true);
    store.db.prepare('UPDATE outbox SET sending = 1 WHERE id = ?').run(star.actionId);
    expect(undoAction(store.db, star.actionId)).toBeNull();
    expect(messageThread(store.db, 'p2').message.starred).toBe(true);
  });

  it('refuses what the platform would refuse, and writes nothing', () => {
    const store = seeded();
    expect(refusal(() => enqueueAction(store.db, 'done', { kind: 'accept' }, owner, NOW, 0))).toBe('already_decided');
    expect(refusal(() => enqueueAction(store.db, 'late', { kind: 'accept' }, owner, NOW, 0))).toBe('deadline_passed');
    expect(refusal(() => enqueueAction(store.db, 'p1', { kind: 'reply', body: 'hi' }, owner, NOW, 0))).toBe(
      'not_accepted',
    );
    expect(
      refusal(() => enqueueAction(store.db, 'p1', { kind: 'refund', reason: 'other' }, triageOnlyManager, NOW, 0)),
    ).toBe('forbidden');
    expect(refusal(() => enqueueAction(store.db, 'missing', { kind: 'accept' }, owner, NOW, 0))).toBe('not_found');
    enqueueAction(store.db, 'p1', { kind: 'refund', reason: 'other' }, owner, NOW, 0);
    expect(refusal(() => enqueueAction(store.db, 'p1', { kind: 'accept' }, owner, NOW, 0))).toBe('already_queued');
    // A queued accept allows a reply to be queued behind it.
    enqueueAction(store.db, 'p2', { kind: 'accept' }, owner, NOW, 0);
    enqueueAction(store.db, 'p2', { kind: 'reply', body: 'hi' }, owner, NOW, 0);
    expect(listOutbox(store.db, NOW).map((o) => o.kind)).toEqual(['refund', 'accept', 'reply']);
  });

  it('applies a bulk action to each message on its own merits', async () => {
    const store = seeded();
    const events: string[] = [];
    const session = new AccountSession(
      {
        id: 'acc',
        platformUrl: 'http://127.0.0.1:1',
        email: 'c@x',
        displayName: 'Creator',
        userId: 'user-1',
        kind: 'creator',
        demo: false,
        inboxes: [{ inboxId: 'inbox-1', handle: 'c', creatorName: 'C', role: 'owner', permissions: [] }],
      },
      store,
      null,
      {
        now: () => NOW,
        emit: (name) => events.push(name),
        appVersion: 'test',
        undoWindowMs: 5000,
        pollIntervalMs: 60_000,
        liveEvents: false,
      },
    );
    cleanups.push(() => session.close());
    const { results } = session.bulk(['p1', 'done', 'p2', 'missing'], { kind: 'refund', reason: 'not_for_me' });
    expect(results.map((r) => [r.messageId, r.ok])).toEqual([
      ['p1', true],
      ['done', false],
      ['p2', true],
      ['missing', false],
    ]);
    expect(listOutbox(store.db, NOW)).toHaveLength(2);
    expect(events).toContain('entities.changed');
    expect(session.status()).toMatchObject({ state: 'signed_out', pendingActions: 2 });
  });
});
