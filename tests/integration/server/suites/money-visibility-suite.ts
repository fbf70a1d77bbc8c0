/**
 * Earnings are sent only to who may view them (issue 12), over HTTP, once for PGlite and once
 * for PostgreSQL (money-visibility.*.test.ts). A manager without `view_earnings` calls EVERY
 * route of the table (the walk is typed by the route names, so a new route cannot be left
 * out), pages the whole feed, reads a whole snapshot and the first event of each SSE stream;
 * no answer carries a fee, a net, a fee rate, a held or available balance, a ledger entry or
 * a payout. The price the fan paid stays (triage is by money at risk; limits are prices).
 * A manager WITH the permission gets all of it from the same walk.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS, type Permission, type RouteName } from '../../../../shared/protocol';
import { earningsIn } from '../../../helpers/earnings';
import {
  type ApiResult,
  startTestPlatform,
  type TestCreator,
  type TestManager,
  type TestPlatform,
  type TestUser,
} from '../../../helpers/server';

const USD = (minor: number) => ({ minor, currency: 'USD' });
const HOUR_MS = 3_600_000;

type Visit = (m: TestManager) => Promise<ApiResult[]>;

export function defineMoneyVisibilitySuite(database: 'pglite' | 'postgres'): void {
  let t: TestPlatform;
  let owner: TestCreator;
  let otherCreator: TestCreator;
  let fan: TestUser;
  let blind: TestManager;
  let seeing: TestManager;

  const inbox = () => ({ inboxId: owner.inboxId });
  const send = async (body = 'A question') => (await t.api.sendPaidMessage(fan, owner, body)).id;
  const accepted = async () => {
    const id = await send('To be accepted');
    await t.api.ok('accept', { token: owner.token, params: { messageId: id }, body: {} });
    return id;
  };

  beforeAll(async () => {
    t = await startTestPlatform({ database });
    owner = await t.api.signUpCreator({ displayName: 'Nour', price: USD(2_500) });
    otherCreator = await t.api.signUpCreator({ displayName: 'Omar' });
    fan = await t.api.signUpFan({ displayName: 'Layla' });
    await t.api.topUp(fan, USD(10_000_000));
    // A history with every kind of money movement: held, captured, refunded, expired, paid out.
    await t.api.accept(owner, await send('Accepted with a reply'), 'Thanks!');
    await t.api.refund(owner, await send('Refunded'));
    await send('Expires');
    t.clock.advance(8 * 24 * HOUR_MS);
    await t.api.expireDue();
    await send('Pending');
    await t.api.ok('requestPayout', { token: owner.token, params: inbox(), body: { amount: USD(1_000) } });
    const allBut = PERMISSIONS.filter((p) => p !== 'view_earnings') as Permission[];
    blind = await t.api.signUpManager(owner, allBut);
    seeing = await t.api.signUpManager(owner, [...PERMISSIONS]);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A session of the manager's own, to end without ending the one the walk uses. */
  const spare = async (m: TestManager) => {
    const session = await t.api.ok('signIn', { body: { email: m.email, password: m.password, deviceName: 'Spare' } });
    const list = await t.api.ok('listSessions', { token: session.token });
    return { token: session.token, id: list.sessions.find((s) => s.current)?.id ?? 'none' };
  };

  /** Every page of the feed from the start. */
  const allChanges = async (m: TestManager) => {
    const pages: ApiResult[] = [];
    let after = 0;
    for (;;) {
      const page = await t.api.call('changes', { token: m.token, params: inbox(), query: { after, limit: 7 } });
      pages.push(page);
      if (page.status !== 200 || !page.body.hasMore) return pages;
      after = page.body.nextAfter;
    }
  };

  /** One call per route of the table (more where an answer depends on the state), as the manager. */
  const walk: { [N in RouteName]: Visit } = {
    signUp: async () => [
      await t.api.call('signUp', {
        body: { email: `x-${randomUUID()}@example.test`, password: 'a-long-password', displayName: 'X', kind: 'fan' },
      }),
    ],
    signIn: async (m) => [
      await t.api.call('signIn', { body: { email: m.email, password: m.password, deviceName: 'Walk' } }),
    ],
    signOut: async (m) => [await t.api.call('signOut', { token: (await spare(m)).token })],
    listSessions: async (m) => [await t.api.call('listSessions', { token: m.token })],
    revokeSession: async (m) => [
      await t.api.call('revokeSession', { token: m.token, params: { sessionId: (await spare(m)).id } }),
    ],
    me: async (m) => [await t.api.call('me', { token: m.token })],
    publicProfile: async () => [await t.api.call('publicProfile', { params: { handle: owner.handle } })],
    sendMessage: async (m) => [
      await t.api.call('sendMessage', {
        token: m.token,
        params: { handle: owner.handle },
        body: { body: 'From a member', ...(await t.api.terms(owner.handle)) },
      }),
    ],
    myTerms: async (m) => [await t.api.call('myTerms', { token: m.token, params: { handle: owner.handle } })],
    myMessages: async (m) => [await t.api.call('myMessages', { token: m.token })],
    wallet: async (m) => [await t.api.call('wallet', { token: m.token })],
    topUp: async (m) => [await t.api.call('topUp', { token: m.token, body: { amount: USD(100) } })],
    getSettings: async (m) => [await t.api.call('getSettings', { token: m.token, params: inbox() })],
    updateSettings: async (m) => [
      await t.api.call('updateSettings', { token: m.token, params: inbox(), body: { paused: false } }),
    ],
    changes: allChanges,
    snapshot: async (m) => [await t.api.call('snapshot', { token: m.token, params: inbox(), query: { limit: 3 } })],
    feedEvents: async (m) => [await t.api.call('feedEvents', { token: m.token, params: inbox() })],
    presenceHeartbeat: async (m) => [
      await t.api.call('presenceHeartbeat', {
        token: m.token,
        params: inbox(),
        body: { messageId: await send(), state: 'viewing' },
      }),
    ],
    presence: async (m) => [await t.api.call('presence', { token: m.token, params: inbox() })],
    presenceEvents: async (m) => [await t.api.call('presenceEvents', { token: m.token, params: inbox() })],
    accept: async (m) => [
      await t.api.accept(m, await send()),
      await t.api.accept(m, await send(), 'Accepted with a reply'),
    ],
    refund: async (m) => [await t.api.refund(m, await send())],
    reply: async (m) => [
      await t.api.call('reply', { token: m.token, params: { messageId: await accepted() }, body: { body: 'More' } }),
    ],
    triage: async (m) => [
      await t.api.call('triage', { token: m.token, params: { messageId: await send() }, body: { starred: true } }),
    ],
    addNote: async (m) => [
      await t.api.call('addNote', { token: m.token, params: { messageId: await send() }, body: { body: 'Note' } }),
    ],
    block: async (m) => {
      const other = await t.api.signUpFan();
      await t.api.topUp(other, USD(10_000));
      await t.api.sendPaidMessage(other, owner, 'Before the block');
      return [
        await t.api.call('block', {
          token: m.token,
          params: inbox(),
          body: { fanId: other.id, refundPending: true },
        }),
      ];
    },
    unblock: async (m) => {
      const other = await t.api.signUpFan();
      await t.api.ok('block', { token: owner.token, params: inbox(), body: { fanId: other.id } });
      return [await t.api.call('unblock', { token: m.token, params: { inboxId: owner.inboxId, fanId: other.id } })];
    },
    setFanTerms: async (m) => [
      await t.api.call('setFanTerms', {
        token: m.token,
        params: { inboxId: owner.inboxId, fanId: fan.id },
        body: { kind: 'price', price: USD(2_000) },
      }),
    ],
    clearFanTerms: async (m) => [
      await t.api.call('clearFanTerms', { token: m.token, params: { inboxId: owner.inboxId, fanId: fan.id } }),
    ],
    balance: async (m) => [await t.api.call('balance', { token: m.token, params: inbox() })],
    ledger: async (m) => [await t.api.call('ledger', { token: m.token, params: inbox() })],
    payouts: async (m) => [await t.api.call('payouts', { token: m.token, params: inbox() })],
    requestPayout: async (m) => [
      await t.api.call('requestPayout', { token: m.token, params: inbox(), body: { amount: USD(1) } }),
    ],
    members: async (m) => [await t.api.call('members', { token: m.token, params: inbox() })],
    invite: async (m) => [
      await t.api.call('invite', {
        token: m.token,
        params: inbox(),
        body: { email: `i-${randomUUID()}@example.test`, permissions: ['accept'] },
      }),
    ],
    myInvitations: async (m) => {
      const invitation = await t.api.ok('invite', {
        token: otherCreator.token,
        params: { inboxId: otherCreator.inboxId },
        body: { email: m.email, permissions: ['accept'] },
      });
      const listed = await t.api.call('myInvitations', { token: m.token });
      await t.api.ok('cancelInvitation', {
        token: otherCreator.token,
        params: { inboxId: otherCreator.inboxId, invitationId: invitation.id },
      });
      return [listed];
    },
    acceptInvitation: async (m) => {
      // Joining another inbox: the answer is that membership (nothing of this inbox's money).
      const invitation = await t.api.ok('invite', {
        token: otherCreator.token,
        params: { inboxId: otherCreator.inboxId },
        body: { email: m.email, permissions: ['accept'] },
      });
      return [
        await t.api.call('acceptInvitation', {
          token: m.token,
          params: { invitationId: invitation.id },
          body: { code: invitation.code },
        }),
      ];
    },
    cancelInvitation: async (m) => {
      const invitation = await t.api.ok('invite', {
        token: owner.token,
        params: inbox(),
        body: { email: `c-${randomUUID()}@example.test`, permissions: ['accept'] },
      });
      return [
        await t.api.call('cancelInvitation', {
          token: m.token,
          params: { inboxId: owner.inboxId, invitationId: invitation.id },
        }),
      ];
    },
    setPermissions: async (m) => [
      await t.api.call('setPermissions', {
        token: m.token,
        params: { inboxId: owner.inboxId, userId: m.id },
        body: { permissions: ['accept'] },
      }),
    ],
    setLimits: async (m) => [
      await t.api.call('setLimits', {
        token: m.token,
        params: { inboxId: owner.inboxId, userId: m.id },
        body: { maxPrice: null, dailyRefund: null },
      }),
    ],
    revokeMember: async (m) => [
      await t.api.call('revokeMember', { token: m.token, params: { inboxId: owner.inboxId, userId: m.id } }),
    ],
    submitDraft: async (m) => [
      await t.api.call('submitDraft', { token: m.token, params: { messageId: await send() }, body: { body: 'Draft' } }),
    ],
    drafts: async (m) => [await t.api.call('drafts', { token: m.token, params: inbox() })],
    sendBackDraft: async (m) => {
      const draft = await t.api.ok('submitDraft', {
        token: owner.token,
        params: { messageId: await send() },
        body: { body: 'A draft to send back' },
      });
      return [
        await t.api.call('sendBackDraft', {
          token: m.token,
          params: { draftId: draft.id },
          body: { comment: 'Mention the date' },
        }),
      ];
    },
    audit: async (m) => [await t.api.call('audit', { token: m.token, params: inbox() })],
  };

  /** Routes a manager is refused whatever they hold (owner's, or a fan's own sending); the rest answer 200. */
  const REFUSED_TO_MANAGERS: ReadonlySet<RouteName> = new Set([
    'sendMessage',
    'updateSettings',
    'requestPayout',
    'invite',
    'cancelInvitation',
    'setPermissions',
    'setLimits',
    'revokeMember',
    'audit',
  ]);
  const EARNINGS_ROUTES: ReadonlySet<RouteName> = new Set(['balance', 'ledger', 'payouts']);

  /** Walks every route as `m`, checking each answer's status; returns the answers by route. */
  const walkAs = async (m: TestManager, seesEarnings: boolean) => {
    const answers = new Map<RouteName, ApiResult[]>();
    for (const [name, visit] of Object.entries(walk) as Array<[RouteName, Visit]>) {
      const results = await visit(m);
      const refused = REFUSED_TO_MANAGERS.has(name) || (EARNINGS_ROUTES.has(name) && !seesEarnings);
      for (const result of results) {
        expect(result.status, `${name}: ${JSON.stringify(result.body)}`).toBe(refused ? 403 : 200);
      }
      answers.set(name, results);
    }
    return answers;
  };

  describe(`earnings only to who may view them (${database})`, () => {
    it('a manager without view_earnings gets no fee, net, fee rate, balance, ledger or payout from any route, feed page, snapshot or event', async () => {
      const answers = await walkAs(blind, false);
      const leaks = [...answers].flatMap(([name, results]) =>
        results.flatMap((result, i) => earningsIn(result.body, `${name}[${i}]`)),
      );
      expect(leaks).toEqual([]);

      // The walk did reach the money-bearing things, so "nothing found" means hidden, not absent.
      const pages = (answers.get('changes') ?? []).flatMap((r) => (r.body as { changes: unknown[] }).changes);
      const messages = pages.filter((c) => (c as { kind: string }).kind === 'message') as Array<{
        data: { price: unknown; fee: unknown; status: string };
      }>;
      expect(new Set(messages.map((c) => c.data.status))).toEqual(
        new Set(['pending', 'accepted', 'refunded', 'expired']),
      );
      // The price the fan paid is kept: triage is by money at risk, limits are prices.
      for (const c of messages) expect(c.data.price).toEqual(USD(2_500));
      const snapshot = (answers.get('snapshot')?.[0]?.body ?? []) as Array<{
        kind?: string;
        data?: { status: string };
      }>;
      expect(new Set(snapshot.filter((line) => line.kind === 'message').map((line) => line.data?.status))).toEqual(
        new Set(['pending', 'accepted', 'refunded', 'expired']),
      );
      const accept = answers.get('accept')?.[0]?.body as { message: { price: unknown; fee: unknown } };
      expect(accept.message).toMatchObject({ price: USD(2_500), fee: null, net: null, feeBps: null });
    });

    it('a manager with view_earnings gets them from the same walk', async () => {
      const answers = await walkAs(seeing, true);
      const found = (name: RouteName) =>
        (answers.get(name) ?? []).flatMap((result, i) => earningsIn(result.body, `${name}[${i}]`));
      for (const name of ['accept', 'refund', 'changes', 'snapshot', 'balance', 'ledger', 'payouts'] as const) {
        expect(found(name).length, name).toBeGreaterThan(0);
      }
      const accept = answers.get('accept')?.[0]?.body as { message: unknown };
      expect(accept.message).toMatchObject({ feeBps: 1_000, fee: USD(250), net: USD(2_250) });
      const pages = (answers.get('changes') ?? []).flatMap(
        (r) => (r.body as { changes: Array<{ kind: string }> }).changes,
      );
      expect(pages.some((c) => c.kind === 'ledger')).toBe(true);
    });

    it('a replayed answer is shown as the caller may see it now: earnings taken away are not replayed', async () => {
      const manager = await t.api.signUpManager(owner, [...PERMISSIONS]);
      const key = randomUUID();
      const messageId = await send('Accepted, then replayed');
      const first = await t.api.accept(manager, messageId, undefined, key);
      expect(first.body).toMatchObject({ message: { fee: USD(250) } });
      await t.api.ok('setPermissions', {
        token: owner.token,
        params: { inboxId: owner.inboxId, userId: manager.id },
        body: { permissions: ['accept', 'refund', 'reply'] },
      });
      const replay = await t.api.accept(manager, messageId, undefined, key);
      expect(replay.status).toBe(200);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(earningsIn(replay.body)).toEqual([]);
      expect(replay.body).toMatchObject({ message: { id: messageId, status: 'accepted', price: USD(2_500) } });
      await t.api.checkInvariants();
    });
  });
}
