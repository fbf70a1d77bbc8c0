import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { keys } from '../data/keys';
import { focusList } from '../ui/focus';
import { type Command, GLOBAL_COMMANDS } from './keymap';
import { currentIndex, type RailEntry, railEntries, step } from './railOrder';
import { INBOX_ROUTE, type ScreenId, useRoute } from './route';
import { useSavedSearches } from './savedSearches';
import { useUi } from './ui';

const GO: Partial<Record<Command, ScreenId>> = {
  goInbox: 'inbox',
  goEarnings: 'earnings',
  goTeam: 'team',
  goAudit: 'audit',
  goInboxSettings: 'inboxSettings',
  goDrafts: 'drafts',
  settings: 'settings',
};

/** Shows a view, label or saved search in the list, as its rail entry does. */
export function showRailEntry(entry: RailEntry): void {
  if (useRoute.getState().screen !== 'inbox') useRoute.getState().go(INBOX_ROUTE);
  const reset = { focusedId: null, selection: { ids: new Set<string>(), anchor: null } };
  const ui = useUi.getState();
  if (entry.kind === 'saved') ui.set({ searching: true, filters: entry.filters, ...reset });
  else if (entry.kind === 'label') ui.set({ view: 'label', label: entry.label, searching: false, ...reset });
  else ui.set({ view: entry.view, label: null, searching: false, ...reset });
  focusList();
}

/**
 * The commands that move between places — screens, views, labels, saved searches, back and
 * forward — for keys and the palette alike. Returns true when it handled the command.
 * A list command run from another screen (the palette) first returns to the inbox.
 */
export function useNavigationCommands(): (command: Command) => boolean {
  const client = useQueryClient();
  return useCallback(
    (command: Command) => {
      const route = useRoute.getState();
      const screen = GO[command];
      if (screen) {
        const inboxId = useUi.getState().inboxId;
        route.go(screen === 'inbox' ? INBOX_ROUTE : { screen, inboxId: screen === 'settings' ? null : inboxId });
        if (screen === 'inbox') focusList();
        return true;
      }
      if (command === 'goBack') {
        history.back();
        return true;
      }
      if (command === 'goForward') {
        history.forward();
        return true;
      }
      if (route.screen !== 'inbox' && !GLOBAL_COMMANDS.has(command)) route.go(INBOX_ROUTE);
      if (command === 'nextView' || command === 'previousView') {
        const ui = useUi.getState();
        const counts = ui.accountId
          ? client.getQueryData<{ views: { view: string; label: string | null }[] }>(
              keys.counts(ui.accountId, ui.inboxId),
            )
          : undefined;
        const labels = (counts?.views ?? []).flatMap((v) => (v.view === 'label' && v.label ? [v.label] : []));
        const entries = railEntries(labels, useSavedSearches.getState().searches);
        const next = step(entries, currentIndex(entries, ui), command === 'nextView' ? 1 : -1);
        if (next) showRailEntry(next);
        return true;
      }
      return false;
    },
    [client],
  );
}
