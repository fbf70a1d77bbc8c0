import { useQuery } from '@tanstack/react-query';
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
