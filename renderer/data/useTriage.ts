import { useQueryClient } from '@tanstack/react-query';
import type { Account, Action, InboxRow } from '../../shared/contract';
import { BridgeCallError } from '../../shared/contract';
import { getBridge } from '../bridge';
import { describeTriage } from '../features/inbox/describeTriage';
import { useLocale, useT } from '../i18n/I18n';
import { type BulkReportRow, markActionsUndone, type UndoEntry, useUi } from '../state/ui';
import { flash } from '../ui/flash';
import { queuedKey } from './bulkSummary';
import { platformNow } from './clock';
import { keys } from './keys';
import { inversePatch, membershipFor, optimisticUpdate } from './optimistic';
import { useBulkAction, useSubmitAction, useUndo } from './queries';

/** How long the toast offers to undo a triage change: the same 5 s as a money action's hold. */
const TRIAGE_UNDO_MS = 5_000;

/** Submitting actions for one message or many, with undo and plain-language results. */
export function useTriage() {
  const t = useT();
  const locale = useLocale();
  const queryClient = useQueryClient();
  const submit = useSubmitAction();
  const bulk = useBulkAction();
  const undoMutation = useUndo();

  /** Submits one action; failures are announced, never thrown. */
  const send = async (messageId: string, action: Action) => {
    const accountId = useUi.getState().accountId;
    if (!accountId) return null;
    try {
      return await submit.mutateAsync({ accountId, messageId, action });
    } catch (error) {
      // Shown, not only read out: a refused click must never look like nothing happened.
      flash(t('errors.actionFailed', { reason: errorText(error) }), 'refused');
      return null;
    }
  };

  const one = async (row: InboxRow, action: Action): Promise<boolean> => {
    // The registry's verdict before anything is drawn: the core and the platform would say the same.
    const accounts = queryClient.getQueryData<Account[]>(keys.accounts());
    if (accounts) {
      const verdict = optimisticUpdate(row, action, membershipFor(accounts, row.inboxId), platformNow());
      if (!verdict.ok) {
        flash(t('errors.actionFailed', { reason: t(`refusal.${verdict.refusal.code}`, verdict.refusal) }), 'refused');
        return false;
      }
    }
    const result = await send(row.id, action);
    if (!result) return false;
    if (result.undoUntil !== null && result.undoUntil > Date.now() && action.kind !== 'draft') {
      useUi
        .getState()
        .set({ undo: { actionId: result.actionId, undoUntil: result.undoUntil, what: action.kind, count: 1 } });
    } else if (action.kind === 'triage') {
      const patch = inversePatch(row, action.patch);
      const text = describeTriage(t, action.patch, Date.now(), locale);
      // Marking read (what opening a message does) makes no toast.
      if (Object.keys(patch).length > 0 && text) {
        useUi.getState().set({
          undo: {
            actionId: result.actionId,
            undoUntil: Date.now() + TRIAGE_UNDO_MS,
            what: 'triage',
            text,
            count: 1,
            inverse: { messageId: row.id, action: { kind: 'triage', patch } },
          },
        });
      }
    }
    return true;
  };

  const many = async (rows: readonly InboxRow[], action: Action): Promise<void> => {
    const accountId = useUi.getState().accountId;
    if (!accountId || rows.length === 0) return;
    const messageIds = rows.map((r) => r.id);
    try {
      const results: BulkReportRow[] = [];
      let undoUntil: number | null = null;
      // The contract takes up to 1000 ids a call.
      for (let i = 0; i < messageIds.length; i += 1000) {
        const chunk = messageIds.slice(i, i + 1000);
        const out = await bulk.mutateAsync({ accountId, messageIds: chunk, action });
        for (const result of out.results) {
          const row = rows.find((r) => r.id === result.messageId);
          results.push({ ...result, fanName: row?.fanName ?? '', price: row?.price ?? { minor: 0, currency: 'USD' } });
        }
        // Each chunk opens its own window; the batch can be undone until the first one closes.
        if (out.undoUntil !== null) undoUntil = Math.min(undoUntil ?? out.undoUntil, out.undoUntil);
      }
      const actionIds = results.flatMap((r) => (r.actionId ? [r.actionId] : []));
      const held = undoUntil !== null && undoUntil > Date.now() && actionIds.length > 0;
      const what: UndoEntry['what'] =
        action.kind === 'accept' || action.kind === 'refund' || action.kind === 'reply' || action.kind === 'note'
          ? action.kind
          : 'triage';
      useUi.getState().set({
        bulkReport: { action: action.kind, rows: results, settled: {}, undone: [] },
        selection: { ids: new Set(), anchor: null },
        // The same way back as a single action, for the whole batch, in the same window.
        ...(held
          ? {
              undo: {
                actionId: actionIds[0] as string,
                actionIds,
                undoUntil: undoUntil as number,
                what,
                count: actionIds.length,
                text: t(`bulk.queued.${queuedKey(action.kind)}`, { count: actionIds.length }),
              },
            }
          : {}),
      });
    } catch (error) {
      flash(t('errors.actionFailed', { reason: errorText(error) }), 'refused');
    }
  };

  const run = (rows: readonly InboxRow[], action: Action) =>
    rows.length === 1 && rows[0] ? one(rows[0], action) : many(rows, action);

  const undo = async () => {
    const { accountId, undo: entry } = useUi.getState();
    if (!accountId || !entry) return;
    useUi.getState().set({ undo: null });
    if (entry.inverse) {
      const { messageId, action } = entry.inverse;
      if (await send(messageId, action)) flash(t('undo.done'), 'done');
      return;
    }
    if (entry.actionIds) {
      try {
        const { undone } = await getBridge().call('actions.undoMany', { accountId, actionIds: entry.actionIds });
        markActionsUndone(undone);
        const missed = entry.actionIds.length - undone.length;
        flash(t('undo.doneMany', { count: undone.length, missed }), undone.length > 0 ? 'done' : 'refused');
      } catch (error) {
        flash(t('errors.actionFailed', { reason: errorText(error) }), 'refused');
      }
      return;
    }
    try {
      const { undone } = await undoMutation.mutateAsync({ accountId, actionId: entry.actionId });
      flash(undone ? t('undo.done') : t('undo.tooLate'), undone ? 'done' : 'refused');
    } catch (error) {
      flash(t('errors.actionFailed', { reason: errorText(error) }), 'refused');
    }
  };

  return { one, many, run, undo };
}

export function errorText(error: unknown): string {
  if (error instanceof BridgeCallError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
