import type { ENTITY_KINDS } from '../../shared/contract';

/**
 * Query keys, one place. Every key starts with its kind and the account, so an
 * `entities.changed` event maps to a prefix to invalidate.
 */
export type EntityKind = (typeof ENTITY_KINDS)[number];

export const keys = {
  accounts: () => ['accounts'] as const,
  appInfo: () => ['app-info'] as const,
  inbox: (accountId: string, inboxId: string | null, view: string, label: string | null, order: string) =>
    ['inbox', accountId, inboxId, view, label, order] as const,
  search: (accountId: string, filters: unknown) => ['search', accountId, filters] as const,
  counts: (accountId: string, inboxId: string | null) => ['counts', accountId, inboxId] as const,
  thread: (accountId: string, messageId: string) => ['thread', accountId, messageId] as const,
  fanHistory: (accountId: string, fanId: string) => ['fan-history', accountId, fanId] as const,
  outbox: (accountId: string) => ['outbox', accountId] as const,
  notices: (accountId: string) => ['notices', accountId] as const,
  sync: (accountId: string) => ['sync', accountId] as const,
  drafts: (accountId: string, inboxId: string) => ['drafts', accountId, inboxId] as const,
};

export type QueryPrefix = readonly unknown[];

/** Which cached queries an `entities.changed` event makes stale. */
export function prefixesFor(
  accountId: string,
  kinds: readonly EntityKind[],
  messageIds?: readonly string[],
): QueryPrefix[] {
  const prefixes: QueryPrefix[] = [];
  const add = (prefix: QueryPrefix) => {
    if (!prefixes.some((p) => p.length === prefix.length && p.every((v, i) => v === prefix[i]))) prefixes.push(prefix);
  };
  for (const kind of kinds) {
    switch (kind) {
      case 'message':
        add(['inbox', accountId]);
        add(['search', accountId]);
        add(['counts', accountId]);
        add(['fan-history', accountId]);
        add(['drafts', accountId]);
        if (messageIds && messageIds.length > 0) for (const id of messageIds) add(['thread', accountId, id]);
        else add(['thread', accountId]);
        break;
      case 'thread':
        if (messageIds && messageIds.length > 0) for (const id of messageIds) add(['thread', accountId, id]);
        else add(['thread', accountId]);
        break;
      case 'counts':
        add(['counts', accountId]);
        break;
      case 'outbox':
        add(['outbox', accountId]);
        add(['sync', accountId]);
        // A draft written offline is listed from the outbox; an approval waiting there hides it.
        add(['drafts', accountId]);
        break;
      case 'notices':
        add(['notices', accountId]);
        break;
      case 'accounts':
        add(['accounts']);
        break;
      case 'drafts':
        add(['drafts', accountId]);
        break;
      default:
        // earnings, team and settings are kept fresh by their own hooks: data/team.ts
        // listens for the whole session; the earnings screen listens while open and re-reads on opening.
        break;
    }
  }
  return prefixes;
}
