import type { CallOutput } from '../../shared/contract';
import { isCurrencyCode } from '../../shared/money';
import type { MemberLimits } from '../../shared/protocol';
import { amountInText } from './format';
import type { useT } from './I18n';
import { yourActionOn } from './notice-action';

type T = ReturnType<typeof useT>;
type Notice = CallOutput<'notices.list'>[number];

/** "Your acceptance of Layla’s $25.00 message was not applied: it passes your limit of $10.00 a message (this one is $25.00)." */
export function limitNoticeText(notice: Notice, t: T, locale: string): string {
  const p = notice.params ?? {};
  const currency = typeof p.currency === 'string' && isCurrencyCode(p.currency) ? p.currency : null;
  const minor = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : null);
  const max = minor(p.maxMinor);
  const price = minor(p.priceMinor);
  if (!currency || max === null || price === null) return notice.text;
  const amount = (m: number) => amountInText({ minor: m, currency }, locale);
  const what = yourActionOn(p, t, locale);
  if (p.limit === 'daily_refund') {
    const used = minor(p.usedMinor) ?? 0;
    return t('notices.limit.daily_refund', { what, max: amount(max), used: amount(used), price: amount(price) });
  }
  return t('notices.limit.max_price', { what, max: amount(max), price: amount(price) });
}

/** "up to $50.00 a message · $100.00 refunds a day", or "none": a member's limits in one line. */
export function limitsSummary(limits: MemberLimits | null | undefined, t: T, locale: string): string {
  const summary = [
    limits?.maxPrice ? t('limits.maxSummary', { max: amountInText(limits.maxPrice, locale) }) : null,
    limits?.dailyRefund ? t('limits.dailySummary', { max: amountInText(limits.dailyRefund, locale) }) : null,
  ]
    .filter(Boolean)
    .join(' · ');
  return summary || t('limits.none');
}
