import { randomUUID } from 'node:crypto';
import type { Actor, Tx } from './context';
import { type AuditRow, type MessageRow, toAuditEntry } from './entities';

/**
 * What an entry about one message names — the fan and the price — so the log can read
 * "Sara refunded Lina's $25.00 message" rather than "Refunded a message".
 */
export function aboutMessage(row: Pick<MessageRow, 'fan_id' | 'fan_name' | 'price_minor' | 'currency'>) {
  return { fanId: row.fan_id, fanName: row.fan_name, amount: { minor: row.price_minor, currency: row.currency } };
}

/** One audit entry to write: who did what to which subject. */
export interface AuditEntryInput {
  readonly actor: Actor | null;
  readonly action: string;
  readonly subjectId: string | null;
  readonly details?: Record<string, unknown>;
}

/** Records who did what, from which device, and puts it on the inbox's feed. */
export async function audit(
  tx: Tx,
  inboxId: string,
  actor: Actor | null,
  action: string,
  subjectId: string | null,
  details: Record<string, unknown> = {},
): Promise<void> {
  auditAll(tx, [{ inboxId, actor, action, subjectId, details }]);
}

/** An audit entry and the inbox whose log and feed it goes to. */
export type InboxAuditEntry = AuditEntryInput & { readonly inboxId: string };

/**
 * Records entries (one request's, or a batch's, of one inbox or of several) in one
 * statement and queues each on its inbox's feed, in the order given.
 */
export function auditAll(tx: Tx, inputs: readonly InboxAuditEntry[]): void {
  const rows: Array<AuditRow & { inbox_id: string }> = inputs.map(({ inboxId, actor, action, subjectId, details }) => ({
    inbox_id: inboxId,
    id: randomUUID(),
    actor_id: actor?.id ?? null,
    actor_name: actor?.displayName ?? 'Platform',
    device_name: actor?.deviceName ?? null,
    action,
    subject_id: subjectId,
    details: details ?? {},
    at: tx.now,
  }));
  // Sent without waiting: nothing reads it back in this transaction, and a failure fails it.
  // WITH ORDINALITY keeps the given order, and so each entry's `position`.
  tx.sql.send(
    `INSERT INTO audit_log (id, inbox_id, actor_id, actor_name, device_name, action, subject_id, details, at)
     SELECT id, inbox_id, actor_id, actor_name, device_name, action, subject_id, details::jsonb, $2
     FROM unnest($3::text[], $1::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
       WITH ORDINALITY AS a(id, inbox_id, actor_id, actor_name, device_name, action, subject_id, details, n)
     ORDER BY n`,
    [
      rows.map((r) => r.inbox_id),
      tx.now,
      rows.map((r) => r.id),
      rows.map((r) => r.actor_id),
      rows.map((r) => r.actor_name),
      rows.map((r) => r.device_name),
      rows.map((r) => r.action),
      rows.map((r) => r.subject_id),
      rows.map((r) => JSON.stringify(r.details)),
    ],
  );
  for (const { inbox_id, ...row } of rows) tx.change(inbox_id, 'audit', row.id, toAuditEntry(row));
}
