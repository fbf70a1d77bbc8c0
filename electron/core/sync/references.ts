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
  const known = storedMessages(store, items);
  return items.map((item) => {
    if (!('change' in item)) return item;
    const problem = referenceProblem(item.change, seen, (id) => known.has(id));
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

/**
 * Which of the messages the batch's replies, notes and triage refer to are stored: one
 * query per batch, not one per entry (a snapshot chunk is thousands of triage entries
 * about messages of earlier chunks).
 */
function storedMessages(store: AccountStore, items: PageItem[]): Set<string> {
  const ids = new Set<string>();
  for (const item of items) {
    if (!('change' in item)) continue;
    const { change } = item;
    if (change.kind === 'reply' || change.kind === 'note' || change.kind === 'triage') ids.add(change.data.messageId);
  }
  if (ids.size === 0) return ids;
  const found = stmt(store.db, 'SELECT id FROM messages WHERE id IN (SELECT value FROM json_each(?))')
    .pluck()
    .all(JSON.stringify([...ids])) as string[];
  return new Set(found);
}
