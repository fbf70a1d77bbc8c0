import { untrustedPlain } from '../ui/SafeText';
import { amountInText } from './format';
import type { MessageKey, MessageValues } from './I18n';

type T = (id: MessageKey, values?: MessageValues) => string;

/** The actions a notice can be about; anything else reads as "your action". */
const NOTICE_ACTIONS = ['accept', 'refund', 'reply', 'triage', 'note', 'draft', 'block', 'unblock'] as const;
/** Actions on a fan, not a message: their subject is the fan alone. */
const FAN_ACTIONS: ReadonlySet<unknown> = new Set(['block', 'unblock']);

/** A notice's params as the core lists them (the message's fan and price joined in). */
type NoticeParams = Readonly<Record<string, unknown>>;

/** "Layla Haddad’s $25.00 message": which fan and how much, when the message is known here. */
export function noticeSubject(params: NoticeParams, t: T, locale: string): string {
  const { fanName, priceMinor, currency } = params;
  if (typeof fanName !== 'string' || typeof priceMinor !== 'number' || typeof currency !== 'string') {
    return t('notices.subjectUnknown');
  }
  return t('notices.subject', {
    fan: untrustedPlain(fanName),
    amount: amountInText({ minor: priceMinor, currency }, locale),
  });
}

/**
 * "Your acceptance of Layla’s $25.00 message": the action that was not applied, as the
 * subject of a notice's sentence. The outbox's labels ("Accept", "Refund") are headings,
 * capitalised; mid-sentence the action is a phrase of its own in each language (in Arabic
 * a possessed noun, "قبولك لرسالة …", each masculine so the sentence's verb agrees).
 */
export function yourActionOn(params: NoticeParams, t: T, locale: string): string {
  const action = (NOTICE_ACTIONS as readonly unknown[]).includes(params.action)
    ? (params.action as (typeof NOTICE_ACTIONS)[number])
    : 'other';
  const subject =
    FAN_ACTIONS.has(action) && typeof params.fanName === 'string'
      ? untrustedPlain(params.fanName)
      : noticeSubject(params, t, locale);
  return t(`notices.yourAction.${action}`, { subject });
}
