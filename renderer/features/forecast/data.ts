import { type QueryClient, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { create } from 'zustand';
import { getBridge } from '../../bridge';

/** The forecast's query key, starting with its kind and the account like renderer/data/keys. */
export const forecastKey = (accountId: string, inboxId: string) => ['forecast', accountId, inboxId] as const;

/** Minutes east of UTC now: the hour of day the pace is read in is the person's own. */
export function utcOffsetNow(): number {
  return -new Date().getTimezoneOffset();
}

export function useForecast(accountId: string | null, inboxId: string | null) {
  return useQuery({
    enabled: accountId !== null && inboxId !== null,
    queryKey: forecastKey(accountId ?? '', inboxId ?? ''),
    queryFn: () =>
      getBridge().call('forecast.get', {
        accountId: accountId ?? '',
        inboxId: inboxId ?? '',
        utcOffsetMinutes: utcOffsetNow(),
      }),
    // Deadlines approach while nothing changes: look again every few minutes as well.
    refetchInterval: 5 * 60_000,
  });
}

/** The forecast follows the messages: any message change makes it stale. */
export function subscribeToForecastEvents(client: QueryClient): () => void {
  return getBridge().on('entities.changed', (event) => {
    if (event.kinds.includes('message') || event.kinds.includes('counts')) {
      void client.invalidateQueries({ queryKey: ['forecast', event.accountId] });
    }
  });
}

export function useForecastEvents(): void {
  const client = useQueryClient();
  useEffect(() => subscribeToForecastEvents(client), [client]);
}

/** The creator's notification threshold (messages forecast to be refunded), per device; 0 = off. */
const STORAGE_KEY = 'creator-inbox.forecast';
function loadThreshold(): number {
  try {
    const value = Number(JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}').threshold);
    return Number.isInteger(value) && value >= 0 && value <= 10_000 ? value : 0;
  } catch {
    return 0;
  }
}

interface ForecastPrefs {
  threshold: number;
  setThreshold(threshold: number): void;
}

export const useForecastPrefs = create<ForecastPrefs>((set) => ({
  threshold: typeof localStorage === 'undefined' ? 0 : loadThreshold(),
  setThreshold(threshold) {
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify({ threshold }));
    } catch {
      // Storage full or disabled: the choice holds for this session.
    }
    set({ threshold });
  },
}));
