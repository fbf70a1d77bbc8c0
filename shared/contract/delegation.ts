import { z } from 'zod';
import { Id, MoneySchema } from '../protocol/common';
import { MemberLimitsSchema, MemberSchema } from '../protocol/entities';
import { MemberLimitsBody } from '../protocol/routes';
import { call } from './define';

/**
 * Working for a creator (issue 17): money limits per manager. Setting them is the owner's
 * and online (the platform decides); reading mine lets the UI warn before I act.
 */

const AccountId = z.string().min(1).max(64);
const InboxInput = z.object({ accountId: AccountId, inboxId: Id });

export const MyLimitsSchema = z.object({
  /** Null for the owner, or while the platform cannot be asked (it still enforces them). */
  limits: MemberLimitsSchema.nullable(),
  /** What I refunded in this inbox in the last 24 hours, per currency, from the synced messages. */
  refundedRecently: z.array(MoneySchema),
});
export type MyLimits = z.infer<typeof MyLimitsSchema>;

export const delegationCalls = {
  'team.setLimits': call(InboxInput.extend({ userId: Id }).merge(MemberLimitsBody), MemberSchema),
  'limits.mine': call(InboxInput, MyLimitsSchema),
} as const;
