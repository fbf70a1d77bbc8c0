import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { mayAct } from '../../../shared/actions';
import type { pricingCalls } from '../../../shared/contract';
import type { Fan } from '../../../shared/protocol';
import { CoreError } from '../errors';
import type { AccountSession } from '../services/account-session';
import { fromPlatformError } from '../sync/platform-errors';

type Input = z.infer<(typeof pricingCalls)['fans.setTerms']['input']>;

/**
 * Gives a fan a free pass or a personal price, or takes it back (#18). Online: the platform
 * checks `manage_fans` again, records it in the audit log and sends the fan's new terms to
 * every device on the feed; the pull that follows brings them here.
 */
async function setTerms(session: AccountSession, input: Input): Promise<Fan> {
  if (!mayAct(session.actor.membership(input.inboxId), 'manage_fans')) {
    throw new CoreError('forbidden', 'You do not have the "manage_fans" permission in this inbox.');
  }
  const params = { inboxId: input.inboxId, fanId: input.fanId };
  try {
    const fan =
      input.terms === null
        ? await session.client.call('clearFanTerms', { params, idempotencyKey: randomUUID() })
        : await session.client.call('setFanTerms', { params, body: input.terms, idempotencyKey: randomUUID() });
    void session.pullInbox(input.inboxId);
    return fan;
  } catch (error) {
    throw fromPlatformError(error);
  }
}

/** `...pricingHandlers(sessionFor)` in createCore's handler table. */
export function pricingHandlers(sessionFor: (accountId: string) => AccountSession) {
  return {
    'fans.setTerms': async (input: Input) => setTerms(sessionFor(input.accountId), input),
  };
}
