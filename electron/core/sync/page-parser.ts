import { z } from 'zod';
import { splitFee } from '../../../shared/money';
import {
  type Change,
  type ChangeKind,
  ChangeSchema,
  type ChangesPage,
  ChangesPageSchema,
} from '../../../shared/protocol';
import type { SetAsideEntry } from '../store/set-aside';
import { compileFastParse, NOT_SURE } from './fast-parse';

export type { SetAsideEntry };

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

/**
 * What a schema cannot check. Every length and count limit (bodies, names, labels) is in
 * the shared entity schemas (shared/protocol/limits.ts), the same ones the platform
 * enforces on write: what the platform stores, a device applies.
 */
function checkChange(change: Change, inboxId: string): string | null {
  switch (change.kind) {
    case 'message': {
      const m = change.data;
      if (m.inboxId !== inboxId) return `message ${m.id} belongs to another inbox`;
      if (m.deadline < m.paidAt) return `message ${m.id} deadline is before its payment`;
      // A member who may not view earnings gets none of the three; anyone else all three.
      if (m.feeBps === null && m.fee === null && m.net === null) return null;
      if (m.feeBps === null || m.fee === null || m.net === null) {
        return `message ${m.id} has part of its fee split hidden`;
      }
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
      return null;
    }
    case 'ledger': {
      const e = change.data;
      if (e.fee.currency !== e.gross.currency || e.net.currency !== e.gross.currency) {
        return `ledger event ${e.id} mixes currencies`;
      }
      return null;
    }
    default:
      return null;
  }
}

/** What a build of the app applies; an older build knew fewer kinds (tests stand in for one). */
export const FEED_KINDS: readonly ChangeKind[] = ChangeSchema.options.map((o) => o.shape.kind.value);

/** A page's entries in feed order: each one either readable or set aside. */
export type PageItem = { change: Change } | { setAside: SetAsideEntry };

export interface ReadPage {
  page: ChangesPage;
  items: PageItem[];
}

const EnvelopeSchema = ChangesPageSchema.extend({ changes: z.array(z.unknown()) });

function seqOf(raw: unknown): number | null {
  const seq = (raw as { seq?: unknown } | null)?.seq;
  return typeof seq === 'number' && Number.isSafeInteger(seq) && seq > 0 ? seq : null;
}

function rawText(raw: unknown): string {
  try {
    return JSON.stringify(raw) ?? 'null';
  } catch {
    return 'null';
  }
}

/** ChangeSchema read on its fast path (fast-parse.ts): zod itself wherever that is not sure. */
const fastChange = compileFastParse(ChangeSchema);

/** One entry on its own: readable and consistent, or the reason it is not. */
export function readEntry(
  raw: unknown,
  inboxId: string,
  knownKinds: readonly ChangeKind[] = FEED_KINDS,
): { change: Change } | { problem: string } {
  let change = fastChange(raw);
  if (change === NOT_SURE) {
    const parsed = ChangeSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return { problem: `does not match the protocol (${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''})` };
    }
    change = parsed.data;
  }
  if (!knownKinds.includes(change.kind)) return { problem: `this version cannot apply ${change.kind} entries` };
  const problem = checkChange(change, inboxId);
  return problem ? { problem } : { change };
}

/**
 * Parses one page of the change feed. The envelope must be the page we asked for
 * (inbox, position, size, a cursor that matches its entries); a page that is not is
 * rejected whole, because nothing in it can be placed. Each entry is then read on its
 * own: one that does not parse, is not internally consistent, or is out of order is set
 * aside, and the entries after it are applied as usual.
 */
export function parseChangesPage(
  raw: unknown,
  expect: PageExpectation,
  knownKinds: readonly ChangeKind[] = FEED_KINDS,
): ReadPage {
  const parsed = EnvelopeSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PageRejected(`does not match the protocol (${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''})`);
  }
  const envelope = parsed.data;
  if (envelope.inboxId !== expect.inboxId) throw new PageRejected('it is for another inbox');
  if (envelope.changes.length > expect.limit) throw new PageRejected('it has more entries than asked for');
  let previous = expect.after;
  const items: PageItem[] = [];
  const changes: Change[] = [];
  for (const entry of envelope.changes) {
    const seq = seqOf(entry);
    const setAside = (reason: string) => items.push({ setAside: { seq, raw: rawText(entry), reason } });
    if (seq !== null && seq <= previous) {
      setAside(`sequence ${seq} does not follow ${previous}`);
      continue;
    }
    if (seq !== null) previous = seq;
    const read = readEntry(entry, expect.inboxId, knownKinds);
    if ('problem' in read) {
      setAside(read.problem);
      continue;
    }
    items.push(read);
    changes.push(read.change);
  }
  // The cursor is the last entry's seq; on the last page it may jump to the head past
  // entries this member may not see (ledger without view_earnings, audit for managers).
  // When the last entry's own seq is unreadable, the cursor can only be checked as a floor.
  const lastSeq = envelope.changes.length > 0 ? seqOf(envelope.changes[envelope.changes.length - 1]) : previous;
  if (envelope.nextAfter < previous) throw new PageRejected('its cursor does not match its last entry');
  if (envelope.hasMore && lastSeq !== null && envelope.nextAfter !== lastSeq) {
    throw new PageRejected('its cursor does not match its last entry');
  }
  if (envelope.headSeq < envelope.nextAfter) throw new PageRejected('its head is behind its own entries');
  if (envelope.hasMore && envelope.changes.length === 0)
    throw new PageRejected('it says there is more but brings nothing');
  return { page: { ...envelope, changes }, items };
}
