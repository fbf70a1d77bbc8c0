import { useCallback, useMemo, useRef } from 'react';
import { useShallow } from 'zustand/shallow';
import type { InboxRow } from '../../shared/contract';
import { useLocale } from '../i18n/I18n';
import { useUi } from '../state/ui';
import { useCounts, useInboxPages, useSearchPages } from './queries';

export interface CurrentList {
  rows: InboxRow[];
  total: number;
  hasNextPage: boolean;
  isLoading: boolean;
  isError: boolean;
  fetchNextPage(): void;
  isFetchingNextPage: boolean;
  /** The search text whose results are on screen (null while the previous results stand in). */
  resultsFor: string | null;
}

/** The rows on screen: a view of the inbox, or search results when searching. */
export function useCurrentList(): CurrentList {
  // Only what picks the list: the focus and selection moving must not rebuild it.
  const { accountId, inboxId, view, label, order, searching, filters } = useUi(
    useShallow((s) => ({
      accountId: s.accountId,
      inboxId: s.inboxId,
      view: s.view,
      label: s.label,
      order: s.order,
      searching: s.searching,
      filters: s.filters,
    })),
  );
  const source = accountId && !searching ? { accountId, inboxId, view, label, order } : null;
  const inbox = useInboxPages(source);
  // Amount filters are typed in the inbox's currency, in the person's locale.
  const locale = useLocale();
  const counts = useCounts(accountId, inboxId).data;
  const currency = counts?.views.flatMap((v) => v.held)[0]?.currency ?? 'USD';
  const search = useSearchPages(accountId, inboxId, filters, searching, { currency, locale });
  const query = searching ? search : inbox;
  const pages = query.data?.pages;
  const rows = useMemo(() => {
    if (!pages) return [];
    // Keyset pages never overlap, but a row can move between pages while they refetch.
    const seen = new Set<string>();
    const out: InboxRow[] = [];
    for (const page of pages) {
      for (const row of page.rows) {
        if (seen.has(row.id)) continue;
        seen.add(row.id);
        out.push(row);
      }
    }
    return out;
  }, [pages]);
  const total = Math.max(pages?.[0]?.total ?? 0, rows.length);
  const { hasNextPage, isLoading, isError, isFetchingNextPage, isPlaceholderData, data } = query;
  const resultsFor = searching && !isPlaceholderData && data ? filters.text : null;
  // The query's fetchNextPage is stable; reading the flags through a ref keeps ours stable too.
  const latest = useRef(query);
  latest.current = query;
  const fetchNextPage = useCallback(() => {
    const current = latest.current;
    if (current.hasNextPage && !current.isFetchingNextPage) void current.fetchNextPage();
  }, []);
  // One object per change of what it holds, so what depends on the list re-runs only then.
  return useMemo(
    () => ({ rows, total, hasNextPage, isLoading, isError, fetchNextPage, isFetchingNextPage, resultsFor }),
    [rows, total, hasNextPage, isLoading, isError, fetchNextPage, isFetchingNextPage, resultsFor],
  );
}
