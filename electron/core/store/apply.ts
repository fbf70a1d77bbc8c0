import type Database from 'better-sqlite3';
import type { ENTITY_KINDS } from '../../../shared/contract';
import type { Change, ChangesPage, InboxSettings, LedgerEvent } from '../../../shared/protocol';
import { deferFtsIndexing } from './fts';
import { claimSearchKey, homeSearchKey, isSearchKeyTaken } from './search-key';
import { type SetAsideEntry, storeSetAside } from './set-aside';
import { stmt } from './statements';
import { storeServerTriage } from './triage';

export type EntityKind = (typeof ENTITY_KINDS)[number];

/** What one applied page touched, for the `entities.changed` event. */
export interface AppliedChanges {
  inboxId: string;
  kinds: Set<EntityKind>;
  messageIds: Set<string>;
  cursor: number;
  headSeq: number;
  /** Entries of this page set aside (unreadable, or contradicting our data). */
  setAside: number;
}

const MESSAGE_UPSERT = `
  INSERT INTO messages (id, inbox_id, fan_id, fan_name, body, currency, price_minor, fee_bps, fee_minor, net_minor,
    status, paid_at, deadline, decided_at, decided_by_id, decided_by_name, refund_reason, note_to_fan, free, seq, search_key)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (id) DO UPDATE SET fan_name = excluded.fan_name, status = excluded.status,
    -- the newest entry says what this member may see: the fee split, or (without view_earnings) none
    fee_bps = excluded.fee_bps, fee_minor = excluded.fee_minor, net_minor = excluded.net_minor,
    decided_at = excluded.decided_at, decided_by_id = excluded.decided_by_id, decided_by_name = excluded.decided_by_name,
    refund_reason = excluded.refund_reason, note_to_fan = excluded.note_to_fan, seq = excluded.seq
  WHERE excluded.seq > messages.seq
    -- a decided message never goes back to pending (a stale entry read after a newer answer)
    AND NOT (messages.status <> 'pending' AND excluded.status = 'pending')`;

type MessageEntity = Extract<Change, { kind: 'message' }>['data'];

/** Writes a message as the platform sent it; `seq` 0 for a push answer (the feed entry follows). */
export function upsertMessage(db: Database.Database, m: MessageEntity, seq: number): void {
  const write = (searchKey: number) =>
    // Positional parameters: this runs once per message of a bootstrap.
    stmt(db, MESSAGE_UPSERT).run(
      m.id,
      m.inboxId,
      m.fanId,
      m.fanName,
      m.body,
      m.price.currency,
      m.price.minor,
      m.feeBps,
      m.fee?.minor ?? null,
      m.net?.minor ?? null,
      m.status,
      m.paidAt,
      m.deadline,
      m.decidedAt,
      m.decidedBy?.id ?? null,
      m.decidedBy?.name ?? null,
      m.refundReason,
      m.noteToFan,
      m.free ? 1 : 0,
      seq,
      searchKey,
    );
  let written: Database.RunResult;
  try {
    written = write(homeSearchKey(m.paidAt, m.id));
  } catch (error) {
    // Another message of the same millisecond holds the home slot (rare): place it in order.
    if (!isSearchKeyTaken(error)) throw error;
    written = write(claimSearchKey(db, m.id, m.paidAt));
  }
  // An entry no newer than ours still brings the fee split we were not sent before the
  // member could view earnings (a snapshot re-read after the permission was granted).
  if (written.changes === 0 && m.fee !== null && m.net !== null && m.feeBps !== null) {
    stmt(db, 'UPDATE messages SET fee_bps = ?, fee_minor = ?, net_minor = ? WHERE id = ? AND fee_minor IS NULL').run(
      m.feeBps,
      m.fee.minor,
      m.net.minor,
      m.id,
    );
  }
}

// Positional parameters on the statements a bootstrap runs per entry: no object per row.
const REPLY_UPSERT = `
  INSERT INTO replies (id, message_id, author_id, author_name, body, created_at, seq)
  VALUES (?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (id) DO UPDATE SET body = excluded.body, author_name = excluded.author_name, seq = excluded.seq
  WHERE excluded.seq > replies.seq`;
const NOTE_UPSERT = REPLY_UPSERT.replaceAll('replies', 'notes');
// A bootstrap brings about two ledger entries per message.
const LEDGER_INSERT = `
  INSERT INTO ledger_events (id, inbox_id, kind, message_id, fan_id, currency, gross_minor, fee_minor, net_minor,
    actor_id, at, seq)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (id) DO NOTHING`;

/** Stores a ledger event once (the ledger is append-only: a repeat changes nothing). */
export function insertLedgerEvent(db: Database.Database, inboxId: string, e: LedgerEvent, seq: number): void {
  stmt(db, LEDGER_INSERT).run(
    e.id,
    inboxId,
    e.kind,
    e.messageId,
    e.fanId,
    e.gross.currency,
    e.gross.minor,
    e.fee.minor,
    e.net.minor,
    e.actorId,
    e.at,
    seq,
  );
}

