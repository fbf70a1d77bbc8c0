import { Inbox as InboxIcon } from 'lucide-react';
import { useEffect } from 'react';
import { useShallow } from 'zustand/shallow';
import type { Account, InboxRow } from '../../shared/contract';
import { usePrefetchNeighbours, useThread } from '../data/queries';
import { useCommands } from '../data/useCommands';
import { useCurrentList } from '../data/useCurrentList';
import { ConnectDialog } from '../features/accounts/FirstRun';
import { BulkBar, BulkReport } from '../features/bulk/BulkBar';
import { DraftsHost } from '../features/drafts/DraftsHost';
import { ForecastBanner } from '../features/forecast/ForecastBanner';
import { MessageList } from '../features/inbox/MessageList';
import { Sidebar } from '../features/inbox/Sidebar';
import { PausedBanner } from '../features/inbox-settings/PausedBanner';
import { CommandPalette, ShortcutSheet } from '../features/keyboard/CommandPalette';
import { useShortcuts } from '../features/keyboard/useShortcuts';
import { BlockDialog } from '../features/message/BlockDialog';
import { MessagePane } from '../features/message/MessagePane';
import {
  AssignDialog,
  BulkConfirmDialog,
  LabelDialog,
  RefundDialog,
  SnoozeDialog,
} from '../features/message/TriageDialogs';
import { SearchBar } from '../features/search/SearchBar';
import { Flash } from '../features/sync/Flash';
import { Notices } from '../features/sync/Notices';
import { OutboxDialog, SyncIndicator } from '../features/sync/SyncStatus';
import { UndoToast } from '../features/sync/UndoToast';
import { KeyTour } from '../features/tour/KeyTour';
import { useT } from '../i18n/I18n';
import { publishVisibleOrder } from '../state/advance';
import type { Command } from '../state/keymap';
import { useRoute } from '../state/route';
import { useUi } from '../state/ui';
import { focusList } from '../ui/focus';
import { AccountBadge } from './AccountBadge';
import { DensityToggle } from './DensityToggle';
import { ScreenHost, TeamHost } from './TeamHost';

/**
 * The triage screen: sidebar, virtualized list, message pane. It reads only what shapes the
 * screen (view, search, dialog), never the focused row: a j press re-renders the list's two
 * changed rows and the pane (FocusedPane), not the rail, banners and dialogs around them.
 */
