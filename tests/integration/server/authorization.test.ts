/**
 * The authorization matrix: every route of the table × every kind of caller → allowed
 * (200) or refused (401/403/404). Each request gets fresh targets, so one caller's success
 * never decides the next caller's answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS, type Permission, type RouteName, routes } from '../../../shared/protocol';
import {
  type ApiResult,
  startTestPlatform,
  type TestCreator,
  type TestPlatform,
  type TestUser,
} from '../../helpers/server';

type CallerName =
  | 'anonymous'
  | 'fan'
  | 'other fan'
  | 'owner'
  | 'other creator'
  | "other creator's manager"
  | 'manager (no permissions)'
  | `manager with only ${Permission}`
  | `manager without ${Permission}`;

interface Caller {
  name: CallerName;
  user: TestUser | null;
  /** Permissions in the owner's inbox, or null when not a member of it. */
  permissions: readonly Permission[] | null;
  isOwner: boolean;
  isFanAccount: boolean;
}

interface Case {
  route: RouteName;
  label: string;
  allowed(caller: Caller): boolean;
  request(caller: Caller): Promise<ApiResult>;
}

const USD = (minor: number) => ({ minor, currency: 'USD' });
const REFUSED = new Set([401, 403, 404]);

let t: TestPlatform;
let owner: TestCreator;
let otherCreator: TestCreator;
let sender: TestUser;
const callers: Caller[] = [];

const signedIn = (c: Caller) => c.user !== null;
const member = (c: Caller) => c.permissions !== null;
const memberWith = (p: Permission) => (c: Caller) => c.isOwner || (c.permissions?.includes(p) ?? false);
const ownerOnly = (c: Caller) => c.isOwner;
const everyone = () => true;
const token = (c: Caller) => c.user?.token ?? null;

async function pendingMessage(): Promise<string> {
  return (await t.api.sendPaidMessage(sender, owner, 'A question for the matrix')).id;
}

let presenceMessageId: Promise<string> | null = null;
/** One message of the owner's inbox for every presence heartbeat of the matrix. */
function presenceMessage(): Promise<string> {
  presenceMessageId ??= pendingMessage();
  return presenceMessageId;
}

async function acceptedMessage(): Promise<string> {
  const id = await pendingMessage();
  const accepted = await t.api.accept(owner, id);
  if (accepted.status !== 200) throw new Error('Could not accept a message for the matrix');
  return id;
}

async function freshManager(): Promise<TestUser> {
  return t.api.signUpManager(owner, ['accept']);
}

/** A session of the caller's own that may be ended without ending the caller's token. */
async function spareSession(c: Caller): Promise<{ token: string; id: string } | null> {
  if (!c.user) return null;
  const session = await t.api.ok('signIn', {
    body: { email: c.user.email, password: c.user.password, deviceName: 'Spare' },
  });
  const list = await t.api.ok('listSessions', { token: session.token });
  const current = list.sessions.find((s) => s.current);
  if (!current) throw new Error('The new session is not listed as current');
  return { token: session.token, id: current.id };
}

const inbox = () => ({ inboxId: owner.inboxId });

