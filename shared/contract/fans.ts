import { z } from 'zod';
import { FanActionSchema } from '../actions/registry';
import { Id } from '../protocol/common';
import { call } from './define';

/**
 * Blocking and unblocking a fan of an inbox (issue 12): registered actions (shared/actions),
 * checked by the registry, queued in the outbox (so offline too) and sent in order per fan.
 * The fan's new state reaches every device and member through the feed.
 */

const AccountId = z.string().min(1).max(64);

export const fanCalls = {
  'fans.submit': call(
    z.object({ accountId: AccountId, inboxId: Id, action: FanActionSchema }),
    z.object({ actionId: Id }),
  ),
} as const;
