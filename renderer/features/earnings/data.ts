import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { PeriodSpecWire } from '../../../shared/contract';
import type { Money } from '../../../shared/money';
import { getBridge } from '../../bridge';
import type { Granularity } from '../../data/earnings';

/** Every earnings query starts with this prefix, so one event refreshes them all. */
const prefix = (accountId: string, inboxId: string) => ['earnings', accountId, inboxId] as const;

export interface EarningsScope {
  accountId: string;
  inboxId: string;
  period: PeriodSpecWire | null;
  timeZone: string;
}

/**
 * Figures change when ledger entries arrive (kind 'earnings'), and what is "waiting to
 * sync" or still held changes with the outbox and messages; the core says so, we refetch.
 */
export function useEarningsRefresh(accountId: string, inboxId: string): void {
  const client = useQueryClient();
  useEffect(() => {
    // Queries never go stale on their own (events drive them), and events that arrived while
    // this screen was closed were not heard: re-read once on opening, showing the last figures meanwhile.
    void client.invalidateQueries({ queryKey: prefix(accountId, inboxId) });
    return getBridge().on('entities.changed', (event) => {
      if (event.accountId !== accountId || (event.inboxId !== null && event.inboxId !== inboxId)) return;
      if (event.kinds.some((k) => k === 'earnings' || k === 'outbox' || k === 'message')) {
        void client.invalidateQueries({ queryKey: prefix(accountId, inboxId) });
      }
    });
  }, [client, accountId, inboxId]);
}

/**
 * `minute` is part of the key: "at risk in the next 24 hours" and what "today" means move
 * with the clock even when no entity changes, so the figures are re-read once a minute.
 */
export function useSummary(scope: EarningsScope, enabled: boolean, minute: number) {
  const { accountId, inboxId, period, timeZone } = scope;
  return useQuery({
    enabled: enabled && period !== null,
    queryKey: [...prefix(accountId, inboxId), 'summary', period, timeZone, minute],
    placeholderData: keepPreviousData,
    queryFn: () =>
      getBridge().call('earnings.summary', { accountId, inboxId, period: period ?? { kind: 'today' }, timeZone }),
  });
}

export function useSeries(scope: EarningsScope, granularity: Granularity, enabled: boolean) {
  const { accountId, inboxId, period, timeZone } = scope;
  return useQuery({
    enabled: enabled && period !== null,
    queryKey: [...prefix(accountId, inboxId), 'series', period, timeZone, granularity],
    queryFn: () =>
      getBridge().call('earnings.series', {
        accountId,
        inboxId,
        period: period ?? { kind: 'today' },
        timeZone,
        granularity,
      }),
  });
}

export function useBreakdown(scope: EarningsScope, enabled: boolean) {
  const { accountId, inboxId, period, timeZone } = scope;
  return useQuery({
    enabled: enabled && period !== null,
    queryKey: [...prefix(accountId, inboxId), 'breakdown', period, timeZone],
    queryFn: () =>
      getBridge().call('earnings.breakdown', {
        accountId,
        inboxId,
        period: period ?? { kind: 'today' },
        timeZone,
        limit: 10,
      }),
  });
}

export function usePayouts(accountId: string, inboxId: string, timeZone: string, enabled: boolean) {
  return useQuery({
    enabled,
    queryKey: [...prefix(accountId, inboxId), 'payouts', timeZone],
    queryFn: () => getBridge().call('payouts.list', { accountId, inboxId, timeZone }),
  });
}

export function useRequestPayout(accountId: string, inboxId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (amount: Money) => getBridge().call('payouts.request', { accountId, inboxId, amount }),
    onSettled: () => client.invalidateQueries({ queryKey: prefix(accountId, inboxId) }),
  });
}
