import { useT } from '../i18n/I18n';
import { useUi } from '../state/ui';
import { untrustedPlain } from '../ui/SafeText';
import { useAccounts } from './queries';
import { useTeam } from './team';

/**
 * Who did it, in one rule for every decision and reply (issue 17): the creator by name
 * ("Nour"), a team member for the creator ("Sara for Nour"), or nobody — the platform
 * refunded it automatically when the deadline passed. Pure: the phrasing is the catalog's
 * `attribution.*`, the names are passed in.
 */
export interface Person {
  id: string;
  name: string;
}

/** The inbox's owner, as far as this device knows: the id from the team list when it is there, the name always. */
export interface Owner {
  id: string | null;
  name: string;
}

export type Attribution =
  | { key: 'attribution.self'; values: { name: string } }
  | { key: 'attribution.for'; values: { name: string; owner: string } }
  | { key: 'attribution.automatic'; values: Record<string, never> };

export function attributionOf(actor: Person | null, owner: Owner): Attribution {
  if (!actor) return { key: 'attribution.automatic', values: {} };
  const isOwner = owner.id !== null ? actor.id === owner.id : actor.name === owner.name;
  return isOwner
    ? { key: 'attribution.self', values: { name: actor.name } }
    : { key: 'attribution.for', values: { name: actor.name, owner: owner.name } };
}

/** The inbox's owner for attribution: from the team list when read, else the creator's name on the account. */
function useOwner(inboxId: string): Owner {
  const accountId = useUi((s) => s.accountId) ?? '';
  const accounts = useAccounts().data ?? [];
  const creatorName = accounts.flatMap((a) => a.inboxes).find((i) => i.inboxId === inboxId)?.creatorName ?? '';
  const owner = useTeam(accountId, inboxId).data?.members.find((m) => m.role === 'owner');
  return owner ? { id: owner.userId, name: owner.displayName } : { id: null, name: creatorName };
}

/** "Nour", "Sara for Nour", or "refunded automatically": the one wording rule (data/attribution). */
export function useAttribution(inboxId: string): (actor: Person | null) => string {
  const t = useT();
  const owner = useOwner(inboxId);
  return (actor) => {
    const a = attributionOf(actor, owner);
    return t(a.key, {
      ...Object.fromEntries(Object.entries(a.values).map(([k, v]) => [k, untrustedPlain(v)])),
    });
  };
}
