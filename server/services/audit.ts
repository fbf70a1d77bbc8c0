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

/** Records who did what, from which device, and puts it on the inbox's feed. */
export async function audit(
  tx: Tx,
  inboxId: string,
  actor: Actor | null,
  action: string,
  subjectId: string | null,
  details: Record<string, unknown> = {},
): Promise<void> {
  const row: AuditRow = {
    id: randomUUID(),
    actor_id: actor?.id ?? null,
    actor_name: actor?.displayName ?? 'Platform',
    device_name: actor?.deviceName ?? null,
    action,
    subject_id: subjectId,
    details,
    at: tx.now,
  };
  // Sent without waiting: nothing reads it back in this transaction, and a failure fails it.
  tx.sql.send(
    `INSERT INTO audit_log (id, inbox_id, actor_id, actor_name, device_name, action, subject_id, details, at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9)`,
    [
      row.id,
      inboxId,
      row.actor_id,
      row.actor_name,
      row.device_name,
      row.action,
      row.subject_id,
      JSON.stringify(details),
      row.at,
    ],
  );
  tx.change(inboxId, 'audit', row.id, toAuditEntry(row));
}