export function upsertReply(db: Database.Database, r: Extract<Change, { kind: 'reply' }>['data'], seq: number): void {
  stmt(db, REPLY_UPSERT).run(r.id, r.messageId, r.authorId, r.authorName, r.body, r.createdAt, seq);
}
export function upsertNote(db: Database.Database, n: Extract<Change, { kind: 'note' }>['data'], seq: number): void {
  stmt(db, NOTE_UPSERT).run(n.id, n.messageId, n.authorId, n.authorName, n.body, n.createdAt, seq);
}

const DRAFT_UPSERT = `
  INSERT INTO drafts (id, inbox_id, message_id, author_id, author_name, body, status, comment, created_at,
    decided_at, decided_by_id, decided_by_name, seq)
  VALUES (@id, @inboxId, @messageId, @authorId, @authorName, @body, @status, @comment, @createdAt,
    @decidedAt, @decidedById, @decidedByName, @seq)
  ON CONFLICT (id) DO UPDATE SET author_name = excluded.author_name, body = excluded.body, status = excluded.status,
    comment = excluded.comment, decided_at = excluded.decided_at, decided_by_id = excluded.decided_by_id,
    decided_by_name = excluded.decided_by_name, seq = excluded.seq
  WHERE excluded.seq > drafts.seq`;

/** Writes a draft as the platform sent it; the newest entry of a draft wins (highest seq). */
export function upsertDraft(db: Database.Database, d: Extract<Change, { kind: 'draft' }>['data'], seq: number): void {
  stmt(db, DRAFT_UPSERT).run({
    id: d.id,
    inboxId: d.inboxId,
    messageId: d.messageId,
    authorId: d.authorId,
    authorName: d.authorName,
    body: d.body,
    status: d.status,
    comment: d.comment,
    createdAt: d.createdAt,
    decidedAt: d.decidedAt,
    decidedById: d.decidedBy?.id ?? null,
    decidedByName: d.decidedBy?.name ?? null,
    seq,
  });
}

/** An inbox's settings as of feed position `seq`, unless what is stored is newer. */
export function storeSettingsAt(db: Database.Database, inboxId: string, settings: InboxSettings, seq: number): void {
  stmt(
    db,
    `INSERT INTO settings (inbox_id, data, seq) VALUES (?, ?, ?)
     ON CONFLICT (inbox_id) DO UPDATE SET data = excluded.data, seq = excluded.seq WHERE excluded.seq > settings.seq`,
  ).run(inboxId, JSON.stringify(settings), seq);
}

