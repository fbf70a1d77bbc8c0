import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { checkAction, mayAct } from '../../../shared/actions';
import type {
  Account,
  EventName,
  EventPayload,
  InboxOverview,
  TeamCallName,
  TeamCalls,
} from '../../../shared/contract';
import type { Member } from '../../../shared/protocol';
import { CoreError, refusalError } from '../errors';
import type { AccountSession, Emit } from '../services/account-session';
import { refreshMemberships } from '../services/accounts';
import { addNotice } from '../store/notices';
import { stmt } from '../store/statements';
import type { BackoffPolicy } from '../sync/backoff';
import { PlatformError } from '../sync/http';
import { fromPlatformError } from '../sync/platform-errors';
import { auditCsv, auditPage } from './audit';
import { inboxOverview } from './inboxes';
import { PresenceClient } from './presence';
import { purgeInbox } from './purge';
import { enqueueSettings, SETTINGS_ACTION, settingsView } from './settings';

export { purgeInbox } from './purge';
export { SETTINGS_ACTION } from './settings';

type Input<N extends TeamCallName> = z.infer<TeamCalls[N]['input']>;
type Output<N extends TeamCallName> = z.infer<TeamCalls[N]['output']>;
export type TeamHandlers = { [N in TeamCallName]: (input: Input<N>) => Promise<Output<N>> };

export interface TeamDeps {
  sessionFor(accountId: string): AccountSession;
  /** Stores the account's new list of inboxes (AppStore.upsert). */
  saveAccount(account: Account): Account;
  emit: Emit;
  now(): number;
  backoff?: BackoffPolicy | undefined;
  presenceHeartbeatMs?: number;
}

export interface Team {
  handlers: TeamHandlers;
  /** For AccountSession's onInboxRefused: the platform refused an inbox; check and, if access ended, forget it. */
  inboxRefused(session: AccountSession, inboxId: string): void;
  /** The platform's list of memberships, freshly read: inboxes that left it are forgotten here. */
  membershipsRead(session: AccountSession, inboxes: Account['inboxes']): Promise<Account>;
  /** Sees the core's own events: a change to my own membership on the feed re-reads /v1/me. */
  observe(name: EventName, payload: unknown): void;
  forgetAccount(accountId: string): Promise<void>;
  close(): Promise<void>;
}

async function online<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    throw fromPlatformError(error);
  }
}

function membershipOf(session: AccountSession, inboxId: string) {
  const membership = session.actor.membership(inboxId);
  if (!membership) throw new CoreError('not_found', 'You are not a member of this inbox.');
  return membership;
}

function requireOwner(session: AccountSession, inboxId: string): void {
  if (!mayAct(membershipOf(session, inboxId), 'owner')) {
    throw new CoreError('forbidden', 'Only the inbox owner can do this.');
  }
}

function localMembers(session: AccountSession, inboxId: string): Member[] {
  const rows = stmt(
    session.store.db,
    `SELECT user_id, display_name, email, role, permissions, active FROM members WHERE inbox_id = ?
     ORDER BY role DESC, display_name`,
  ).all(inboxId) as Array<{
    user_id: string;
    display_name: string;
    email: string;
    role: Member['role'];
    permissions: string;
    active: number;
  }>;
  return rows.map((r) => ({
    userId: r.user_id,
    displayName: r.display_name,
    email: r.email,
    role: r.role,
    permissions: JSON.parse(r.permissions) as Member['permissions'],
    active: r.active === 1,
  }));
}

/**
 * Issue 8 in the core: owner controls, the team, many inboxes, audit and presence, wired
 * to the account sessions. Settings edits go through the outbox (offline-safe); team
 * changes are online only, because the platform decides who may do what.
 */
