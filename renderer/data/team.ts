import { type QueryClient, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { Account, AuditCategory, CallInput } from '../../shared/contract';
import { getBridge } from '../bridge';

/** Query keys of the team screens; each starts with its kind and the account, like renderer/data/keys. */
export const teamKeys = {
  settings: (accountId: string, inboxId: string) => ['inbox-settings', accountId, inboxId] as const,
  team: (accountId: string, inboxId: string) => ['team', accountId, inboxId] as const,
  invitations: (accountId: string) => ['my-invitations', accountId] as const,
  overview: (accountId: string) => ['inbox-overview', accountId] as const,
  audit: (accountId: string, filter: unknown) => ['audit', accountId, filter] as const,
  presence: (accountId: string, inboxId: string) => ['presence', accountId, inboxId] as const,
};

export interface AuditFilterState {
  category: AuditCategory | '';
  actorId: string;
  from: string;
  to: string;
}

export function useInboxSettings(accountId: string, inboxId: string) {
  return useQuery({
    queryKey: teamKeys.settings(accountId, inboxId),
    queryFn: () => getBridge().call('team.settings', { accountId, inboxId }),
  });
}

export function useTeam(accountId: string, inboxId: string) {
  return useQuery({
    queryKey: teamKeys.team(accountId, inboxId),
    queryFn: () => getBridge().call('team.members', { accountId, inboxId }),
  });
}

export function useMyInvitations(accountId: string) {
  return useQuery({
    queryKey: teamKeys.invitations(accountId),
    queryFn: () => getBridge().call('team.myInvitations', { accountId }),
    retry: false,
    // Invitations are the platform's, not the synced store's: no event announces a new one,
    // so look again when the person comes back to the app (at most once a minute).
    staleTime: 60_000,
    refetchOnWindowFocus: true,
  });
}

export function useInboxOverview(accountId: string | null) {
  return useQuery({
    enabled: accountId !== null,
    queryKey: teamKeys.overview(accountId ?? ''),
    queryFn: () => getBridge().call('team.inboxes', { accountId: accountId ?? '' }),
  });
}

/** Local-day dates ("2026-03-01") to the instants the core filters by. */
export function auditInput(accountId: string, inboxId: string, filter: AuditFilterState): CallInput<'team.audit'> {
  const day = (text: string, plusDays = 0) => {
    const [y, m, d] = text.split('-').map(Number);
    return y && m && d ? new Date(y, m - 1, d + plusDays).getTime() : undefined;
  };
  const from = filter.from ? day(filter.from) : undefined;
  const to = filter.to ? day(filter.to, 1) : undefined;
  return {
    accountId,
    inboxId,
    ...(filter.category ? { category: filter.category } : {}),
    ...(filter.actorId ? { actorId: filter.actorId } : {}),
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
  };
}

export function usePresence(accountId: string | null, inboxId: string | null) {
  return useQuery({
    enabled: accountId !== null && inboxId !== null,
    queryKey: teamKeys.presence(accountId ?? '', inboxId ?? ''),
    queryFn: () => getBridge().call('presence.list', { accountId: accountId ?? '', inboxId: inboxId ?? '' }),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** Keeps the team screens current from the core's events (the renderer never polls). */
export function subscribeToTeamEvents(client: QueryClient): () => void {
  const bridge = getBridge();
  const off = [
    bridge.on('entities.changed', (event) => {
      const { accountId, kinds } = event;
      const has = (k: (typeof kinds)[number]) => kinds.includes(k);
      if (has('settings') || has('outbox')) void client.invalidateQueries({ queryKey: ['inbox-settings', accountId] });
      if (has('team')) {
        void client.invalidateQueries({ queryKey: ['team', accountId] });
        void client.invalidateQueries({ queryKey: ['audit', accountId] });
      }
      if (has('message') || has('counts') || has('accounts')) {
        void client.invalidateQueries({ queryKey: ['inbox-overview', accountId] });
      }
      if (has('accounts')) void client.invalidateQueries({ queryKey: ['my-invitations', accountId] });
    }),
    bridge.on('presence.changed', (event) => {
      client.setQueryData(teamKeys.presence(event.accountId, event.inboxId), event.people);
    }),
  ];
  return () => {
    for (const unsubscribe of off) unsubscribe();
  };
}

export function useTeamEvents(): void {
  const client = useQueryClient();
  useEffect(() => subscribeToTeamEvents(client), [client]);
}

/** The inbox the team screens are about: the one shown, else the only one, else the first I own. */
export function targetInbox(account: Account | null, shown: string | null): Account['inboxes'][number] | null {
  if (!account) return null;
  const inboxes = account.inboxes;
  return (
    inboxes.find((i) => i.inboxId === shown) ??
    (inboxes.length === 1 ? (inboxes[0] ?? null) : null) ??
    inboxes.find((i) => i.role === 'owner') ??
    inboxes[0] ??
    null
  );
}
