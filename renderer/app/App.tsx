import { QueryClientProvider } from '@tanstack/react-query';
import { PlugZap } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useBridgeEvents } from '../data/events';
import { useAccounts } from '../data/queries';
import { createQueryClient } from '../data/queryClient';
import { FirstRun } from '../features/accounts/FirstRun';
import { I18n, useT } from '../i18n/I18n';
import { listenToHistory } from '../state/route';
import { useUi } from '../state/ui';
import { LiveRegion } from '../ui/LiveRegion';
import { EmptyState, SkeletonRows } from '../ui/States';
import { TooltipProvider } from '../ui/Tooltip';
import { Inbox } from './Inbox';
import { useThemeAttribute } from './Theme';

export function App() {
  const [client] = useState(createQueryClient);
  return (
    <QueryClientProvider client={client}>
      <I18n>
        <TooltipProvider>
          <Root />
          <LiveRegion />
        </TooltipProvider>
      </I18n>
    </QueryClientProvider>
  );
}

function Root() {
  const t = useT();
  useThemeAttribute();
  useEffect(listenToHistory, []);
  useBridgeEvents();
  const accounts = useAccounts();
  const accountId = useUi((s) => s.accountId);
  const list = accounts.data ?? [];
  const current = list.find((a) => a.id === accountId) ?? null;

  useEffect(() => {
    if (!current && list[0]) useUi.getState().set({ accountId: list[0].id, inboxId: null, focusedId: null });
  }, [current, list]);

  if (accounts.isLoading) {
    return (
      <main className="loading" aria-busy="true">
        <p className="muted">{t('app.loading')}</p>
        <SkeletonRows count={8} />
      </main>
    );
  }
  if (accounts.isError) {
    return (
      <main className="loading">
        <EmptyState
          tone="error"
          icon={<PlugZap size={28} />}
          title={t('app.bridgeError')}
          action={
            <button type="button" className="primary" onClick={() => void accounts.refetch()}>
              {t('common.retry')}
            </button>
          }
        />
      </main>
    );
  }
  if (list.length === 0) return <FirstRun />;
  if (!current) return null;
  return <Inbox accounts={list} />;
}