export function Inbox({ accounts }: { accounts: Account[] }) {
  const t = useT();
  const list = useCurrentList();
  const run = useCommands(list);
  useEffect(() => publishVisibleOrder(list.rows.map((r) => r.id)), [list.rows]);
  useShortcuts(run);
  const ui = useUi(
    useShallow((s) => ({
      accountId: s.accountId,
      view: s.view,
      label: s.label,
      order: s.order,
      searching: s.searching,
      dialog: s.dialog,
      set: s.set,
    })),
  );
  const screen = useRoute((s) => s.screen);
  const dialogRows = (ids: string[]) => list.rows.filter((r) => ids.includes(r.id));

  useEffect(() => {
    focusList();
  }, []);

  const listLabel = ui.searching
    ? t('list.searchResults', { count: list.total })
    : ui.view === 'label' && ui.label
      ? t('list.labelView', { label: ui.label, count: list.total })
      : t('list.view', { view: t(`view.${ui.view}`), count: list.total });

  return (
    <div className="app">
      <a className="skip-link" href="#message-list">
        {t('app.skipToList')}
      </a>
      <header className="topbar">
        <h1 className="brand">
          <InboxIcon aria-hidden="true" size={18} className="brand-mark" />
          <span className="brand-name">{t('app.title')}</span>
        </h1>
        <SearchBar />
        <div className="topbar-actions">
          <SyncIndicator />
          <Notices />
          <AccountBadge accounts={accounts} run={run} />
        </div>
      </header>
      <Sidebar accounts={accounts} />
      <main className="workspace" hidden={screen !== 'inbox'}>
        <section className="list-column" aria-label={t('list.region')}>
          <div className="list-head">
            <h2 className="list-title" aria-live="polite">
              {listLabel}
            </h2>
            <div className="list-tools">
              {!ui.searching && ui.view === 'pending' ? (
                <label className="order">
                  <span className="visually-hidden">{t('list.order')}</span>
                  <select value={ui.order} onChange={(e) => ui.set({ order: e.target.value as typeof ui.order })}>
                    <option value="deadline">{t('order.deadline')}</option>
                    <option value="at_risk">{t('order.at_risk')}</option>
                    <option value="newest">{t('order.newest')}</option>
                  </select>
                </label>
              ) : null}
              <DensityToggle />
            </div>
          </div>
          <PausedBanner account={accounts.find((a) => a.id === ui.accountId) ?? null} />
          <ForecastBanner account={accounts.find((a) => a.id === ui.accountId) ?? null} />
          <BulkBar rows={list.rows} run={run} />
          <BulkReport />
          <MessageList list={list} label={listLabel} />
        </section>
        <FocusedPane rows={list.rows} run={run} />
      </main>
      {screen !== 'inbox' ? (
        <main className="screen-host">
          {screen === 'drafts' ? (
            <DraftsHost account={accounts.find((a) => a.id === ui.accountId) ?? null} />
          ) : (
            <ScreenHost account={accounts.find((a) => a.id === ui.accountId) ?? null} />
          )}
        </main>
      ) : null}
      <TeamHost account={accounts.find((a) => a.id === ui.accountId) ?? null} />
      <UndoToast />
      {screen === 'inbox' && list.rows.length > 0 ? <KeyTour /> : null}
      <Flash />
      {ui.dialog?.kind === 'refund' ? <RefundDialog rows={dialogRows(ui.dialog.messageIds)} /> : null}
      {ui.dialog?.kind === 'block' ? <BlockDialog row={ui.dialog.row} /> : null}
      {ui.dialog?.kind === 'bulkConfirm' ? (
        <BulkConfirmDialog rows={dialogRows(ui.dialog.messageIds)} action={ui.dialog.action} />
      ) : null}
      {ui.dialog?.kind === 'label' ? <LabelDialog rows={dialogRows(ui.dialog.messageIds)} /> : null}
      {ui.dialog?.kind === 'snooze' ? <SnoozeDialog rows={dialogRows(ui.dialog.messageIds)} /> : null}
      {ui.dialog?.kind === 'assign' ? <AssignDialog rows={dialogRows(ui.dialog.messageIds)} /> : null}
      {ui.dialog?.kind === 'palette' ? <CommandPalette run={run} /> : null}
      {ui.dialog?.kind === 'shortcuts' ? <ShortcutSheet /> : null}
      {ui.dialog?.kind === 'outbox' ? <OutboxDialog /> : null}
      {ui.dialog?.kind === 'connect' ? <ConnectDialog /> : null}
    </div>
  );
}

/**
 * The reading pane for the focused row (or a message opened from a link): the one part of
 * the screen besides the list's rows that follows the focus.
 */
function FocusedPane({ rows, run }: { rows: InboxRow[]; run: (command: Command) => void }) {
  const accountId = useUi((s) => s.accountId);
  const focusedId = useUi((s) => s.focusedId);
  const linkedState = useUi((s) => s.linked);
  const focusedIndex = focusedId === null ? -1 : rows.findIndex((r) => r.id === focusedId);
  const focused = rows[focusedIndex] ?? null;
  // A message opened from a link shows in the pane until the person moves the focus.
  const linked = useThread(linkedState ? accountId : null, linkedState?.messageId ?? null).data?.message ?? null;
  useEffect(() => {
    const current = useUi.getState().linked;
    if (current && current.focusAtOpen !== focusedId) useUi.getState().set({ linked: null });
  }, [focusedId]);
  // When the linked message is in the list, simply focus it there.
  const linkedId = linkedState?.messageId ?? null;
  useEffect(() => {
    if (linkedId && rows.some((r) => r.id === linkedId)) {
      useUi.getState().set({ focusedId: linkedId, linked: null });
    }
  }, [rows, linkedId]);
  const paneRow = linkedState && linked?.id === linkedState.messageId ? linked : focused;
  usePrefetchNeighbours(accountId, [rows[focusedIndex + 1]?.id, rows[focusedIndex - 1]?.id]);
  return <MessagePane row={paneRow} run={run} actionable={paneRow === focused} />;
}
