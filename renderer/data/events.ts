import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { EventPayload } from '../../shared/contract';
import { getBridge } from '../bridge';
import { useUi } from '../state/ui';
import { keys, prefixesFor } from './keys';

type NoticeListener = (notice: EventPayload<'notice.added'>) => void;
const noticeListeners = new Set<NoticeListener>();

/** Screens that announce new notices (the live region) subscribe here. */
export function onNoticeAdded(listener: NoticeListener): () => void {
  noticeListeners.add(listener);
  return () => noticeListeners.delete(listener);
}

/**
 * A sync page or a burst of settled actions arrives as many events in a few milliseconds;
 * each invalidation restarts the fetches it covers, so they are gathered for a moment and
 * applied once.
 */
const COALESCE_MS = 25;

export function subscribeToBridgeEvents(client: QueryClient): () => void {
  const bridge = getBridge();
  const stale = new Map<string, readonly unknown[]>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    timer = null;
    const prefixes = [...stale.values()];
    stale.clear();
    for (const queryKey of prefixes) void client.invalidateQueries({ queryKey });
  };
  const off = [
    bridge.on('entities.changed', (event) => {
      for (const queryKey of prefixesFor(event.accountId, event.kinds, event.messageIds)) {
        stale.set(JSON.stringify(queryKey), queryKey);
      }
      timer ??= setTimeout(flush, COALESCE_MS);
    }),
    bridge.on('sync.status', (status) => {
      client.setQueryData(keys.sync(status.accountId), status);
    }),
    bridge.on('app.navigate', (target) => {
      const ui = useUi.getState();
      if (target.kind === 'view') {
        ui.set({ view: target.view, label: null, searching: false, focusedId: null, linked: null });
      } else {
        ui.set({
          ...(target.accountId ? { accountId: target.accountId } : {}),
          linked: { messageId: target.messageId, focusAtOpen: ui.focusedId },
        });
      }
    }),
    bridge.on('notice.added', (notice) => {
      void client.invalidateQueries({ queryKey: keys.notices(notice.accountId) });
      for (const listener of noticeListeners) listener(notice);
    }),
  ];
  return () => {
    if (timer) clearTimeout(timer);
    for (const unsubscribe of off) unsubscribe();
  };
}

/** The core says what changed; the renderer never polls. */
export function useBridgeEvents(): void {
  const client = useQueryClient();
  useEffect(() => subscribeToBridgeEvents(client), [client]);
}
