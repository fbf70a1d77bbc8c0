import { randomUUID } from 'node:crypto';
import { MAX_LABELS_PER_MESSAGE, type Note, type RouteBody, type Triage } from '../../shared/protocol';
import { ApiError } from '../errors';
import { requireAllowed } from './actions';
import { audit } from './audit';
import type { Actor, Tx } from './context';
import { loadNote, TRIAGE_COLUMNS, toTriage } from './entities';
import { messageActionAccess } from './messages';

/** Triage moves no money: any active member may change it; fields merge one by one. */
export async function updateTriage(
  tx: Tx,
  actor: Actor,
  messageId: string,
  patch: RouteBody<'triage'>,
): Promise<Triage> {
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
  const rows = await tx.sql.query<Parameters<typeof toTriage>[0]>(
    `UPDATE triage SET
       read = COALESCE($2, read),
       starred = COALESCE($3, starred),
       archived = COALESCE($4, archived),
       labels = ARRAY(SELECT DISTINCT l FROM unnest(labels || $5::text[]) AS l WHERE l <> ALL($6::text[]) ORDER BY l),
       snoozed_until = CASE WHEN $7 THEN $8::bigint ELSE snoozed_until END,
       assignee_id = CASE WHEN $9 THEN $10::text ELSE assignee_id END,
       updated_at = $11
     WHERE message_id = $1 RETURNING ${TRIAGE_COLUMNS}`,
    [
      messageId,
      patch.read ?? null,
      patch.starred ?? null,
      patch.archived ?? null,
      patch.labelsAdd ?? [],
      patch.labelsRemove ?? [],
      patch.snoozedUntil !== undefined,
      patch.snoozedUntil ?? null,
      patch.assigneeId !== undefined,
      patch.assigneeId ?? null,
      tx.now,
    ],
  );
  const row = rows[0];
  if (!row) throw new ApiError('not_found', 'Message not found');
  // Devices refuse a triage entry with more labels than this; the platform never stores one.
  if (row.labels.length > MAX_LABELS_PER_MESSAGE) {
    throw new ApiError('invalid_request', `A message can carry at most ${MAX_LABELS_PER_MESSAGE} labels`, {
      field: 'labelsAdd',
    });
  }
  const triage = toTriage(row);
  tx.change(inboxId, 'triage', messageId, triage);
  await audit(tx, inboxId, actor, 'message.triage', messageId, { fields: Object.keys(patch) });
  return triage;
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
