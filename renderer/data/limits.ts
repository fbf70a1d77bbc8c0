import { useQuery } from '@tanstack/react-query';
import { batchLimitRefusal } from '../../shared/actions';
import type { CallOutput, InboxRow } from '../../shared/contract';
import { type Money, money } from '../../shared/money';
import { getBridge } from '../bridge';

/** My money limits in an inbox and what I refunded there in the last 24 h (issue 17). */
export const myLimitsKey = (accountId: string, inboxId: string) => ['my-limits', accountId, inboxId] as const;

export function useMyLimits(accountId: string | null, inboxId: string | null) {
  return useQuery({
    enabled: accountId !== null && inboxId !== null,
    queryKey: myLimitsKey(accountId ?? '', inboxId ?? ''),
    queryFn: () => getBridge().call('limits.mine', { accountId: accountId ?? '', inboxId: inboxId ?? '' }),
    // Limits change rarely; a refund I make changes the total, and the list's own refresh covers that.
    staleTime: 30_000,
  });
}

type MyLimits = CallOutput<'limits.mine'>;

/** What I refunded in the inbox in the last 24 h, in one currency (none, or not known yet: zero). */
export function refundedIn(mine: MyLimits | undefined, currency: string): Money {
  const used = mine?.refundedRecently.find((m) => m.currency === currency);
  return money(used?.minor ?? 0, currency);
}

/**
 * Whether refunding all these waiting messages at once (blocking their fan) passes my money
 * limits: the platform's own rule for a block (shared/actions/limits.ts batchLimitRefusal,
 * per currency, every pending message counted), so the dialog refuses what it would.
 */
export function refundAllRefusal(rows: readonly Pick<InboxRow, 'price'>[], mine: MyLimits | undefined) {
  if (!mine?.limits) return null;
  for (const currency of new Set(rows.map((r) => r.price.currency))) {
    const prices = rows.filter((r) => r.price.currency === currency).map((r) => money(r.price.minor, currency));
    const refusal = batchLimitRefusal('manager', mine.limits, 'refund', prices, refundedIn(mine, currency));
    if (refusal) return refusal;
  }
  return null;
}
