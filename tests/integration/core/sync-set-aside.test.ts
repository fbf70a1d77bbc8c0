import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallOutput } from '../../../shared/contract';
import { type CoreHarness, startCore } from '../../fixtures/core/core';
import { waitFor } from '../../fixtures/core/proxy';
import { clockOf, closeSoon, startCast, type TestCast } from '../../helpers/server';

/**
 * Nothing from outside may stall a device's sync: a feed entry this build cannot read is
 * set aside (kept, counted, announced), everything after it is applied, and it is tried
 * again by the next app version. Real platform on loopback, real SQLite files.
 */
let { platform, creator, fan } = {} as TestCast;
beforeAll(async () => {
  // The platform checks its own answers in tests; this one serves a damaged entry on purpose.
  ({ platform, creator, fan } = await startCast({ checkResponses: false }));
});
afterAll(() => closeSoon(platform), 20_000);

async function pendingIds(h: CoreHarness, accountId: string): Promise<string[]> {
  const page = await h.call('inbox.page', { accountId, inboxId: null, view: 'pending', limit: 200 });
  return page.rows.map((r) => r.id);
}

/** Damages a message's stored feed entries the way a platform bug or a hostile platform could; how many. */
async function damageMessageEntries(messageId: string): Promise<number> {
  const rows = await platform.platform.db.query(
    `UPDATE changes SET data = jsonb_set(data::jsonb, '{price,minor}', '"a lot"') WHERE kind = 'message' AND entity_id = $1
     RETURNING seq`,
    [messageId],
  );
  return rows.length;
}

/** Waits until the core is online for the account and its sync status passes `ok`. */
function onlineWhen(
  core: CoreHarness,
  accountId: string,
  ok: (status: CallOutput<'sync.status'>) => boolean,
  what: string,
): Promise<CallOutput<'sync.status'>> {
  return waitFor(async () => {
    const status = await core.call('sync.status', { accountId });
    return status.state === 'online' && ok(status) ? status : null;
  }, what);
}

describe('a feed entry the client cannot apply', () => {
  it('is set aside, counted and announced while later entries and new paid DMs still arrive', async () => {
    const first = await platform.api.sendPaidMessage(fan, creator, 'Before the damage');
    const damaged = await platform.api.sendPaidMessage(fan, creator, 'This one will be unreadable');
    const after = await platform.api.sendPaidMessage(fan, creator, 'After the damage');
    const damagedEntries = await damageMessageEntries(damaged.id);
    expect(damagedEntries).toBeGreaterThan(0);

    const h = await startCore({ clock: clockOf(platform), version: '1.0.0' });
    try {
      const { id: accountId } = await h.signIn(platform.url, creator);
      await waitFor(async () => (await pendingIds(h, accountId)).includes(after.id), 'entries after the damaged one');
      expect(await pendingIds(h, accountId)).toEqual(expect.arrayContaining([first.id, after.id]));
      expect(await pendingIds(h, accountId)).not.toContain(damaged.id);

      // A paid DM sent now still arrives live.
      const fresh = await platform.api.sendPaidMessage(fan, creator, 'A new paid question');
      await waitFor(async () => (await pendingIds(h, accountId)).includes(fresh.id), 'new paid DM');

      const status = await waitFor(async () => {
        const s = await h.call('sync.status', { accountId });
        return s.state === 'online' ? s : null;
      }, 'online');
      // The damaged entry, and the entries about its message (its triage), which cannot stand without it.
      const [about] = await platform.platform.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM changes
         WHERE kind IN ('message', 'triage', 'reply', 'note') AND (entity_id = $1 OR data->>'messageId' = $1)`,
        [damaged.id],
      );
      expect(about?.n).toBeGreaterThan(damagedEntries);
      expect(status.setAside).toBe(about?.n);
      const notices = await h.call('notices.list', { accountId });
      const notice = notices.find((n) => n.code === 'feed_entries_set_aside');
      expect(notice?.params).toMatchObject({ count: about?.n });
      expect(h.events.some((e) => e.name === 'notice.added')).toBe(true);
    } finally {
      await h.close();
    }
  });

  it('is tried again by the next app version, which applies it when it can read it', async () => {
    // A build that predates the audit log cannot read its entries (a stand-in for any kind
    // an older build does not know); the real current build can.
    const olderKinds = ['message', 'reply', 'triage', 'note', 'fan', 'ledger', 'settings', 'member'] as const;
    // A creator of its own: the first test's damaged entry must not be in this feed.
    const creator = await platform.api.signUpCreator({ displayName: 'Sami Creator' });
    // Accepting writes an audit entry to the owner's feed.
    const accepted = await platform.api.sendPaidMessage(fan, creator, 'Something to accept');
    await platform.api.accept(creator, accepted.id);
    const old = await startCore({ clock: clockOf(platform), version: '1.0.0', sync: { knownKinds: [...olderKinds] } });
    const dataDir = old.dataDir;
    const vault = old.vault;
    let accountId = '';
    try {
      ({ id: accountId } = await old.signIn(platform.url, creator));
      const status = await onlineWhen(
        old,
        accountId,
        (s) => s.setAside > 0,
        'audit entries set aside by the older build',
      );
      expect(status.setAside).toBeGreaterThan(0);
    } finally {
      await old.close();
    }
    const same = await startCore({ clock: clockOf(platform), version: '1.0.0', dataDir, vault });
    try {
      // Same version: nothing new to try; the entries stay set aside.
      const s = await onlineWhen(same, accountId, () => true, 'online again');
      expect(s.setAside).toBeGreaterThan(0);
    } finally {
      await same.close();
    }
    const updated = await startCore({ clock: clockOf(platform), version: '1.0.1', dataDir, vault });
    try {
      const s = await onlineWhen(
        updated,
        accountId,
        (c) => c.setAside === 0,
        'set-aside entries applied by the updated build',
      );
      expect(s.setAside).toBe(0);
      const audit = await updated.call('team.audit', { accountId, inboxId: creator.inboxId });
      expect(audit.entries.some((e) => e.action === 'message.accept' && e.subjectId === accepted.id)).toBe(true);
    } finally {
      await updated.close();
    }
  });
});
