import type Database from 'better-sqlite3';
import { applyTriagePatch, type TriageFields, TriageInput, untriaged } from '../../../shared/actions';
import type { Triage } from '../../../shared/protocol';
import { stmt } from './statements';

/**
 * Writes a triage row (effective fields, the platform's copy, its seq) and its labels.
 * The message's sort keys ride along so triage views page from triage's own indexes;
 * they come from sub-selects, so triage for a message we do not have fails the NOT NULL
 * (and foreign key) constraints instead of being stored.
 */
function writeTriage(
  db: Database.Database,
  messageId: string,
  fields: TriageFields,
  server: { json: string | null; seq: number; updatedAt: number },
): void {
  stmt(
    db,
    `INSERT INTO triage (message_id, read, starred, archived, snoozed_until, assignee_id, labels, updated_at, server, seq,
       inbox_id, deadline, paid_at)
     VALUES (@messageId, @read, @starred, @archived, @snoozedUntil, @assigneeId, @labels, @updatedAt, @server, @seq,
       (SELECT inbox_id FROM messages WHERE id = @messageId), (SELECT deadline FROM messages WHERE id = @messageId),
       (SELECT paid_at FROM messages WHERE id = @messageId))
     ON CONFLICT (message_id) DO UPDATE SET read = excluded.read, starred = excluded.starred,
       archived = excluded.archived, snoozed_until = excluded.snoozed_until, assignee_id = excluded.assignee_id,
       labels = excluded.labels, updated_at = excluded.updated_at, server = excluded.server,
       seq = max(triage.seq, excluded.seq), inbox_id = excluded.inbox_id, deadline = excluded.deadline,
       paid_at = excluded.paid_at`,
  ).run({
    messageId,
    read: fields.read ? 1 : 0,
    starred: fields.starred ? 1 : 0,
    archived: fields.archived ? 1 : 0,
    snoozedUntil: fields.snoozedUntil,
    assigneeId: fields.assigneeId,
    labels: JSON.stringify(fields.labels),
    updatedAt: server.updatedAt,
    server: server.json,
    seq: server.seq,
  });
  stmt(db, 'DELETE FROM message_labels WHERE message_id = ?').run(messageId);
  addLabels(db, messageId, fields.labels);
}

function addLabels(db: Database.Database, messageId: string, labels: readonly string[]): void {
  if (labels.length === 0) return;
  const addLabel = stmt(db, 'INSERT OR IGNORE INTO message_labels (label, message_id) VALUES (?, ?)');
  for (const label of labels) addLabel.run(label, messageId);
}

const FIRST_TRIAGE = `
  INSERT INTO triage (message_id, read, starred, archived, snoozed_until, assignee_id, labels, updated_at, server, seq,
    inbox_id, deadline, paid_at)
  SELECT id, ?, ?, ?, ?, ?, ?, ?, ?, ?, inbox_id, deadline, paid_at FROM messages WHERE id = ?
  ON CONFLICT (message_id) DO NOTHING`;

/**
 * A message's first triage row (the bulk of a bootstrap: one per message): one insert,
 * the sort keys read from the message row in the same statement, nothing to read first
 * and no old labels to delete. False when a row is already there or the message is
 * unknown; nothing is written then.
 */
function insertFirstTriage(db: Database.Database, triage: Triage, seq: number): boolean {
  const inserted = stmt(db, FIRST_TRIAGE).run(
    triage.read ? 1 : 0,
    triage.starred ? 1 : 0,
    triage.archived ? 1 : 0,
    triage.snoozedUntil,
    triage.assigneeId,
    JSON.stringify(triage.labels),
    triage.updatedAt,
    JSON.stringify(triage),
    seq,
    triage.messageId,
  );
  if (inserted.changes === 0) return false;
  addLabels(db, triage.messageId, triage.labels);
  return true;
}

/**
 * Triage rows hold the *effective* state the UI shows: the platform's last word
 * (`server`, a JSON copy) with every still-queued local patch replayed on top, in outbox
 * order. Called after a pull changes the platform's copy, after a local patch is queued,
 * and after one settles or is rolled back, so an unsent change is never lost under a
 * newer pull and a rolled-back change disappears cleanly.
 */
export function recomputeTriage(db: Database.Database, messageId: string): void {
  const row = stmt(db, 'SELECT server, seq FROM triage WHERE message_id = ?').get(messageId) as
    | { server: string | null; seq: number }
    | undefined;
  const server = row?.server ? (JSON.parse(row.server) as Triage) : null;
  const patches = stmt(db, "SELECT payload FROM outbox WHERE message_id = ? AND kind = 'triage' ORDER BY position")
    .pluck()
    .all(messageId) as string[];
  if (!server && patches.length === 0) {
    stmt(db, 'DELETE FROM message_labels WHERE message_id = ?').run(messageId);
    stmt(db, 'DELETE FROM triage WHERE message_id = ?').run(messageId);
    return;
  }
  let fields: TriageFields = server ?? untriaged();
  for (const payload of patches) fields = applyTriagePatch(fields, TriageInput.parse(JSON.parse(payload)).patch);
  writeTriage(db, messageId, fields, {
    json: row?.server ?? null,
    seq: row?.seq ?? 0,
    updatedAt: server?.updatedAt ?? 0,
  });
}

/**
 * Stores the platform's copy of a message's triage if it is newer than ours. A message
 * with no triage row yet (the bootstrap case, thousands a second) has no queued local
 * patch either (queueing one writes the row: `recomputeTriage`), so the platform's copy
 * *is* the effective state: one insert. Otherwise the newer seq wins and any queued
 * patches are replayed on top (recomputeTriage). Triage of a message we do not have
 * fails the message's constraints, as `writeTriage` says.
 */
export function storeServerTriage(db: Database.Database, triage: Triage, seq: number | null): void {
  if (insertFirstTriage(db, triage, seq ?? 0)) return;
  const current = stmt(db, 'SELECT seq FROM triage WHERE message_id = ?').get(triage.messageId) as
    | { seq: number }
    | undefined;
  if (seq !== null && current && current.seq >= seq) return;
  const queued = stmt(db, "SELECT 1 FROM outbox WHERE message_id = ? AND kind = 'triage' LIMIT 1")
    .pluck()
    .get(triage.messageId);
  writeTriage(db, triage.messageId, triage, {
    json: JSON.stringify(triage),
    seq: seq ?? current?.seq ?? 0,
    updatedAt: triage.updatedAt,
  });
  if (queued) recomputeTriage(db, triage.messageId);
}
