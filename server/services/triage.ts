import { randomUUID } from 'node:crypto';
import { applyTriagePatch } from '../../shared/actions';
import { MAX_LABELS_PER_MESSAGE, type Note, type RouteBody, type TriageAnswer } from '../../shared/protocol';
import { ApiError } from '../errors';
import { audit } from './audit';
import type { Actor, Tx } from './context';
import { loadNote, TRIAGE_COLUMNS, type TriageRow, toTriage } from './entities';
import { messageActionAccess } from './messages';

/** Triage moves no money: any active member may change it; fields merge one by one. */
export async function updateTriage(
  tx: Tx,
  actor: Actor,
  messageId: string,
  patch: RouteBody<'triage'>,
): Promise<TriageAnswer> {
  const { inboxId } = await messageActionAccess(tx, actor, messageId, { kind: 'triage', patch });
  if (patch.assigneeId) {
    const assignee = await tx.sql.query('SELECT 1 FROM members WHERE inbox_id = $1 AND user_id = $2 AND active', [
      inboxId,
      patch.assigneeId,
    ]);
    if (assignee.length === 0) {
      throw new ApiError('invalid_request', 'The assignee must be a member of this inbox', { field: 'assigneeId' });
    }
  }
  // The inbox is locked (messageActionAccess): nobody changes this row between read and write.
  const current = await tx.sql.query<TriageRow>(`SELECT ${TRIAGE_COLUMNS} FROM triage WHERE message_id = $1`, [
    messageId,
  ]);
  const before = current[0];
  if (!before) throw new ApiError('not_found', 'Message not found');
  // The registry's one rule for a patch (shared/actions), the same the devices apply locally.
  const next = applyTriagePatch(toTriage(before), patch);
  // Devices refuse a triage entry with more labels than this; the platform never stores one.
  if (next.labels.length > MAX_LABELS_PER_MESSAGE) {
    throw new ApiError('invalid_request', `A message can carry at most ${MAX_LABELS_PER_MESSAGE} labels`, {
      field: 'labelsAdd',
    });
  }
  const rows = await tx.sql.query<TriageRow>(
    `UPDATE triage SET read = $2, starred = $3, archived = $4, labels = $5::text[], snoozed_until = $6::bigint,
       assignee_id = $7::text, updated_at = $8
     WHERE message_id = $1 RETURNING ${TRIAGE_COLUMNS}`,
    [
      messageId,
      next.read,
      next.starred,
      next.archived,
      [...next.labels].sort(),
      next.snoozedUntil,
      next.assigneeId,
      tx.now,
    ],
  );
  const row = rows[0];
  if (!row) throw new ApiError('not_found', 'Message not found');
  const triage = toTriage(row);
  const seq = tx.change(inboxId, 'triage', messageId, triage);
  await audit(tx, inboxId, actor, 'message.triage', messageId, { fields: Object.keys(patch) });
  return seq === null ? triage : { ...triage, seq };
}

export async function addNote(tx: Tx, actor: Actor, messageId: string, body: RouteBody<'addNote'>): Promise<Note> {
  const { inboxId } = await messageActionAccess(tx, actor, messageId, { kind: 'note', ...body });
  const id = randomUUID();
  await tx.sql.query('INSERT INTO notes (id, message_id, author_id, body, created_at) VALUES ($1, $2, $3, $4, $5)', [
    id,
    messageId,
    actor.id,
    body.body,
    tx.now,
  ]);
  const note = await loadNote(tx.sql, id);
  tx.change(inboxId, 'note', id, note);
  await audit(tx, inboxId, actor, 'message.note', messageId, { noteId: id });
  return note;
}
