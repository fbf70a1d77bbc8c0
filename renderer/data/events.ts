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

export function subscribeToBridgeEvents(client: QueryClient): () => void {
  const bridge = getBridge();
  const off = [
    bridge.on('entities.changed', (event) => {
      for (const queryKey of prefixesFor(event.accountId, event.kinds, event.messageIds)) {
        void client.invalidateQueries({ queryKey });
      }
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
    for (const unsubscribe of off) unsubscribe();
  };
}

/** The core says what changed; the renderer never polls. */
export function useBridgeEvents(): void {
  const client = useQueryClient();
  useEffect(() => subscribeToBridgeEvents(client), [client]);
}
