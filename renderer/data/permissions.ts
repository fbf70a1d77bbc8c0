import { ALL_PERMISSIONS, mayAct } from '../../shared/actions';
import type { Account } from '../../shared/contract';
import type { Permission } from '../../shared/protocol';
import { membershipFor } from './optimistic';

/**
 * What this person may do in an inbox, by the registry's one predicate (shared/actions):
 * the owner everything, a manager what the owner granted. An inbox not (yet) in the
 * accounts list grants nothing, so nothing is offered that the platform would refuse.
 */
export function permissionsIn(accounts: readonly Account[], inboxId: string): readonly Permission[] {
  const membership = membershipFor(accounts, inboxId);
  return ALL_PERMISSIONS.filter((permission) => mayAct(membership, permission));
}

/**
 * Whether money (earnings, fees, held totals, fan lifetime) may be shown for an inbox, or
 * for "all inboxes" (null): only where every inbox in view grants "view earnings".
 */
export function seesMoney(accounts: readonly Account[], inboxId: string | null, accountId: string | null): boolean {
  const inboxes =
    inboxId !== null ? [inboxId] : (accounts.find((a) => a.id === accountId)?.inboxes.map((i) => i.inboxId) ?? []);
  return inboxes.length > 0 && inboxes.every((id) => permissionsIn(accounts, id).includes('view_earnings'));
}
