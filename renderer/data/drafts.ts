import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DraftItem } from '../../shared/contract';
import { getBridge } from '../bridge';
import { useUi } from '../state/ui';
import { keys } from './keys';

/** The drafts of one inbox, from the core's store (offline too); the core's events keep it fresh. */
export function useDrafts(accountId: string | null, inboxId: string | null) {
  return useQuery({
    enabled: accountId !== null && inboxId !== null,
    queryKey: keys.drafts(accountId ?? '', inboxId ?? ''),
    queryFn: () => getBridge().call('drafts.list', { accountId: accountId ?? '', inboxId: inboxId ?? '' }),
  });
}

/**
 * Approving is accepting the message with the draft's text (or an edit of it) as the reply:
 * one money action through the outbox, held for the undo window like any accept.
 */
export function useApproveDraft(accountId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ draft, reply }: { draft: DraftItem; reply: string }) =>
      getBridge().call('actions.submit', {
        accountId,
        messageId: draft.messageId,
        action: { kind: 'accept', reply },
      }),
    onSuccess: (result) => {
      if (result.undoUntil !== null) {
        useUi
          .getState()
          .set({ undo: { actionId: result.actionId, undoUntil: result.undoUntil, what: 'accept', count: 1 } });
      }
      void client.invalidateQueries({ queryKey: ['drafts', accountId] });
    },
  });
}

/** Sending back needs the platform (online): its answer reaches the author on the feed. */
export function useSendBackDraft(accountId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ draftId, comment }: { draftId: string; comment: string }) =>
      getBridge().call('drafts.sendBack', { accountId, draftId, comment }),
    onSettled: () => client.invalidateQueries({ queryKey: ['drafts', accountId] }),
  });
}
