import { useMemo } from 'react';
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
  const { accountId, inboxId, view, label, order, searching, filters } = useUi();
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
  return {
    rows,
    total: Math.max(pages?.[0]?.total ?? 0, rows.length),
    hasNextPage: query.hasNextPage,
    isLoading: query.isLoading,
    isError: query.isError,
    fetchNextPage: () => {
      if (query.hasNextPage && !query.isFetchingNextPage) void query.fetchNextPage();
    },
    isFetchingNextPage: query.isFetchingNextPage,
    resultsFor: searching && !query.isPlaceholderData && query.data ? filters.text : null,
  };
}
