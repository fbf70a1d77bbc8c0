import type { AuditEntry } from '../../../shared/protocol';
import { amountInText, isolate, type MoneyLike } from '../../i18n/format';
import type { MessageKey, MessageValues } from '../../i18n/I18n';
import { untrustedPlain } from '../../ui/SafeText';

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

type Translate = (id: MessageKey, values?: MessageValues) => string;

const REFUND_REASONS = ['not_for_me', 'inappropriate', 'cannot_answer', 'other'] as const;
type RefundReason = (typeof REFUND_REASONS)[number];

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const amountOf = (value: unknown): MoneyLike | null => {
  const m = value as { minor?: unknown; currency?: unknown } | null;
  return m && typeof m.minor === 'number' && typeof m.currency === 'string' ? (m as MoneyLike) : null;
};

/**
 * What was done, as a sentence naming the fan, the amount and the reason ("Refunded Lina's
 * $25.00 message — reason: Inappropriate") when the platform recorded them; null for older
 * entries and other actions, which keep their short name. Names stay in isolates.
 */
export function actionSentence(entry: AuditEntry, t: Translate, locale: string): string | null {
  const d = entry.details;
  const fanName = text(d.fanName);
  if (fanName === null) return null;
  const fan = untrustedPlain(fanName);
  const amount = amountOf(d.amount);
  switch (entry.action) {
    case 'message.accept':
      return amount ? t('audit.said.accept', { fan, amount: amountInText(amount, locale) }) : null;
    case 'message.refund': {
      if (!amount) return null;
      const reason = text(d.reason);
      const known = REFUND_REASONS.includes(reason as RefundReason);
      return t('audit.said.refund', {
        fan,
        amount: amountInText(amount, locale),
        reason: known ? t(`refund.reason.${reason as RefundReason}`) : isolate(reason ?? '—'),
      });
    }
    case 'fan.block':
      return t('audit.said.block', { fan });
    case 'fan.unblock':
      return t('audit.said.unblock', { fan });
    default:
      return null;
  }
}
