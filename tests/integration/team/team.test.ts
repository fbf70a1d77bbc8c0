/**
 * Issue 8 through the real core and the real platform on loopback: inbox settings edited
 * offline and synced, invitations and permissions, revoked access removing the local copy,
 * many inboxes, presence, the audit log and its CSV, and two managers racing for one message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../shared/contract';
import { type CoreHarness, startCore } from '../../fixtures/core/core';
import { NetworkProxy, waitFor } from '../../fixtures/core/proxy';
import { startTestPlatform, type TestCreator, type TestPlatform, type TestUser } from '../../helpers/server';

let platform: TestPlatform;
let owner: TestCreator;
let fan: TestUser;
const open: CoreHarness[] = [];

beforeAll(async () => {
  platform = await startTestPlatform();
  owner = await platform.api.signUpCreator({ displayName: 'Layla Owner', price: { minor: 2_000, currency: 'USD' } });
  fan = await platform.api.signUpFan({ displayName: 'Omar Fan' });
  await platform.api.topUp(fan, { minor: 1_000_000, currency: 'USD' });
});
afterAll(async () => {
  await Promise.allSettled(open.map((h) => h.close()));
  await platform.close();
}, 15_000);

function clockOf(p: TestPlatform): () => number {
  const start = Date.now();
  return () => p.clock.now() + (Date.now() - start);
}

async function connect(user: TestUser, url = platform.url): Promise<{ h: CoreHarness; accountId: string }> {
  const h = await startCore({ clock: clockOf(platform) });
  open.push(h);
  const account = await h.call('accounts.connect', { url, email: user.email, password: user.password });
  return { h, accountId: account.id };
}

const hasRow = async (h: CoreHarness, accountId: string, messageId: string) =>
  (await h.call('inbox.page', { accountId, inboxId: null, view: 'pending', limit: 200 })).rows.some(
    (r) => r.id === messageId,
  );

describe('inbox settings', () => {
  it('are edited offline with a fee preview from the platform, then synced once back online', async () => {
    const first = await platform.api.sendPaidMessage(fan, owner, 'Before the price change');
    const proxy = await NetworkProxy.start(platform.url);
    try {
      const { h, accountId } = await connect(owner, proxy.url);
      await waitFor(() => hasRow(h, accountId, first.id), 'bootstrap');
      const synced = await h.call('team.settings', { accountId, inboxId: owner.inboxId });
      expect(synced).toMatchObject({
        settings: { price: { minor: 2_000, currency: 'USD' }, acceptingPaidDms: true },
        pending: false,
        feeBps: first.feeBps,
        feeSource: 'platform',
      });

      proxy.setOnline(false);
      const edited = await h.call('team.updateSettings', {
        accountId,
        inboxId: owner.inboxId,
        patch: { price: { minor: 2_500, currency: 'USD' }, paused: true },
      });
      expect(edited.view).toMatchObject({ pending: true, settings: { price: { minor: 2_500 }, paused: true } });
      // The first edit already tried to leave (offline), so its idempotency key promises the
      // platform that body: a second edit queues behind it instead of changing it.
      await waitFor(async () => (await h.call('outbox.list', { accountId }))[0]?.state === 'retrying', 'tried');
      await h.call('team.updateSettings', { accountId, inboxId: owner.inboxId, patch: { dailyCap: 40 } });
      const queued = (await h.call('outbox.list', { accountId })).filter((o) => o.kind === 'settings');
      expect(queued.map((o) => o.attempts > 0)).toEqual([true, false]);
      // A response window of 30 minutes is refused at once and nothing is queued.
      await expect(
        h.call('team.updateSettings', { accountId, inboxId: owner.inboxId, patch: { responseWindowMs: 1_800_000 } }),
      ).rejects.toMatchObject({ code: 'invalid_input' });
      const onPlatform = await platform.api.ok('getSettings', {
        token: owner.token,
        params: { inboxId: owner.inboxId },
      });
      expect(onPlatform.price.minor).toBe(2_000);

      proxy.setOnline(true);
      await h.call('sync.retry', { accountId });
      await waitFor(async () => {
        const s = await platform.api.ok('getSettings', { token: owner.token, params: { inboxId: owner.inboxId } });
        return s.price.minor === 2_500 && s.paused && s.dailyCap === 40;
      }, 'settings on the platform');
      await waitFor(
        async () => !(await h.call('team.settings', { accountId, inboxId: owner.inboxId })).pending,
        'synced',
      );
      // The sign-up's own price change is in the log too, at the same (frozen) platform time,
      // so look for this device's entry rather than trusting the order of equal times.
      const fromThisDevice = await waitFor(async () => {
        const page = await h.call('team.audit', { accountId, inboxId: owner.inboxId, category: 'settings' });
        return page.entries.find((entry) => entry.deviceName === 'test device') ?? null;
      }, 'audit entry');
      expect(fromThisDevice).toMatchObject({ action: 'settings.update', actorName: 'Layla Owner' });
    } finally {
      // The other tests need this creator taking paid messages again, whatever happened here.
      await platform.api.ok('updateSettings', {
        token: owner.token,
        params: { inboxId: owner.inboxId },
        body: { paused: false, dailyCap: null },
      });
      await proxy.close();
    }
  });
});

describe('the team', () => {
  it('invites a manager who accepts from their own account, changes permissions, then revokes: the local copy goes', async () => {
    const message = await platform.api.sendPaidMessage(fan, owner, 'For the team to answer');
    const managerUser = await platform.api.signUpFan({ displayName: 'Sara Manager' });
    const o = await connect(owner);
    const m = await connect(managerUser);

    await expect(
      m.h.call('team.invite', {
        accountId: m.accountId,
        inboxId: owner.inboxId,
        email: 'x@example.test',
        permissions: [],
      }),
    ).rejects.toMatchObject({ code: 'not_found' });
    const invitation = await o.h.call('team.invite', {
      accountId: o.accountId,
      inboxId: owner.inboxId,
      email: managerUser.email,
      permissions: ['reply', 'accept'],
    });
    expect((await o.h.call('team.members', { accountId: o.accountId, inboxId: owner.inboxId })).invitations).toEqual([
      expect.objectContaining({ id: invitation.id, permissions: ['accept', 'reply'] }),
    ]);
    const mine = await m.h.call('team.myInvitations', { accountId: m.accountId });
    expect(mine.map((i) => i.id)).toEqual([invitation.id]);
    const joined = await m.h.call('team.acceptInvitation', {
      accountId: m.accountId,
      invitationId: invitation.id,
      code: invitation.code,
    });
    expect(joined).toMatchObject({ inboxId: owner.inboxId, creatorName: 'Layla Owner' });
    await waitFor(() => hasRow(m.h, m.accountId, message.id), 'the manager syncs the inbox');
    const overview = await m.h.call('team.inboxes', { accountId: m.accountId });
    expect(overview).toEqual([
      expect.objectContaining({ inboxId: owner.inboxId, role: 'manager', permissions: ['accept', 'reply'] }),
    ]);
    expect(overview[0]?.pending).toBeGreaterThan(0);
    // Managers see the team but not the audit log, and cannot change settings.
    await expect(m.h.call('team.audit', { accountId: m.accountId, inboxId: owner.inboxId })).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(
      m.h.call('team.updateSettings', { accountId: m.accountId, inboxId: owner.inboxId, patch: { paused: true } }),
    ).rejects.toMatchObject({ code: 'forbidden' });

    await o.h.call('team.setPermissions', {
      accountId: o.accountId,
      inboxId: owner.inboxId,
      userId: managerUser.id,
      permissions: ['refund'],
    });
    // The change reaches the manager's device through the feed; the core re-reads its membership.
    await waitFor(async () => {
      const account = (await m.h.call('accounts.list', {}))[0];
      return account?.inboxes[0]?.permissions.join() === 'refund';
    }, 'new permissions on the manager device');
    await expect(
      m.h.call('actions.submit', { accountId: m.accountId, messageId: message.id, action: { kind: 'accept' } }),
    ).rejects.toMatchObject({ code: 'forbidden', details: { code: 'forbidden' } });

    await o.h.call('team.revoke', { accountId: o.accountId, inboxId: owner.inboxId, userId: managerUser.id });
    await waitFor(async () => (await m.h.call('accounts.list', {}))[0]?.inboxes.length === 0, 'inbox gone');
    const after = await m.h.call('inbox.page', { accountId: m.accountId, inboxId: null, view: 'pending', limit: 200 });
    expect(after.total).toBe(0);
    await expect(m.h.call('message.thread', { accountId: m.accountId, messageId: message.id })).rejects.toMatchObject({
      code: 'not_found',
    });
    const notices = await m.h.call('notices.list', { accountId: m.accountId });
    expect(notices.some((n) => n.code === 'access_ended')).toBe(true);
    const team = await o.h.call('team.members', { accountId: o.accountId, inboxId: owner.inboxId });
    expect(team.members.find((x) => x.userId === managerUser.id)?.active).toBe(false);
  });

  it('forgets an inbox whose access ended while the app was closed, once it starts again', async () => {
    const message = await platform.api.sendPaidMessage(fan, owner, 'Read while closed');
    const kept = await platform.api.signUpManager(owner, ['reply']);
    const first = await connect(kept);
    await waitFor(() => hasRow(first.h, first.accountId, message.id), 'synced before closing');
    const { dataDir, vault } = first.h;
    await first.h.close();
    await platform.api.ok('revokeMember', { token: owner.token, params: { inboxId: owner.inboxId, userId: kept.id } });

    const again = await startCore({ clock: clockOf(platform), dataDir, vault });
    open.push(again);
    await waitFor(async () => (await again.call('accounts.list', {}))[0]?.inboxes.length === 0, 'forgotten at start');
    const page = await again.call('inbox.page', { accountId: first.accountId, inboxId: null, view: 'pending' });
    expect(page.total).toBe(0);
    const notices = await again.call('notices.list', { accountId: first.accountId });
    expect(notices.filter((n) => n.code === 'access_ended')).toHaveLength(1);
  });

  it('shows every inbox a manager runs, and an all-inboxes list sorted by deadline', async () => {
    const second = await platform.api.signUpCreator({
      displayName: 'Noura Second',
      price: { minor: 900, currency: 'EUR' },
    });
    const managerUser = await platform.api.signUpFan({ displayName: 'Multi Manager' });
    for (const creator of [owner, second]) {
      const inv = await platform.api.ok('invite', {
        token: creator.token,
        params: { inboxId: creator.inboxId },
        body: { email: managerUser.email, permissions: ['accept'] },
      });
      await platform.api.ok('acceptInvitation', {
        token: managerUser.token,
        params: { invitationId: inv.id },
        body: { code: inv.code },
      });
    }
    const a = await platform.api.sendPaidMessage(fan, owner, 'Inbox one');
    await platform.api.topUp(fan, { minor: 100_000, currency: 'EUR' });
    const b = await platform.api.sendPaidMessage(fan, second, 'Inbox two');
    const m = await connect(managerUser);
    await waitFor(async () => (await hasRow(m.h, m.accountId, a.id)) && hasRow(m.h, m.accountId, b.id), 'both inboxes');
    const overview = await m.h.call('team.inboxes', { accountId: m.accountId });
    const euro = overview.find((i) => i.inboxId === second.inboxId);
    expect(euro).toMatchObject({ pending: 1, held: [{ minor: 900, currency: 'EUR' }], creatorName: 'Noura Second' });
    expect(overview.find((i) => i.inboxId === owner.inboxId)?.held[0]?.currency).toBe('USD');
    const all = await m.h.call('inbox.page', {
      accountId: m.accountId,
      inboxId: null,
      view: 'pending',
      order: 'deadline',
    });
    expect(new Set(all.rows.map((r) => r.inboxId))).toEqual(new Set([owner.inboxId, second.inboxId]));
    const deadlines = all.rows.map((r) => r.deadline);
    expect(deadlines).toEqual([...deadlines].sort((x, y) => x - y));
  });
});

describe('working together', () => {
  it('shows who is replying to a message, and clears it when they leave or go quiet', async () => {
    const message = await platform.api.sendPaidMessage(fan, owner, 'Presence please');
    const sara = await platform.api.signUpManager(owner, ['reply', 'accept']);
    const o = await connect(owner);
    const m = await connect(sara);
    await waitFor(() => hasRow(m.h, m.accountId, message.id), 'manager sync');
    await waitFor(() => hasRow(o.h, o.accountId, message.id), 'owner sync');
    expect(await o.h.call('presence.list', { accountId: o.accountId, inboxId: owner.inboxId })).toEqual([]);
    const seen = (state: string | null) => (e: { name: string; payload: unknown }) => {
      if (e.name !== 'presence.changed') return false;
      const p = e.payload as EventPayload<'presence.changed'>;
      const entry = p.people.find((x) => x.userId === sara.id && x.messageId === message.id);
      return state === null ? p.people.length === 0 : entry?.state === state;
    };
    await m.h.call('presence.set', { accountId: m.accountId, messageId: message.id, state: 'replying' });
    await waitFor(() => o.h.events.some(seen('replying')), 'Sara is replying');
    const listed = await o.h.call('presence.list', { accountId: o.accountId, inboxId: owner.inboxId });
    expect(listed).toEqual([expect.objectContaining({ name: sara.displayName, state: 'replying' })]);
    // The person's own presence is never shown back to them.
    expect(await m.h.call('presence.list', { accountId: m.accountId, inboxId: owner.inboxId })).toEqual([]);

    o.h.events.length = 0;
    await m.h.call('presence.set', { accountId: m.accountId, messageId: message.id, state: null });
    await waitFor(() => o.h.events.some(seen(null)), 'presence cleared');

    // A device that goes quiet (no heartbeat) lapses after the time to live.
    await platform.api.request('POST', `/v1/inboxes/${owner.inboxId}/presence`, {
      token: sara.token,
      body: { messageId: message.id, state: 'viewing' },
    });
    await waitFor(() => o.h.events.some(seen('viewing')), 'viewing');
    o.h.events.length = 0;
    platform.clock.advance(31_000);
    await waitFor(() => o.h.events.some(seen(null)), 'lapsed');
  });

  it('two managers accept one message at once: one money effect, and the other hears who won', async () => {
    const message = await platform.api.sendPaidMessage(fan, owner, 'Race for it');
    const first = await platform.api.signUpManager(owner, ['accept']);
    const second = await platform.api.signUpManager(owner, ['accept']);
    const a = await connect(first);
    const b = await connect(second);
    await waitFor(() => hasRow(a.h, a.accountId, message.id), 'a sync');
    await waitFor(() => hasRow(b.h, b.accountId, message.id), 'b sync');
    await Promise.all([
      a.h.call('actions.submit', { accountId: a.accountId, messageId: message.id, action: { kind: 'accept' } }),
      b.h.call('actions.submit', { accountId: b.accountId, messageId: message.id, action: { kind: 'accept' } }),
    ]);
    const decided = async (h: CoreHarness, accountId: string) =>
      (await h.call('message.thread', { accountId, messageId: message.id })).message;
    const [ma, mb] = await Promise.all([
      waitFor(async () => {
        const m = await decided(a.h, a.accountId);
        return m.status === 'accepted' ? m : null;
      }, 'a decided'),
      waitFor(async () => {
        const m = await decided(b.h, b.accountId);
        return m.status === 'accepted' ? m : null;
      }, 'b decided'),
    ]);
    expect(ma.decidedBy).toEqual(mb.decidedBy);
    const winner = ma.decidedBy?.id === first.id ? a : b;
    const loser = winner === a ? b : a;
    const { events } = await platform.api.ok('ledger', { token: owner.token, params: { inboxId: owner.inboxId } });
    expect(events.filter((e) => e.messageId === message.id && e.kind === 'capture')).toHaveLength(1);
    // Both wanted it accepted and it was: the loser hears so, not of a "conflict".
    const notices = await waitFor(async () => {
      const list = await loser.h.call('notices.list', { accountId: loser.accountId });
      return list.some((n) => n.code === 'same_outcome') ? list : null;
    }, 'loser notice');
    const notice = notices.find((n) => n.code === 'same_outcome');
    expect(notice?.kind).toBe('info');
    expect(notice?.actorName).toBe(ma.decidedBy?.name);
    await platform.api.checkInvariants();
  });
});

describe('the audit log', () => {
  it('filters by who and what, and exports RFC 4180 CSV with untrusted names defused', async () => {
    await platform.api.signUpManager(owner, []);
    const sly = await platform.api.signUpFan({ displayName: '=HYPERLINK("x","y"), "quoted"' });
    const inv = await platform.api.ok('invite', {
      token: owner.token,
      params: { inboxId: owner.inboxId },
      body: { email: sly.email, permissions: [] },
    });
    await platform.api.ok('acceptInvitation', {
      token: sly.token,
      params: { invitationId: inv.id },
      body: { code: inv.code },
    });
    const o = await connect(owner);
    const joined = await waitFor(async () => {
      const page = await o.h.call('team.audit', { accountId: o.accountId, inboxId: owner.inboxId, actorId: sly.id });
      return page.entries.length > 0 ? page : null;
    }, 'audit synced');
    expect(joined.entries.map((e) => e.action)).toEqual(['team.join']);
    expect(joined.actors.some((a) => a.id === sly.id)).toBe(true);

    const team = await o.h.call('team.audit', {
      accountId: o.accountId,
      inboxId: owner.inboxId,
      category: 'team',
      limit: 2,
    });
    expect(team.entries.every((e) => e.action.startsWith('team.'))).toBe(true);
    expect(team.nextCursor).not.toBeNull();
    const next = await o.h.call('team.audit', {
      accountId: o.accountId,
      inboxId: owner.inboxId,
      category: 'team',
      limit: 2,
      cursor: team.nextCursor,
    });
    expect(next.entries.map((e) => e.id)).not.toContain(team.entries[0]?.id);
    expect((next.entries[0]?.at ?? 0) <= (team.entries[1]?.at ?? 0)).toBe(true);

    const exported = await o.h.call('team.auditCsv', {
      accountId: o.accountId,
      inboxId: owner.inboxId,
      category: 'team',
      timeZone: 'Asia/Riyadh',
    });
    expect(exported.fileName).toMatch(/^audit-.+\.csv$/);
    expect(
      exported.csv.startsWith('\uFEFFentry_id,time,action,actor_id,actor_name,device,subject_id,details\r\n'),
    ).toBe(true);
    const lines = exported.csv.slice(1).split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines).toHaveLength(exported.rows + 2);
    expect(exported.csv).toContain(`"'=HYPERLINK(""x"",""y""), ""quoted"""`);
    expect(exported.csv).toMatch(/\+03:00,"team\.join",/);
  });
});
