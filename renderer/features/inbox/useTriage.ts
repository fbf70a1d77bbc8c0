import type { Action, InboxRow } from '../../../shared/contract';
import { BridgeCallError } from '../../../shared/contract';
import { useBulkAction, useSubmitAction, useUndo } from '../../data/queries';
import { useT } from '../../i18n/I18n';
import { useUi } from '../../state/ui';
import { announce } from '../../ui/announce';

/** Submitting actions for one message or many, with undo and plain-language results. */
export function useTriage() {
  const t = useT();
  const submit = useSubmitAction();
  const bulk = useBulkAction();
  const undoMutation = useUndo();

  const one = async (row: InboxRow, action: Action): Promise<boolean> => {
    const accountId = useUi.getState().accountId;
    if (!accountId) return false;
    try {
      const result = await submit.mutateAsync({ accountId, messageId: row.id, action });
      if (result.undoUntil !== null && result.undoUntil > Date.now()) {
        useUi
          .getState()
          .set({ undo: { actionId: result.actionId, undoUntil: result.undoUntil, what: action.kind, count: 1 } });
      }
      return true;
    } catch (error) {
      announce(t('errors.actionFailed', { reason: errorText(error) }), 'assertive');
      return false;
    }
  };

  const many = async (rows: readonly InboxRow[], action: Action): Promise<void> => {
    const accountId = useUi.getState().accountId;
    if (!accountId || rows.length === 0) return;
    const messageIds = rows.map((r) => r.id);
    try {
      const results: { messageId: string; ok: boolean; error: string | null }[] = [];
      // The contract takes up to 1000 ids a call.
      for (let i = 0; i < messageIds.length; i += 1000) {
        const chunk = messageIds.slice(i, i + 1000);
        const out = await bulk.mutateAsync({ accountId, messageIds: chunk, action });
        results.push(...out.results);
      }
      useUi
        .getState()
        .set({ bulkReport: { action: action.kind, results }, selection: { ids: new Set(), anchor: null } });
    } catch (error) {
      announce(t('errors.actionFailed', { reason: errorText(error) }), 'assertive');
    }
  };

  const run = (rows: readonly InboxRow[], action: Action) =>
    rows.length === 1 && rows[0] ? one(rows[0], action) : many(rows, action);

  const undo = async () => {
    const { accountId, undo: entry } = useUi.getState();
    if (!accountId || !entry) return;
    useUi.getState().set({ undo: null });
    try {
      const { undone } = await undoMutation.mutateAsync({ accountId, actionId: entry.actionId });
      announce(undone ? t('undo.done') : t('undo.tooLate'), 'polite');
    } catch (error) {
      announce(t('errors.actionFailed', { reason: errorText(error) }), 'assertive');
    }
  };

  return { one, many, run, undo };
}

export function errorText(error: unknown): string {
  if (error instanceof BridgeCallError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
