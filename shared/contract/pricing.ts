import { z } from 'zod';
import { Id } from '../protocol/common';
import { FanSchema, FanTermsSchema } from '../protocol/entities';
import { call } from './define';

/**
 * Pricing the way creators ask for it (#18): a fan's own terms — a free pass or a personal
 * price — given or taken back by the owner or a member with `manage_fans`. Online: the
 * platform decides and audits it; the fan's new terms reach every device through the feed.
 */

const AccountId = z.string().min(1).max(64);

export const pricingCalls = {
  /** `terms` null takes back whatever the fan was given: the inbox's tiers apply again. */
  'fans.setTerms': call(
    z.object({ accountId: AccountId, inboxId: Id, fanId: Id, terms: FanTermsSchema.nullable() }),
    FanSchema,
  ),
} as const;