export function applyOne(db: Database.Database, inboxId: string, change: Change, out: AppliedChanges): void {
  const { seq } = change;
  switch (change.kind) {
    case 'message':
      upsertMessage(db, change.data, seq);
      out.kinds.add('message').add('counts').add('thread');
      out.messageIds.add(change.data.id);
      return;
    case 'reply':
      upsertReply(db, change.data, seq);
      out.kinds.add('thread');
      out.messageIds.add(change.data.messageId);
      return;
    case 'note':
      upsertNote(db, change.data, seq);
      out.kinds.add('thread');
      out.messageIds.add(change.data.messageId);
      return;
    case 'triage':
      storeServerTriage(db, change.data, seq);
      out.kinds.add('message').add('counts').add('thread');
      out.messageIds.add(change.data.messageId);
      return;
    case 'fan':
      stmt(
        db,
        `INSERT INTO fans (inbox_id, id, display_name, blocked, terms, seq) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (inbox_id, id) DO UPDATE SET display_name = excluded.display_name, blocked = excluded.blocked,
           terms = excluded.terms, seq = excluded.seq
         WHERE excluded.seq > fans.seq`,
      ).run(
        inboxId,
        change.data.id,
        change.data.displayName,
        change.data.blocked ? 1 : 0,
        change.data.terms ? JSON.stringify(change.data.terms) : null,
        seq,
      );
      out.kinds.add('thread');
      return;
    case 'ledger':
      insertLedgerEvent(db, inboxId, change.data, seq);
      out.kinds.add('earnings');
      return;
    case 'settings':
      storeSettingsAt(db, inboxId, change.data, seq);
      out.kinds.add('settings');
      return;
    case 'member': {
      const m = change.data;
      stmt(
        db,
        `INSERT INTO members (inbox_id, user_id, display_name, email, role, permissions, active, seq)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (inbox_id, user_id) DO UPDATE SET display_name = excluded.display_name, email = excluded.email,
           role = excluded.role, permissions = excluded.permissions, active = excluded.active, seq = excluded.seq
         WHERE excluded.seq > members.seq`,
      ).run(inboxId, m.userId, m.displayName, m.email, m.role, JSON.stringify(m.permissions), m.active ? 1 : 0, seq);
      out.kinds.add('team');
      return;
    }
    case 'draft':
      upsertDraft(db, change.data, seq);
      out.kinds.add('drafts');
      out.messageIds.add(change.data.messageId);
      return;
    case 'audit': {
      const a = change.data;
      stmt(
        db,
        `INSERT INTO audit (id, inbox_id, actor_id, actor_name, device_name, action, subject_id, details, at, seq)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
      ).run(
        a.id,
        inboxId,
        a.actorId,
        a.actorName,
        a.deviceName,
        a.action,
        a.subjectId,
        JSON.stringify(a.details),
        a.at,
        seq,
      );
      out.kinds.add('team');
      return;
    }
  }
}

export interface SyncCursor {
  cursor: number;
  headSeq: number;
  bootstrapped: boolean;
  lastSyncAt: number | null;
}

export function readCursor(db: Database.Database, inboxId: string): SyncCursor {
  const row = stmt(db, 'SELECT cursor, head_seq, bootstrapped, last_sync_at FROM sync_state WHERE inbox_id = ?').get(
    inboxId,
  ) as { cursor: number; head_seq: number; bootstrapped: number; last_sync_at: number | null } | undefined;
  return row
    ? { cursor: row.cursor, headSeq: row.head_seq, bootstrapped: row.bootstrapped === 1, lastSyncAt: row.last_sync_at }
    : { cursor: 0, headSeq: 0, bootstrapped: false, lastSyncAt: null };
}

/** How an applied page records the entries it could not apply (see `set-aside.ts`). */
export interface SetAsideOptions {
  entries: readonly SetAsideEntry[];
  appVersion: string;
  /**
   * Each entry in its own savepoint: one that contradicts our data (a constraint fails)
   * is set aside instead of failing the page. Slower, so only after a page failed whole.
   */
  oneByOne?: boolean;
}

/**
 * Applies one validated page and moves the cursor, all in one transaction: a crash
 * leaves either the whole page with its cursor or neither. A page that does not start
 * at the stored cursor (another pull got there first) changes nothing.
 * `deferIndex` (bootstrap) drops the FTS triggers so rows go in bare (fts.ts).
 * Entries set aside are stored in the same transaction, so none is lost past the cursor.
 */
export function applyPage(
  db: Database.Database,
  page: ChangesPage,
  expectedAfter: number,
  now: number,
  deferIndex = false,
  setAside: SetAsideOptions = { entries: [], appVersion: '' },
): AppliedChanges | null {
  return db.transaction(() => {
    const current = readCursor(db, page.inboxId);
    if (current.cursor !== expectedAfter) return null;
    if (deferIndex) deferFtsIndexing(db);
    const out: AppliedChanges = {
      inboxId: page.inboxId,
      kinds: new Set(),
      messageIds: new Set(),
      cursor: page.nextAfter,
      headSeq: page.headSeq,
      setAside: 0,
    };
    const aside = [...setAside.entries];
    for (const change of page.changes) applyOrSetAside(db, page.inboxId, change, out, setAside.oneByOne, aside);
    out.setAside = storeSetAside(db, page.inboxId, aside, setAside.appVersion, now);
    if (out.setAside > 0) out.kinds.add('notices');
    stmt(
      db,
      `INSERT INTO sync_state (inbox_id, cursor, head_seq, bootstrapped, last_sync_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (inbox_id) DO UPDATE SET cursor = excluded.cursor, head_seq = excluded.head_seq,
         bootstrapped = max(sync_state.bootstrapped, excluded.bootstrapped), last_sync_at = excluded.last_sync_at`,
    ).run(page.inboxId, page.nextAfter, page.headSeq, page.hasMore ? 0 : 1, now);
    return out;
  })();
}

/**
 * Applies one entry of a page or a snapshot chunk. `oneByOne` (a retry after the whole
 * failed): the entry gets its own savepoint, and one that contradicts this device's data
 * is added to `aside` instead of failing the rest.
 */
export function applyOrSetAside(
  db: Database.Database,
  inboxId: string,
  change: Change,
  out: AppliedChanges,
  oneByOne: boolean | undefined,
  aside: SetAsideEntry[],
): void {
  if (!oneByOne) {
    applyOne(db, inboxId, change, out);
    return;
  }
  try {
    db.transaction(() => applyOne(db, inboxId, change, out))();
  } catch (error) {
    if (!isConstraintError(error)) throw error;
    aside.push({ seq: change.seq, raw: JSON.stringify(change), reason: 'it contradicts the data on this device' });
  }
}

/** A page whose entries contradict each other or our data (e.g. triage of an unknown message). */
export function isConstraintError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT');
}
