import type { Change } from '../../../shared/protocol';
import type { AccountStore } from '../store/account-store';
import { stmt } from '../store/statements';
import type { PageItem } from './page-parser';

/**
 * Every reply, note and triage entry must be about a message we have or that comes
 * earlier in the same batch (a feed page, a snapshot chunk); one that is not (or whose
 * message was itself set aside) is set aside, checked before any of the batch is applied.
 */
export function checkReferences(store: AccountStore, items: PageItem[]): PageItem[] {
  const seen = new Set<string>();
  const known = stmt(store.db, 'SELECT 1 FROM messages WHERE id = ?').pluck();
  return items.map((item) => {
    if (!('change' in item)) return item;
    const problem = referenceProblem(item.change, seen, (id) => known.get(id) !== undefined);
    return problem ? { setAside: { seq: item.change.seq, raw: JSON.stringify(item.change), reason: problem } } : item;
  });
}

export function referenceProblem(change: Change, seen: Set<string>, known: (id: string) => boolean): string | null {
  if (change.kind === 'message') seen.add(change.data.id);
  else if (change.kind === 'reply' || change.kind === 'note' || change.kind === 'triage') {
    const id = change.data.messageId;
    if (!seen.has(id) && !known(id)) return `its ${change.kind} entry ${change.seq} is about a message it never sent`;
    seen.add(id);
  }
  return null;
}
