import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { mayAct, REFUND_WINDOW_MS } from '../../../shared/actions';
import type { delegationCalls, MyLimits } from '../../../shared/contract';
import type { CurrencyCode } from '../../../shared/money';
import type { Member } from '../../../shared/protocol';
import { CoreError } from '../errors';
import type { AccountSession } from '../services/account-session';
import { stmt } from '../store/statements';
import { PlatformError } from '../sync/http';
import { fromPlatformError } from '../sync/platform-errors';

type Calls = typeof delegationCalls;
type Input<N extends keyof Calls> = z.infer<Calls[N]['input']>;

function membershipOf(session: AccountSession, inboxId: string) {
  const membership = session.actor.membership(inboxId);
  if (!membership) throw new CoreError('not_found', 'You are not a member of this inbox.');
  return membership;
}

/** The owner sets a manager's money limits, online: the platform decides and enforces them. */
async function setLimits(session: AccountSession, input: Input<'team.setLimits'>): Promise<Member> {
  if (!mayAct(membershipOf(session, input.inboxId), 'owner')) {
    throw new CoreError('forbidden', 'Only the inbox owner can do this.');
  }
  try {
    const member = await session.client.call('setLimits', {
      params: { inboxId: input.inboxId, userId: input.userId },
      body: { maxPrice: input.maxPrice, dailyRefund: input.dailyRefund },
      idempotencyKey: randomUUID(),
    });
    void session.pullInbox(input.inboxId);
    session.announce(['team'], input.inboxId);
    return member;
  } catch (error) {
    throw fromPlatformError(error);
  }
}

/** My limits in an inbox (from the platform when it answers) and what I refunded there in the last 24 h. */
async function myLimits(session: AccountSession, input: Input<'limits.mine'>, now: number): Promise<MyLimits> {
  const membership = membershipOf(session, input.inboxId);
  const me = session.account.userId;
  const refundedRecently = session.store.read(() =>
    (
      stmt(
        session.store.db,
        `SELECT currency, sum(price_minor) AS minor FROM messages
         WHERE inbox_id = ? AND status = 'refunded' AND decided_by_id = ? AND decided_at > ?
         GROUP BY currency ORDER BY currency`,
      ).all(input.inboxId, me, now - REFUND_WINDOW_MS) as { currency: CurrencyCode; minor: number }[]
    ).map((r) => ({ minor: r.minor, currency: r.currency })),
  );
  if (membership.role === 'owner') return { limits: null, refundedRecently };
  try {
    const team = await session.client.call('members', { params: { inboxId: input.inboxId } });
    const mine = team.members.find((m) => m.userId === me);
    return { limits: mine?.limits ?? null, refundedRecently };
  } catch (error) {
    // Offline: no warning can be given, and the platform still refuses what passes a limit.
    if (error instanceof PlatformError && error.kind !== 'final') return { limits: null, refundedRecently };
    throw fromPlatformError(error);
  }
}

/** `...delegationHandlers(sessionFor, now)` in createCore's handler table. */
export function delegationHandlers(sessionFor: (accountId: string) => AccountSession, now: () => number) {
  return {
    'team.setLimits': async (input: Input<'team.setLimits'>) => setLimits(sessionFor(input.accountId), input),
    'limits.mine': async (input: Input<'limits.mine'>) => myLimits(sessionFor(input.accountId), input, now()),
  };
}
