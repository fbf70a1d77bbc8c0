import type { AuditEntry } from '../../../shared/protocol';

/** Platform audit actions the screen names in words; any other action shows its raw name. */
export const KNOWN_ACTIONS = [
  'message.accept',
  'message.refund',
  'message.reply',
  'message.expire',
  'message.note',
  'message.triage',
  'settings.update',
  'team.invite',
  'team.join',
  'team.permissions',
  'team.revoke',
  'fan.block',
  'fan.unblock',
  'fan.terms',
  'payout.request',
] as const;
export type KnownAction = (typeof KNOWN_ACTIONS)[number];

export function isKnownAction(action: string): action is KnownAction {
  return (KNOWN_ACTIONS as readonly string[]).includes(action);
}

/** The detail worth a glance: changed settings, granted permissions, an invited address. */
export function detailSummary(entry: AuditEntry): string {
  const d = entry.details;
  const list = (value: unknown) => (Array.isArray(value) ? value.map(String).join(', ') : null);
  if (entry.action === 'settings.update') return list(d.changed) ?? '';
  if (entry.action === 'team.invite') return [d.email, list(d.permissions)].filter(Boolean).join(' · ');
  if (entry.action === 'team.permissions' || entry.action === 'team.join') return list(d.permissions) ?? '';
  return '';
}

/** A CSV download in the page (both shells): the file never leaves this machine. */
export function downloadText(fileName: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}
