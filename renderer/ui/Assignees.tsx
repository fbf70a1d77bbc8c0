import type { InboxRow } from '../../shared/contract';
import { useTeam } from '../data/team';
import { useUi } from '../state/ui';
import { UntrustedInline } from './SafeText';

/** The other active members of the rows' inbox, as choices in the assign dialog. */
export function TeamAssignees({
  rows,
  exclude,
  onAssign,
}: {
  rows: readonly InboxRow[];
  exclude: string | null;
  onAssign(userId: string): void;
}) {
  const accountId = useUi((s) => s.accountId);
  const inboxes = new Set(rows.map((r) => r.inboxId));
  // Messages from several inboxes have no one team to choose from.
  const inboxId = inboxes.size === 1 ? ([...inboxes][0] ?? null) : null;
  const team = useTeam(accountId ?? '', inboxId ?? '');
  if (!accountId || !inboxId) return null;
  const others = (team.data?.members ?? []).filter((m) => m.active && m.userId !== exclude);
  return (
    <>
      {others.map((m) => (
        <button key={m.userId} type="button" onClick={() => onAssign(m.userId)}>
          <UntrustedInline text={m.displayName} />
        </button>
      ))}
    </>
  );
}
