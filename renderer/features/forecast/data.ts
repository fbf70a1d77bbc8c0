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

/** The person's local calendar day ("2026-12-01"): a dismissal lasts until it changes. */
export function localDay(at: number): string {
  const date = new Date(at);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** "Not today" for one inbox: the day it was said and how many messages the forecast named then. */
export interface Dismissal {
  day: string;
  count: number;
}

/**
 * A dismissed forecast stays away for the rest of that day — unless it grows: more money at
 * risk than the person chose to ignore is news, so it comes back.
 */
export function dismissedNow(dismissal: Dismissal | undefined, today: string, count: number): boolean {
  return dismissal !== undefined && dismissal.day === today && count <= dismissal.count;
}

const DISMISS_KEY = 'creator-inbox.forecast-dismissed';
function loadDismissals(): Record<string, Dismissal> {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(DISMISS_KEY) ?? '{}');
    if (typeof stored !== 'object' || stored === null) return {};
    const valid: Record<string, Dismissal> = {};
    for (const [inboxId, value] of Object.entries(stored)) {
      const { day, count } = (value ?? {}) as Partial<Dismissal>;
      if (typeof day === 'string' && Number.isInteger(count)) valid[inboxId] = { day, count: count as number };
    }
    return valid;
  } catch {
    return {};
  }
}

interface ForecastDismissals {
  byInbox: Record<string, Dismissal>;
  dismiss(inboxId: string, count: number, at: number): void;
}

export const useForecastDismissals = create<ForecastDismissals>((set, get) => ({
  byInbox: typeof localStorage === 'undefined' ? {} : loadDismissals(),
  dismiss(inboxId, count, at) {
    const day = localDay(at);
    // Only today's dismissals mean anything: older ones are dropped rather than kept forever.
    const byInbox = Object.fromEntries(Object.entries(get().byInbox).filter(([, d]) => d.day === day));
    byInbox[inboxId] = { day, count };
    try {
      localStorage.setItem(DISMISS_KEY, JSON.stringify(byInbox));
    } catch {
      // Storage full or disabled: dismissed for this session only.
    }
    set({ byInbox });
  },
}));
