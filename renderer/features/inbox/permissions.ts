import type { Account } from '../../../shared/contract';

export type InboxPermission = 'accept' | 'refund' | 'reply' | 'view_earnings';

const OWNER: readonly InboxPermission[] = ['accept', 'refund', 'reply', 'view_earnings'];

/**
 * What this person may do in an inbox: the owner everything, a manager what the owner
 * granted. An inbox not (yet) in the accounts list grants nothing, so nothing is offered
 * that the platform would refuse.
 */
export function permissionsIn(accounts: readonly Account[], inboxId: string): readonly string[] {
  const inbox = accounts.flatMap((a) => a.inboxes).find((i) => i.inboxId === inboxId);
  if (!inbox) return [];
  return inbox.role === 'owner' ? OWNER : inbox.permissions;
}