export function createTeam(deps: TeamDeps): Team {
  const presence = new Map<string, PresenceClient>();
  const checking = new Set<string>();
  const overviews = new WeakMap<AccountSession, { key: string; value: InboxOverview[] }>();

  const presenceFor = (session: AccountSession): PresenceClient => {
    let client = presence.get(session.id);
    if (!client) {
      client = new PresenceClient({
        accountId: session.id,
        userId: session.account.userId,
        client: session.client,
        emit: (payload) => deps.emit('presence.changed', payload),
        backoff: deps.backoff,
        ...(deps.presenceHeartbeatMs ? { heartbeatMs: deps.presenceHeartbeatMs } : {}),
      });
      presence.set(session.id, client);
    }
    return client;
  };

  const inboxOfMessage = (session: AccountSession, messageId: string): string => {
    const inboxId = session.inboxOf(messageId);
    if (!inboxId) throw new CoreError('not_found', 'This message is not in the local inbox.');
    return inboxId;
  };

  /** Access ended: stop syncing the inbox and remove its local copy at once. */
  const forgetting = new Set<string>();
  const forgetInbox = async (session: AccountSession, inboxId: string, creatorName: string | null) => {
    // A refused pull and the start-up refresh can both find the same inbox gone.
    const key = `${session.id}:${inboxId}`;
    if (forgetting.has(key) || !session.account.inboxes.some((i) => i.inboxId === inboxId)) return;
    forgetting.add(key);
    try {
      await dropLocalCopy(session, inboxId, creatorName);
    } finally {
      forgetting.delete(key);
    }
  };
  const dropLocalCopy = async (session: AccountSession, inboxId: string, creatorName: string | null) => {
    await session.removeInbox(inboxId);
    presence.get(session.id)?.forget(inboxId);
    const notice = session.store.write(() => {
      purgeInbox(session.store.db, inboxId);
      return addNotice(session.store.db, {
        messageId: null,
        kind: 'info',
        code: 'access_ended',
        text: `Your access to ${creatorName ?? 'an inbox'} ended; its messages were removed from this device.`,
        actorName: null,
        at: deps.now(),
        params: { creatorName },
      });
    }, true);
    deps.emit('notice.added', { ...notice, accountId: session.id });
  };

  const membershipsRead = async (session: AccountSession, inboxes: Account['inboxes']): Promise<Account> => {
    const kept = new Set(inboxes.map((i) => i.inboxId));
    const gone = session.account.inboxes.filter((i) => !kept.has(i.inboxId));
    for (const inbox of gone) await forgetInbox(session, inbox.inboxId, inbox.creatorName);
    const updated = deps.saveAccount({ ...session.account, inboxes });
    session.updateInboxes(updated);
    session.announce(
      gone.length > 0
        ? ['accounts', 'message', 'counts', 'thread', 'team', 'settings', 'earnings', 'outbox', 'notices']
        : ['accounts'],
      null,
    );
    return updated;
  };

  const inboxRefused = (session: AccountSession, inboxId: string) => {
    const key = `${session.id}:${inboxId}`;
    if (checking.has(key)) return;
    checking.add(key);
    void refreshMemberships(session.client)
      .then((inboxes) => (inboxes ? membershipsRead(session, inboxes) : null))
      .catch(() => undefined)
      .finally(() => checking.delete(key));
  };

  const handlers: TeamHandlers = {
    'team.settings': async ({ accountId, inboxId }) => {
      const session = deps.sessionFor(accountId);
      const earnings = mayAct(membershipOf(session, inboxId), 'view_earnings');
      return session.store.read(() => settingsView(session.store.db, inboxId, earnings));
    },
    'team.updateSettings': async ({ accountId, inboxId, patch }) => {
      const session = deps.sessionFor(accountId);
      // A settings edit is a registered action: the registry says who may queue it.
      const refusal = checkAction(
        { kind: SETTINGS_ACTION, patch },
        { membership: membershipOf(session, inboxId), message: null, now: deps.now() },
      );
      if (refusal) throw refusalError(refusal);
      const { actionId } = session.store.write(
        () => enqueueSettings(session.store.db, inboxId, patch, deps.now()),
        true,
      );
      session.announce(['settings', 'outbox'], inboxId);
      session.emitStatus();
      session.pusher.kick();
      return { actionId, view: session.store.read(() => settingsView(session.store.db, inboxId)) };
    },
    'team.members': async ({ accountId, inboxId }) => {
      const session = deps.sessionFor(accountId);
      membershipOf(session, inboxId);
      try {
        const team = await session.client.call('members', { params: { inboxId } });
        return { ...team, invitationsOffline: false };
      } catch (error) {
        if (!(error instanceof PlatformError) || error.kind === 'final') throw fromPlatformError(error);
        return { members: localMembers(session, inboxId), invitations: [], invitationsOffline: true };
      }
    },
    'team.invite': async ({ accountId, inboxId, email, permissions }) => {
      const session = deps.sessionFor(accountId);
      requireOwner(session, inboxId);
      const invitation = await online(() =>
        session.client.call('invite', {
          params: { inboxId },
          body: { email, permissions },
          idempotencyKey: randomUUID(),
        }),
      );
      session.announce(['team'], inboxId);
      return invitation;
    },
    'team.setPermissions': async ({ accountId, inboxId, userId, permissions }) => {
      const session = deps.sessionFor(accountId);
      requireOwner(session, inboxId);
      const member = await online(() =>
        session.client.call('setPermissions', {
          params: { inboxId, userId },
          body: { permissions },
          idempotencyKey: randomUUID(),
        }),
      );
      void session.pullInbox(inboxId);
      session.announce(['team'], inboxId);
      return member;
    },
    'team.revoke': async ({ accountId, inboxId, userId }) => {
      const session = deps.sessionFor(accountId);
      requireOwner(session, inboxId);
      await online(() =>
        session.client.call('revokeMember', { params: { inboxId, userId }, idempotencyKey: randomUUID() }),
      );
      void session.pullInbox(inboxId);
      session.announce(['team'], inboxId);
      return { ok: true as const };
    },
    'team.myInvitations': async ({ accountId }) => {
      const session = deps.sessionFor(accountId);
      return (await online(() => session.client.call('myInvitations'))).invitations;
    },
    'team.cancelInvitation': async ({ accountId, inboxId, invitationId }) => {
      const session = deps.sessionFor(accountId);
      requireOwner(session, inboxId);
      await online(() =>
        session.client.call('cancelInvitation', { params: { inboxId, invitationId }, idempotencyKey: randomUUID() }),
      );
      session.announce(['team'], inboxId);
      return { ok: true as const };
    },
    'team.acceptInvitation': async ({ accountId, invitationId, code }) => {
      const session = deps.sessionFor(accountId);
      const joined = await online(() =>
        session.client.call('acceptInvitation', {
          params: { invitationId },
          body: { code },
          idempotencyKey: randomUUID(),
        }),
      );
      const inboxes = await online(() => session.client.call('me'));
      await membershipsRead(
        session,
        inboxes.memberships.map((m) => ({
          inboxId: m.inboxId,
          handle: m.handle,
          creatorName: m.creatorName,
          role: m.role,
          permissions: m.permissions,
        })),
      );
      void session.pullInbox(joined.inboxId);
      return { inboxId: joined.inboxId, handle: joined.handle, creatorName: joined.creatorName };
    },
    'team.inboxes': async ({ accountId }) => {
      const session = deps.sessionFor(accountId);
      // Switching inboxes asks again each time: answer from memory until the store changes
      // (or the minute turns, since "at risk" moves with the clock).
      const now = deps.now();
      const key = `${session.store.generation}:${Math.floor(now / 60_000)}:${JSON.stringify(session.account.inboxes)}`;
      const cached = overviews.get(session);
      if (cached?.key === key) return cached.value;
      const value = session.store.read(() => inboxOverview(session.store.db, session.account, now));
      overviews.set(session, { key, value });
      return value;
    },
    'team.audit': async (input) => {
      const session = deps.sessionFor(input.accountId);
      requireOwner(session, input.inboxId);
      return session.store.read(() => auditPage(session.store.db, input));
    },
    'team.auditCsv': async ({ timeZone, ...filter }) => {
      const session = deps.sessionFor(filter.accountId);
      requireOwner(session, filter.inboxId);
      const handle = session.account.inboxes.find((i) => i.inboxId === filter.inboxId)?.handle;
      const { csv, rows } = session.store.read(() => auditCsv(session.store.db, filter, timeZone));
      const day = new Date(deps.now()).toISOString().slice(0, 10);
      return { fileName: `audit-${handle ?? 'inbox'}-${day}.csv`, csv, rows };
    },
    'presence.set': async ({ accountId, messageId, state }) => {
      const session = deps.sessionFor(accountId);
      await presenceFor(session).set(inboxOfMessage(session, messageId), messageId, state);
      return { ok: true as const };
    },
    'presence.list': async ({ accountId, inboxId }) => {
      const session = deps.sessionFor(accountId);
      membershipOf(session, inboxId);
      return presenceFor(session).list(inboxId);
    },
    'presence.away': async () => {
      await Promise.allSettled([...presence.values()].map((p) => p.leave()));
      return { ok: true as const };
    },
  };

  /** True when the feed's entry for me says something else than the permissions I act with. */
  const myMembershipMoved = (session: AccountSession, inboxId: string): boolean => {
    const row = stmt(
      session.store.db,
      'SELECT permissions, active FROM members WHERE inbox_id = ? AND user_id = ?',
    ).get(inboxId, session.account.userId) as { permissions: string; active: number } | undefined;
    const membership = session.actor.membership(inboxId);
    if (!row || !membership || membership.role === 'owner') return false;
    const granted = [...(JSON.parse(row.permissions) as string[])].sort().join(',');
    return row.active === 0 || granted !== [...membership.permissions].sort().join(',');
  };

  const observe = (name: EventName, payload: unknown) => {
    if (name !== 'entities.changed') return;
    const event = payload as EventPayload<'entities.changed'>;
    if (event.inboxId === null || !event.kinds.includes('team')) return;
    try {
      const session = deps.sessionFor(event.accountId);
      if (myMembershipMoved(session, event.inboxId)) inboxRefused(session, event.inboxId);
    } catch {
      // The account went away meanwhile: nothing to update.
    }
  };

  return {
    handlers,
    inboxRefused,
    membershipsRead,
    observe,
    async forgetAccount(accountId) {
      const client = presence.get(accountId);
      presence.delete(accountId);
      await client?.close();
    },
    async close() {
      await Promise.allSettled([...presence.values()].map((p) => p.close()));
      presence.clear();
    },
  };
}
