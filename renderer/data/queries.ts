import {
  type InfiniteData,
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { useEffect } from 'react';
import { type Action, type CallOutput, LIST_PAGE } from '../../shared/contract';
import { getBridge } from '../bridge';
import type { Order, SearchFilters } from '../state/ui';
import { keys } from './keys';
import { applyToRow } from './optimistic';
import { searchInputFrom } from './searchInput';

export type InboxPage = CallOutput<'inbox.page'>;

export function useAccounts() {
  return useQuery({ queryKey: keys.accounts(), queryFn: () => getBridge().call('accounts.list', {}) });
}

export function useAppInfo() {
  return useQuery({ queryKey: keys.appInfo(), queryFn: () => getBridge().call('app.info', {}) });
}

export interface ListSource {
  accountId: string;
  inboxId: string | null;
  view: import('../../shared/contract').InboxView;
  label: string | null;
  order: Order;
}

export function useInboxPages(source: ListSource | null) {
  return useInfiniteQuery({
    enabled: source !== null,
    queryKey: source
      ? keys.inbox(source.accountId, source.inboxId, source.view, source.label, source.order)
      : ['inbox', 'none'],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => {
      if (!source) throw new Error('no account');
      return getBridge().call('inbox.page', {
        accountId: source.accountId,
        inboxId: source.inboxId,
        view: source.view,
        ...(source.label ? { label: source.label } : {}),
        order: source.order,
        cursor: pageParam,
        limit: LIST_PAGE,
      });
    },
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
}

export function useSearchPages(
  accountId: string | null,
  inboxId: string | null,
  filters: SearchFilters,
  enabled: boolean,
  amounts: { currency: string; locale: string },
) {
  const input = accountId ? searchInputFrom(accountId, inboxId, filters, amounts.currency, amounts.locale) : null;
  return useInfiniteQuery({
    enabled: enabled && input !== null,
    queryKey: keys.search(accountId ?? '', input),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => {
      if (!input) throw new Error('no account');
      return getBridge().call('search', { ...input, cursor: pageParam, limit: LIST_PAGE });
    },
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
}

export function useCounts(accountId: string | null, inboxId: string | null) {
  return useQuery({
    enabled: accountId !== null,
    queryKey: keys.counts(accountId ?? '', inboxId),
    queryFn: () => getBridge().call('inbox.counts', { accountId: accountId ?? '', inboxId }),
  });
}

export function threadQuery(accountId: string, messageId: string) {
  return {
    queryKey: keys.thread(accountId, messageId),
    queryFn: () => getBridge().call('message.thread', { accountId, messageId }),
  };
}

export function useThread(accountId: string | null, messageId: string | null) {
  return useQuery({
    enabled: accountId !== null && messageId !== null,
    ...threadQuery(accountId ?? '', messageId ?? ''),
    placeholderData: keepPreviousData,
  });
}

/**
 * Loads the neighbours' threads while the person reads one, so j/k shows the next
 * message from memory in the same frame, as a fast mail client does.
 */
export function usePrefetchNeighbours(accountId: string | null, ids: readonly (string | undefined)[]) {
  const client = useQueryClient();
  // The ids travel as one string so the effect runs when they change, not every render.
  const key = ids.filter(Boolean).join('|');
  useEffect(() => {
    if (!accountId || !key) return;
    for (const id of key.split('|')) void client.prefetchQuery(threadQuery(accountId, id));
  }, [accountId, key, client]);
}

/** The fan's messages in one inbox still waiting for an answer: what blocking them with a refund gives back. */
export function useFanPending(accountId: string | null, inboxId: string, fanId: string) {
  return useQuery({
    enabled: accountId !== null,
    queryKey: [...keys.fanHistory(accountId ?? '', fanId), 'pending', inboxId],
    queryFn: () =>
      getBridge().call('search', {
        accountId: accountId ?? '',
        inboxId,
        text: '',
        fanId,
        status: ['pending'],
        limit: 200,
      }),
  });
}

export function useFanHistory(accountId: string | null, fanId: string | null) {
  return useQuery({
    enabled: accountId !== null && fanId !== null,
    queryKey: keys.fanHistory(accountId ?? '', fanId ?? ''),
    queryFn: () =>
      getBridge().call('search', {
        accountId: accountId ?? '',
        inboxId: null,
        text: '',
        fanId: fanId ?? '',
        limit: 10,
      }),
  });
}

export function useOutbox(accountId: string | null) {
  return useQuery({
    enabled: accountId !== null,
    queryKey: keys.outbox(accountId ?? ''),
    queryFn: () => getBridge().call('outbox.list', { accountId: accountId ?? '' }),
  });
}

export function useNotices(accountId: string | null) {
  return useQuery({
    enabled: accountId !== null,
    queryKey: keys.notices(accountId ?? ''),
    queryFn: () => getBridge().call('notices.list', { accountId: accountId ?? '' }),
  });
}

export function useSyncStatus(accountId: string | null) {
  return useQuery({
    enabled: accountId !== null,
    queryKey: keys.sync(accountId ?? ''),
    queryFn: () => getBridge().call('sync.status', { accountId: accountId ?? '' }),
  });
}

function patchCachedRows(
  client: ReturnType<typeof useQueryClient>,
  accountId: string,
  ids: ReadonlySet<string>,
  action: Action,
) {
  const update = (data: InfiniteData<InboxPage> | undefined) =>
    data && {
      ...data,
      pages: data.pages.map((page) => ({
        ...page,
        rows: page.rows.map((row) => (ids.has(row.id) ? applyToRow(row, action) : row)),
      })),
    };
  client.setQueriesData<InfiniteData<InboxPage>>({ queryKey: ['inbox', accountId] }, update);
  client.setQueriesData<InfiniteData<InboxPage>>({ queryKey: ['search', accountId] }, update);
}

export function useSubmitAction() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { accountId: string; messageId: string; action: Action }) =>
      getBridge().call('actions.submit', input),
    onMutate: (input) => patchCachedRows(client, input.accountId, new Set([input.messageId]), input.action),
    onError: (_error, input) => {
      void client.invalidateQueries({ queryKey: ['inbox', input.accountId] });
      void client.invalidateQueries({ queryKey: ['search', input.accountId] });
    },
  });
}

export function useBulkAction() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { accountId: string; messageIds: string[]; action: Action }) =>
      getBridge().call('actions.bulk', input),
    onMutate: (input) => patchCachedRows(client, input.accountId, new Set(input.messageIds), input.action),
  });
}

export function useUndo() {
  return useMutation({
    mutationFn: (input: { accountId: string; actionId: string }) => getBridge().call('actions.undo', input),
  });
}
