import { splitFee } from '../../../shared/money';
import {
  type Change,
  type ChangesPage,
  ChangesPageSchema,
  MAX_MESSAGE_BODY,
  MAX_NOTE_BODY,
  MAX_REPLY_BODY,
} from '../../../shared/protocol';

/** A page the client will not apply: the cursor stays where it was and nothing changes. */
export class PageRejected extends Error {
  constructor(readonly reason: string) {
    super(`Change page rejected: ${reason}`);
    this.name = 'PageRejected';
  }
}

export interface PageExpectation {
  inboxId: string;
  after: number;
  limit: number;
}

/** Names, labels and other short strings: generous, but a name is not a novel. */
const MAX_SHORT_TEXT = 1_000;

function checkChange(change: Change, inboxId: string): string | null {
  switch (change.kind) {
    case 'message': {
      const m = change.data;
      if (m.inboxId !== inboxId) return `message ${m.id} belongs to another inbox`;
      if (m.body.length > MAX_MESSAGE_BODY) return `message ${m.id} body is too long`;
      if (m.fanName.length > MAX_SHORT_TEXT) return `message ${m.id} fan name is too long`;
      if (m.fee.currency !== m.price.currency || m.net.currency !== m.price.currency) {
        return `message ${m.id} mixes currencies`;
      }
      let split: ReturnType<typeof splitFee>;
      try {
        split = splitFee(m.price, m.feeBps);
      } catch {
        return `message ${m.id} price cannot be split`;
      }
      if (split.fee.minor !== m.fee.minor || split.net.minor !== m.net.minor) {
        return `message ${m.id} fee and net do not add up to its price`;
      }
      if (m.deadline < m.paidAt) return `message ${m.id} deadline is before its payment`;
      return null;
    }
    case 'reply':
      return change.data.body.length > MAX_REPLY_BODY ? `reply ${change.data.id} is too long` : null;
    case 'note':
      return change.data.body.length > MAX_NOTE_BODY ? `note ${change.data.id} is too long` : null;
    case 'fan':
      return change.data.displayName.length > MAX_SHORT_TEXT ? `fan ${change.data.id} name is too long` : null;
    case 'ledger': {
      const e = change.data;
      if (e.fee.currency !== e.gross.currency || e.net.currency !== e.gross.currency) {
        return `ledger event ${e.id} mixes currencies`;
      }
      return null;
    }
    case 'triage':
      return change.data.labels.length > 100 ? `triage of ${change.data.messageId} has too many labels` : null;
    default:
      return null;
  }
}

/**
 * Parses one page of the change feed with the shared schema, then checks what a schema
 * cannot: that it is the page we asked for (inbox, position, size), that its sequence
 * numbers only go up, that its cursor matches its content, and that every entity is
 * internally consistent. Any problem rejects the whole page.
 */
export function parseChangesPage(raw: unknown, expect: PageExpectation): ChangesPage {
  const parsed = ChangesPageSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PageRejected(`does not match the protocol (${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''})`);
  }
  const page = parsed.data;
  if (page.inboxId !== expect.inboxId) throw new PageRejected('it is for another inbox');
  if (page.changes.length > expect.limit) throw new PageRejected('it has more entries than asked for');
  let previous = expect.after;
  for (const change of page.changes) {
    if (change.seq <= previous) throw new PageRejected(`sequence ${change.seq} does not follow ${previous}`);
    previous = change.seq;
    const problem = checkChange(change, expect.inboxId);
    if (problem) throw new PageRejected(problem);
  }
  // The cursor is the last entry's seq; on the last page it may jump to the head past
  // entries this member may not see (ledger without view_earnings, audit for managers).
  if (page.nextAfter < previous || (page.hasMore && page.nextAfter !== previous)) {
    throw new PageRejected('its cursor does not match its last entry');
  }
  if (page.headSeq < page.nextAfter) throw new PageRejected('its head is behind its own entries');
  if (page.hasMore && page.changes.length === 0) throw new PageRejected('it says there is more but brings nothing');
  return page;
}