const cases: Case[] = [
  {
    route: 'signUp',
    label: 'anyone may create an account',
    allowed: everyone,
    request: async () => {
      const id = crypto.randomUUID().slice(0, 8);
      return t.api.call('signUp', {
        body: { email: `new-${id}@example.test`, password: 'a-long-password', displayName: 'New', kind: 'fan' },
      });
    },
  },
  {
    route: 'signIn',
    label: 'anyone may sign in with valid credentials',
    allowed: everyone,
    request: () =>
      t.api.call('signIn', { body: { email: sender.email, password: sender.password, deviceName: 'Matrix' } }),
  },
  {
    route: 'signOut',
    label: 'a signed-in caller ends their own session',
    allowed: signedIn,
    request: async (c) => t.api.call('signOut', { token: (await spareSession(c))?.token ?? null }),
  },
  {
    route: 'listSessions',
    label: 'signed in',
    allowed: signedIn,
    request: (c) => t.api.call('listSessions', { token: token(c) }),
  },
  {
    route: 'revokeSession',
    label: 'own session',
    allowed: signedIn,
    request: async (c) => {
      const spare = await spareSession(c);
      return t.api.call('revokeSession', { token: token(c), params: { sessionId: spare?.id ?? 'none' } });
    },
  },
  { route: 'me', label: 'signed in', allowed: signedIn, request: (c) => t.api.call('me', { token: token(c) }) },
  {
    route: 'publicProfile',
    label: 'public',
    allowed: everyone,
    request: () => t.api.call('publicProfile', { params: { handle: owner.handle } }),
  },
  {
    route: 'sendMessage',
    label: 'fan accounts that do not work in the inbox',
    allowed: (c) => c.isFanAccount && !member(c),
    request: async (c) =>
      t.api.call('sendMessage', {
        token: token(c),
        params: { handle: owner.handle },
        body: { body: 'Hello', ...(await t.api.terms(owner.handle)) },
      }),
  },
  {
    route: 'myTerms',
    label: 'fan accounts',
    allowed: (c) => c.isFanAccount,
    request: (c) => t.api.call('myTerms', { token: token(c), params: { handle: owner.handle } }),
  },
  {
    route: 'myMessages',
    label: 'signed in',
    allowed: signedIn,
    request: (c) => t.api.call('myMessages', { token: token(c) }),
  },
  { route: 'wallet', label: 'signed in', allowed: signedIn, request: (c) => t.api.call('wallet', { token: token(c) }) },
  {
    route: 'topUp',
    label: 'fan accounts',
    allowed: (c) => c.isFanAccount,
    request: (c) => t.api.call('topUp', { token: token(c), body: { amount: USD(100) } }),
  },
  {
    route: 'getSettings',
    label: 'members',
    allowed: member,
    request: (c) => t.api.call('getSettings', { token: token(c), params: inbox() }),
  },
  {
    route: 'updateSettings',
    label: 'owner',
    allowed: ownerOnly,
    request: (c) => t.api.call('updateSettings', { token: token(c), params: inbox(), body: { paused: false } }),
  },
  {
    route: 'changes',
    label: 'members',
    allowed: member,
    request: (c) => t.api.call('changes', { token: token(c), params: inbox(), query: { after: 0, limit: 10 } }),
  },
  {
    route: 'snapshot',
    label: 'members',
    allowed: member,
    request: (c) => t.api.call('snapshot', { token: token(c), params: inbox(), query: { limit: 50 } }),
  },
  {
    route: 'feedEvents',
    label: 'members',
    allowed: member,
    request: (c) => t.api.call('feedEvents', { token: token(c), params: inbox() }),
  },
  {
    route: 'presenceHeartbeat',
    label: 'members',
    allowed: member,
    request: async (c) =>
      t.api.call('presenceHeartbeat', {
        token: token(c),
        params: inbox(),
        body: { messageId: await presenceMessage(), state: 'viewing' },
      }),
  },
  {
    route: 'presence',
    label: 'members',
    allowed: member,
    request: (c) => t.api.call('presence', { token: token(c), params: inbox() }),
  },
  {
    route: 'presenceEvents',
    label: 'members',
    allowed: member,
    request: (c) => t.api.call('presenceEvents', { token: token(c), params: inbox() }),
  },
  {
    route: 'accept',
    label: 'owner and managers with accept',
    allowed: memberWith('accept'),
    request: async (c) =>
      t.api.call('accept', { token: token(c), params: { messageId: await pendingMessage() }, body: {} }),
  },
  {
    route: 'refund',
    label: 'owner and managers with refund',
    allowed: memberWith('refund'),
    request: async (c) =>
      t.api.call('refund', {
        token: token(c),
        params: { messageId: await pendingMessage() },
        body: { reason: 'cannot_answer' },
      }),
  },
  {
    route: 'reply',
    label: 'owner and managers with reply',
    allowed: memberWith('reply'),
    request: async (c) =>
      t.api.call('reply', {
        token: token(c),
        params: { messageId: await acceptedMessage() },
        body: { body: 'Thanks' },
      }),
  },
  {
    route: 'triage',
    label: 'members',
    allowed: member,
    request: async (c) =>
      t.api.call('triage', { token: token(c), params: { messageId: await pendingMessage() }, body: { starred: true } }),
  },
  {
    route: 'addNote',
    label: 'members',
    allowed: member,
    request: async (c) =>
      t.api.call('addNote', { token: token(c), params: { messageId: await pendingMessage() }, body: { body: 'Note' } }),
  },
  {
    route: 'block',
    label: 'members',
    allowed: member,
    request: async (c) => {
      const target = await t.api.signUpFan();
      return t.api.call('block', {
        token: token(c),
        params: inbox(),
        body: { fanId: target.id, refundPending: false },
      });
    },
  },
  {
    route: 'unblock',
    label: 'members',
    allowed: member,
    request: async (c) => {
      const target = await t.api.signUpFan();
      await t.api.ok('block', {
        token: owner.token,
        params: inbox(),
        body: { fanId: target.id, refundPending: false },
      });
      return t.api.call('unblock', { token: token(c), params: { inboxId: owner.inboxId, fanId: target.id } });
    },
  },
  {
    route: 'setFanTerms',
    label: 'owner and managers with manage_fans',
    allowed: memberWith('manage_fans'),
    request: async (c) => {
      const target = await t.api.signUpFan();
      return t.api.call('setFanTerms', {
        token: token(c),
        params: { inboxId: owner.inboxId, fanId: target.id },
        body: { kind: 'free' },
      });
    },
  },
  {
    route: 'clearFanTerms',
    label: 'owner and managers with manage_fans',
    allowed: memberWith('manage_fans'),
    request: async (c) => {
      const target = await t.api.signUpFan();
      const params = { inboxId: owner.inboxId, fanId: target.id };
      await t.api.ok('setFanTerms', { token: owner.token, params, body: { kind: 'price', price: USD(900) } });
      return t.api.call('clearFanTerms', { token: token(c), params });
    },
  },
  {
    route: 'balance',
    label: 'owner and managers with view_earnings',
    allowed: memberWith('view_earnings'),
    request: (c) => t.api.call('balance', { token: token(c), params: inbox() }),
  },
  {
    route: 'ledger',
    label: 'owner and managers with view_earnings',
    allowed: memberWith('view_earnings'),
    request: (c) => t.api.call('ledger', { token: token(c), params: inbox() }),
  },
  {
    route: 'payouts',
    label: 'owner and managers with view_earnings',
    allowed: memberWith('view_earnings'),
    request: (c) => t.api.call('payouts', { token: token(c), params: inbox() }),
  },
  {
    route: 'requestPayout',
    label: 'owner',
    allowed: ownerOnly,
    request: (c) => t.api.call('requestPayout', { token: token(c), params: inbox(), body: { amount: USD(1) } }),
  },
  {
    route: 'members',
    label: 'members',
    allowed: member,
    request: (c) => t.api.call('members', { token: token(c), params: inbox() }),
  },
  {
    route: 'invite',
    label: 'owner',
    allowed: ownerOnly,
    request: (c) =>
      t.api.call('invite', {
        token: token(c),
        params: inbox(),
        body: { email: `invitee-${crypto.randomUUID().slice(0, 8)}@example.test`, permissions: ['reply'] },
      }),
  },
  {
    route: 'myInvitations',
    label: 'signed in',
    allowed: signedIn,
    request: (c) => t.api.call('myInvitations', { token: token(c) }),
  },
  {
    route: 'acceptInvitation',
    label: 'nobody but the addressee (an invitation to someone else)',
    allowed: () => false,
    request: async (c) => {
      const invitation = await t.api.ok('invite', {
        token: owner.token,
        params: inbox(),
        body: { email: `someone-${crypto.randomUUID().slice(0, 8)}@example.test`, permissions: ['reply'] },
      });
      return t.api.call('acceptInvitation', {
        token: token(c),
        params: { invitationId: invitation.id },
        body: { code: invitation.code },
      });
    },
  },
  {
    route: 'cancelInvitation',
    label: 'owner',
    allowed: ownerOnly,
    request: async (c) => {
      const invitation = await t.api.ok('invite', {
        token: owner.token,
        params: inbox(),
        body: { email: `cancel-${crypto.randomUUID().slice(0, 8)}@example.test`, permissions: [] },
      });
      return t.api.call('cancelInvitation', {
        token: token(c),
        params: { inboxId: owner.inboxId, invitationId: invitation.id },
      });
    },
  },
  {
    route: 'setPermissions',
    label: 'owner',
    allowed: ownerOnly,
    request: async (c) => {
      const target = await freshManager();
      return t.api.call('setPermissions', {
        token: token(c),
        params: { inboxId: owner.inboxId, userId: target.id },
        body: { permissions: ['reply'] },
      });
    },
  },
  {
    route: 'submitDraft',
    label: 'members with draft',
    allowed: memberWith('draft'),
    request: async (c) =>
      t.api.call('submitDraft', {
        token: token(c),
        params: { messageId: await pendingMessage() },
        body: { body: 'A reply for the creator' },
      }),
  },
  {
    route: 'drafts',
    label: 'members with draft, or with accept and reply',
    allowed: (c) => memberWith('draft')(c) || (memberWith('accept')(c) && memberWith('reply')(c)),
    request: (c) => t.api.call('drafts', { token: token(c), params: inbox() }),
  },
  {
    route: 'sendBackDraft',
    label: 'members with accept and reply',
    allowed: (c) => memberWith('accept')(c) && memberWith('reply')(c),
    request: async (c) => {
      const draft = await t.api.ok('submitDraft', {
        token: owner.token,
        params: { messageId: await pendingMessage() },
        body: { body: 'A draft to send back' },
      });
      return t.api.call('sendBackDraft', {
        token: token(c),
        params: { draftId: draft.id },
        body: { comment: 'Mention the date' },
      });
    },
  },
  {
    route: 'setLimits',
    label: 'owner',
    allowed: ownerOnly,
    request: async (c) => {
      const target = await freshManager();
      return t.api.call('setLimits', {
        token: token(c),
        params: { inboxId: owner.inboxId, userId: target.id },
        body: { maxPrice: USD(5_000), dailyRefund: USD(10_000) },
      });
    },
  },
  {
    route: 'revokeMember',
    label: 'owner',
    allowed: ownerOnly,
    request: async (c) => {
      const target = await freshManager();
      return t.api.call('revokeMember', { token: token(c), params: { inboxId: owner.inboxId, userId: target.id } });
    },
  },
  {
    route: 'audit',
    label: 'owner',
    allowed: ownerOnly,
    request: (c) => t.api.call('audit', { token: token(c), params: inbox() }),
  },
];

