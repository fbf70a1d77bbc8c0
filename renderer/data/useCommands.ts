import { useCallback, useRef } from 'react';
import { flushSync } from 'react-dom';
import type { InboxRow } from '../../shared/contract';
import { useT } from '../i18n/I18n';
import { advanceAfterDecision } from '../state/advance';
import type { Command } from '../state/keymap';
import { useNavigationCommands } from '../state/navigation';
import { selectAll, selectRange, toggle } from '../state/selection';
import { useUi } from '../state/ui';
import { flash } from '../ui/flash';
import { COMPOSER_ID, focusById, focusList, PANE_ID, SEARCH_ID } from '../ui/focus';
import { platformNow } from './clock';
import { permissionsIn } from './permissions';
import { useAccounts } from './queries';
import { decisionRefusal, type Refusal, refusalFor, replyMode } from './refusal';
import type { CurrentList } from './useCurrentList';
import { useFanActions } from './useFanActions';
import { useTriage } from './useTriage';

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

/** A decision can be taken on a pending message that has none waiting and time left. */
export function isUndecided(row: InboxRow, now: number = platformNow()): boolean {
  return decisionRefusal(row, now) === null;
}

type T = ReturnType<typeof useT>;

/** The sentence a refused command shows: what was asked and why it cannot be done. */
export function refusalText(t: T, command: Command, refusal: Refusal): string {
  return t('refusal.notDone', { command: t(`command.${command}`), reason: t(`refusal.${refusal.code}`, refusal) });
}

/** One implementation of every command, shared by keys, buttons and the palette. */
export function useCommands(list: CurrentList): (command: Command) => void {
  const triage = useTriage();
  const fanActions = useFanActions();
  const t = useT();
  const accounts = useAccounts().data ?? [];
  const navigate = useNavigationCommands();
  // One stable function for keys, buttons and the palette; it reads the latest list and
  // triage through refs so listeners and memoized children are not rebuilt every render.
  const latest = useRef({ list, triage, fanActions, t, accounts, navigate });
  latest.current = { list, triage, fanActions, t, accounts, navigate };
  return useCallback((command: Command) => {
    const { list, triage, fanActions, t, accounts, navigate } = latest.current;
    if (navigate(command)) return;
    const ui = useUi.getState();
    const { rows } = list;
    const order = rows.map((r) => r.id);
    const at = ui.focusedId === null ? -1 : order.indexOf(ui.focusedId);
    const focused = at >= 0 ? rows[at] : undefined;
    const targets = targetsOf(rows, ui.selection.ids, ui.focusedId);
    const ids = targets.map((r) => r.id);
    const now = platformNow();
    // Reply, accept & reply, notes and a fan's block act on the focused message, never on a selection.
    const refusal = refusalFor(
      command,
      command === 'acceptReply' ||
        command === 'reply' ||
        command === 'note' ||
        command === 'draftReply' ||
        command === 'blockFan' ||
        command === 'unblockFan'
        ? focused
          ? [focused]
          : []
        : targets,
      now,
      (inboxId, permission) => permissionsIn(accounts, inboxId).includes(permission),
    );
    if (refusal) {
      flash(refusalText(t, command, refusal), 'refused');
      return;
    }
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
        const open = targets.filter((r) => isUndecided(r, now));
        if (open.length === 0) return;
        if (ui.selection.ids.size > 0)
          ui.set({ dialog: { kind: 'bulkConfirm', action: 'accept', messageIds: open.map((r) => r.id) } });
        else if (open[0]) {
          const row = open[0];
          advanceAfterDecision(row.id);
          void triage.one(row, { kind: 'accept' });
        }
        return;
      }
      case 'acceptReply':
      case 'reply':
      case 'draftReply':
      case 'note': {
        if (!focused) return;
        const mode = command === 'note' ? 'note' : command === 'draftReply' ? 'draft' : replyMode(command, focused);
        // Render the composer and focus it before this key event ends, so the letters typed
        // right after r / n land in the text box instead of running as commands.
        flushSync(() => ui.set({ composer: { mode, messageId: focused.id, nonce: Date.now() } }));
        const composer = document.getElementById(COMPOSER_ID);
        if (composer) composer.focus();
        else focusById(COMPOSER_ID); // the thread is still loading: focus once it renders
        return;
      }
      case 'refund': {
        const open = targets.filter((r) => isUndecided(r, now));
        if (open.length > 0) flushSync(() => ui.set({ dialog: { kind: 'refund', messageIds: open.map((r) => r.id) } }));
        return;
      }
      case 'archive':
        if (targets.length === 0) return;
        if (ui.selection.ids.size > 0) ui.set({ dialog: { kind: 'bulkConfirm', action: 'archive', messageIds: ids } });
        else if (focused) {
          // Archived, it leaves the list: move on now, as a decision does (see the snooze dialog).
          if (!focused.archived) advanceAfterDecision(focused.id);
          void triage.one(focused, { kind: 'triage', patch: { archived: !focused.archived } });
        }
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
        // Rendered before this command returns, so the dialog's field has the next key.
        if (ids.length > 0) flushSync(() => ui.set({ dialog: { kind: command, messageIds: ids } }));
        return;
      case 'blockFan':
        // Confirmed first: the dialog says what happens to the fan's waiting messages.
        if (focused) flushSync(() => ui.set({ dialog: { kind: 'block', row: focused } }));
        return;
      case 'unblockFan':
        if (focused) void fanActions(focused, { kind: 'unblock', fanId: focused.fanId });
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
