import { useCallback, useRef } from 'react';
import { flushSync } from 'react-dom';
import type { InboxRow } from '../../../shared/contract';
import { useUi } from '../../state/ui';
import { COMPOSER_ID, focusById, focusList, PANE_ID, SEARCH_ID } from '../../ui/focus';
import { selectAll, selectRange, toggle } from '../inbox/selection';
import type { CurrentList } from '../inbox/useCurrentList';
import { useTriage } from '../inbox/useTriage';
import type { Command } from './keymap';

/** Rows an action applies to: the selection when there is one, else the focused row. */
export function targetsOf(
  rows: readonly InboxRow[],
  selected: ReadonlySet<string>,
  focusedId: string | null,
): InboxRow[] {
  if (selected.size > 0) return rows.filter((r) => selected.has(r.id));
  const focused = rows.find((r) => r.id === focusedId);
  return focused ? [focused] : [];
}

/** A decision can be taken on a pending message that has none waiting in the outbox. */
export function isUndecided(row: InboxRow): boolean {
  return row.status === 'pending' && row.pendingDecision === null;
}

/** One implementation of every command, shared by keys, buttons and the palette. */
export function useCommands(list: CurrentList): (command: Command) => void {
  const triage = useTriage();
  // One stable function for keys, buttons and the palette; it reads the latest list and
  // triage through refs so listeners and memoized children are not rebuilt every render.
  const latest = useRef({ list, triage });
  latest.current = { list, triage };
  return useCallback((command: Command) => {
    const { list, triage } = latest.current;
    const ui = useUi.getState();
    const { rows } = list;
    const order = rows.map((r) => r.id);
    const at = ui.focusedId === null ? -1 : order.indexOf(ui.focusedId);
    const focused = at >= 0 ? rows[at] : undefined;
    const targets = targetsOf(rows, ui.selection.ids, ui.focusedId);
    const ids = targets.map((r) => r.id);
    const move = (delta: number) => {
      const next = Math.min(rows.length - 1, Math.max(0, at + delta));
      const row = rows[next];
      if (next >= rows.length - 20) list.fetchNextPage();
      return row ?? null;
    };
    switch (command) {
      case 'next':
      case 'previous': {
        const row = move(command === 'next' ? 1 : -1);
        if (row) ui.set({ focusedId: row.id });
        return;
      }
      case 'selectRangeDown':
      case 'selectRangeUp': {
        if (!focused) return;
        const base = ui.selection.anchor ? ui.selection : toggle(ui.selection, focused.id);
        const row = move(command === 'selectRangeDown' ? 1 : -1);
        if (row) ui.set({ focusedId: row.id, selection: selectRange(base, order, row.id) });
        return;
      }
      case 'open':
        if (focused && !focused.read) void triage.one(focused, { kind: 'triage', patch: { read: true } });
        focusById(PANE_ID);
        return;
      case 'accept': {
        const open = targets.filter(isUndecided);
        if (open.length === 0) return;
        if (ui.selection.ids.size > 0)
          ui.set({ dialog: { kind: 'bulkConfirm', action: 'accept', messageIds: open.map((r) => r.id) } });
        else if (open[0]) void triage.one(open[0], { kind: 'accept' });
        return;
      }
      case 'acceptReply':
      case 'reply':
      case 'note': {
        if (!focused) return;
        const mode =
          command === 'note' ? 'note' : command === 'reply' && focused.status === 'accepted' ? 'reply' : 'acceptReply';
        if (mode === 'acceptReply' && !isUndecided(focused)) return;
        // Render the composer and focus it before this key event ends, so the letters typed
        // right after r / n land in the text box instead of running as commands.
        flushSync(() => ui.set({ composer: { mode, messageId: focused.id, nonce: Date.now() } }));
        const composer = document.getElementById(COMPOSER_ID);
        if (composer) composer.focus();
        else focusById(COMPOSER_ID); // the thread is still loading: focus once it renders
        return;
      }
      case 'refund': {
        const open = targets.filter(isUndecided);
        if (open.length > 0) ui.set({ dialog: { kind: 'refund', messageIds: open.map((r) => r.id) } });
        return;
      }
      case 'archive':
        if (targets.length === 0) return;
        if (ui.selection.ids.size > 0) ui.set({ dialog: { kind: 'bulkConfirm', action: 'archive', messageIds: ids } });
        else if (focused) void triage.one(focused, { kind: 'triage', patch: { archived: !focused.archived } });
        return;
      case 'star':
        if (targets.length === 0) return;
        void triage.run(targets, { kind: 'triage', patch: { starred: !targets.every((r) => r.starred) } });
        return;
      case 'toggleRead':
        if (targets.length === 0) return;
        void triage.run(targets, { kind: 'triage', patch: { read: !targets.every((r) => r.read) } });
        return;
      case 'label':
      case 'snooze':
      case 'assign':
        if (ids.length > 0) ui.set({ dialog: { kind: command, messageIds: ids } });
        return;
      case 'select':
        if (focused) ui.set({ selection: toggle(ui.selection, focused.id) });
        return;
      case 'selectAll':
        ui.set({ selection: selectAll(order) });
        return;
      case 'clearSelection':
        if (ui.dialog) ui.set({ dialog: null });
        else if (ui.composer) ui.set({ composer: null });
        else ui.set({ selection: { ids: new Set(), anchor: null } });
        focusList();
        return;
      case 'search':
        document.getElementById(SEARCH_ID)?.focus();
        return;
      case 'palette':
        ui.set({ dialog: { kind: 'palette' } });
        return;
      case 'shortcuts':
        ui.set({ dialog: { kind: 'shortcuts' } });
        return;
      case 'settings':
        ui.set({ dialog: { kind: 'settings' } });
        return;
      case 'outbox':
        ui.set({ dialog: { kind: 'outbox' } });
        return;
      case 'undo':
        void triage.undo();
        return;
      case 'toggleOrder':
        ui.set({ order: ui.order === 'deadline' ? 'at_risk' : ui.order === 'at_risk' ? 'newest' : 'deadline' });
        return;
    }
  }, []);
}