beforeAll(async () => {
  t = await startTestPlatform();
  owner = await t.api.signUpCreator({ price: USD(500) });
  otherCreator = await t.api.signUpCreator({ price: USD(500) });
  sender = await t.api.signUpFan();
  await t.api.topUp(sender, USD(10_000_000));
  const add = (
    name: CallerName,
    user: TestUser | null,
    permissions: readonly Permission[] | null,
    extra: Partial<Caller> = {},
  ) => callers.push({ name, user, permissions, isOwner: false, isFanAccount: true, ...extra });
  add('anonymous', null, null, { isFanAccount: false });
  add('fan', await t.api.signUpFan(), null);
  add('other fan', await t.api.signUpFan(), null);
  add('owner', owner, PERMISSIONS, { isOwner: true, isFanAccount: false });
  add('other creator', otherCreator, null, { isFanAccount: false });
  add("other creator's manager", await t.api.signUpManager(otherCreator, [...PERMISSIONS]), null);
  add('manager (no permissions)', await t.api.signUpManager(owner, []), []);
  for (const p of PERMISSIONS) {
    add(`manager with only ${p}`, await t.api.signUpManager(owner, [p]), [p]);
    const without = PERMISSIONS.filter((q) => q !== p);
    add(`manager without ${p}`, await t.api.signUpManager(owner, without), without);
  }
  for (const c of callers) if (c.user && c.isFanAccount) await t.api.topUp(c.user, USD(1_000_000));
  // The owner needs something to pay out for the payout row of the matrix.
  for (let i = 0; i < 4; i++) await acceptedMessage();
  // Some 30 accounts and their sessions: a busy two-core machine can take minutes.
}, 180_000);

afterAll(async () => {
  await t?.close();
});

describe('authorization matrix', () => {
  it('covers every route of the table', () => {
    const covered = new Set(cases.map((c) => c.route));
    expect(Object.keys(routes).filter((name) => !covered.has(name as RouteName))).toEqual([]);
  });

  for (const matrixCase of cases) {
    it(`${matrixCase.route}: ${matrixCase.label}`, async () => {
      const wrong: string[] = [];
      for (const caller of callers) {
        const result = await matrixCase.request(caller);
        const allowed = matrixCase.allowed(caller);
        const ok = allowed ? result.status === 200 : REFUSED.has(result.status);
        if (!ok) {
          wrong.push(
            `${caller.name}: expected ${allowed ? '200' : '401/403/404'}, got ${result.status} ${JSON.stringify(result.body)}`,
          );
        }
        if (!caller.user && !allowed) expect(result.status).toBe(401);
      }
      expect(wrong).toEqual([]);
    });
  }

  it('money limits: every manager who may accept or refund is refused over their limit, the owner never', async () => {
    const wrong: string[] = [];
    for (const caller of callers) {
      if (!caller.user || caller.permissions === null) continue;
      if (!caller.isOwner) {
        const set = await t.api.call('setLimits', {
          token: owner.token,
          params: { inboxId: owner.inboxId, userId: caller.user.id },
          body: { maxPrice: USD(100), dailyRefund: USD(100) },
        });
        if (set.status !== 200) wrong.push(`${caller.name}: setting limits got ${set.status}`);
      }
      for (const route of ['accept', 'refund'] as const) {
        const may = caller.isOwner || (caller.permissions?.includes(route) ?? false);
        const message = await pendingMessage();
        const result =
          route === 'accept' ? await t.api.accept(caller.user, message) : await t.api.refund(caller.user, message);
        const expected = caller.isOwner ? 200 : 403;
        const limitNamed = (result.body as { error?: { details?: { limit?: string } } }).error?.details?.limit;
        if (result.status !== expected)
          wrong.push(`${caller.name} ${route}: expected ${expected}, got ${result.status}`);
        else if (!caller.isOwner && may && limitNamed !== 'max_price')
          wrong.push(`${caller.name} ${route}: refused without naming the limit`);
      }
      if (!caller.isOwner) {
        await t.api.ok('setLimits', {
          token: owner.token,
          params: { inboxId: owner.inboxId, userId: caller.user.id },
          body: { maxPrice: null, dailyRefund: null },
        });
      }
    }
    expect(wrong).toEqual([]);
  });

  it('lets only the addressee accept an invitation', async () => {
    const invitee = await t.api.signUpFan();
    const invitation = await t.api.ok('invite', {
      token: owner.token,
      params: inbox(),
      body: { email: invitee.email, permissions: ['reply'] },
    });
    const mine = await t.api.ok('myInvitations', { token: invitee.token });
    expect(mine.invitations.map((i) => i.id)).toEqual([invitation.id]);
    const withoutCode = await t.api.call('acceptInvitation', {
      token: invitee.token,
      params: { invitationId: invitation.id },
      body: { code: 'AAAA-BBBB-CCCC' },
    });
    expect(withoutCode.status).toBe(404);
    const accepted = await t.api.ok('acceptInvitation', {
      token: invitee.token,
      params: { invitationId: invitation.id },
      body: { code: invitation.code.toLowerCase() },
    });
    expect(accepted).toMatchObject({ inboxId: owner.inboxId, role: 'manager', permissions: ['reply'] });
  });

  it('replay after revoke: a stored answer is not handed to a caller whose access was taken away', async () => {
    const manager = await t.api.signUpManager(owner, [...PERMISSIONS]);
    const wrong: string[] = [];
    const replays: Array<{ route: RouteName; again(): Promise<ApiResult> }> = [];
    const keyed = async (route: RouteName, call: (key: string) => Promise<ApiResult>) => {
      const key = crypto.randomUUID();
      const first = await call(key);
      if (first.status !== 200) wrong.push(`${route}: first call got ${first.status}`);
      replays.push({ route, again: () => call(key) });
    };
    const m = () => manager.token;
    const toAccept = await pendingMessage();
    await keyed('accept', (key) =>
      t.api.call('accept', { token: m(), params: { messageId: toAccept }, body: {}, idempotencyKey: key }),
    );
    const toRefund = await pendingMessage();
    await keyed('refund', (key) =>
      t.api.call('refund', {
        token: m(),
        params: { messageId: toRefund },
        body: { reason: 'other' },
        idempotencyKey: key,
      }),
    );
    const toReply = await acceptedMessage();
    await keyed('reply', (key) =>
      t.api.call('reply', { token: m(), params: { messageId: toReply }, body: { body: 'Hi' }, idempotencyKey: key }),
    );
    const toTriage = await pendingMessage();
    await keyed('triage', (key) =>
      t.api.call('triage', { token: m(), params: { messageId: toTriage }, body: { read: true }, idempotencyKey: key }),
    );
    await keyed('addNote', (key) =>
      t.api.call('addNote', { token: m(), params: { messageId: toTriage }, body: { body: 'n' }, idempotencyKey: key }),
    );
    const blocked = await t.api.signUpFan();
    await keyed('block', (key) =>
      t.api.call('block', { token: m(), params: inbox(), body: { fanId: blocked.id }, idempotencyKey: key }),
    );
    await t.api.ok('revokeMember', { token: owner.token, params: { inboxId: owner.inboxId, userId: manager.id } });
    for (const replay of replays) {
      const again = await replay.again();
      if (again.status !== 404) wrong.push(`${replay.route}: replay after revoke got ${again.status}`);
    }
    expect(wrong).toEqual([]);
  });

  it("refuses to end another user's session", async () => {
    const victim = await t.api.signUpFan();
    const sessions = await t.api.ok('listSessions', { token: victim.token });
    for (const caller of callers) {
      if (!caller.user) continue;
      const result = await t.api.call('revokeSession', {
        token: caller.user.token,
        params: { sessionId: sessions.sessions[0]?.id ?? '' },
      });
      expect(result.status, caller.name).toBe(404);
    }
    expect((await t.api.call('me', { token: victim.token })).status).toBe(200);
  });
});
