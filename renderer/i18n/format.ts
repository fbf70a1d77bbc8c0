import { HOUR_MS } from '../../shared/message';
import { formatMoney, type Money, money } from '../../shared/money';

/** Money as it crosses the bridge (currency validated by the contract's schema). */
export interface MoneyLike {
  minor: number;
  currency: string;
}

export function toMoney(amount: MoneyLike): Money {
  return money(amount.minor, amount.currency);
}

/** "$12.50 · ¥1,200": totals per currency, never added together. */
export function formatMoneyList(amounts: readonly MoneyLike[], locale: string): string {
  return amounts.map((a) => formatMoney(toMoney(a), locale)).join(' · ');
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * A short duration for "time left": "2d 4h", "5h 12m", "9m", in the locale's units
 * (Arabic digits and unit names included) through Intl.NumberFormat's unit style.
 */
const unitFormatters = new Map<string, Intl.NumberFormat>();

function unitFormatter(locale: string, name: 'day' | 'hour' | 'minute'): Intl.NumberFormat {
  const key = `${locale}|${name}`;
  let formatter = unitFormatters.get(key);
  if (!formatter) {
    // Arabic's narrow units are single letters ("1 ي 5 س"); it gets the unit words.
    const unitDisplay = locale.startsWith('ar') ? 'long' : 'narrow';
    formatter = new Intl.NumberFormat(locale, { style: 'unit', unit: name, unitDisplay });
    unitFormatters.set(key, formatter);
  }
  return formatter;
}

export function formatDuration(ms: number, locale: string): string {
  const unit = (value: number, name: 'day' | 'hour' | 'minute') => unitFormatter(locale, name).format(value);
  const total = Math.max(0, ms);
  const days = Math.floor(total / DAY_MS);
  const hours = Math.floor((total % DAY_MS) / HOUR_MS);
  const minutes = Math.floor((total % HOUR_MS) / MINUTE_MS);
  if (days > 0) return hours > 0 ? `${unit(days, 'day')} ${unit(hours, 'hour')}` : unit(days, 'day');
  if (hours > 0) return minutes > 0 ? `${unit(hours, 'hour')} ${unit(minutes, 'minute')}` : unit(hours, 'hour');
  return unit(Math.max(1, minutes), 'minute');
}

/** "14:00" today, "Tue 14:00" within a week, a full date beyond. */
export function formatDeadlineTime(at: number, now: number, locale: string): string {
  const sameDay = new Date(at).toDateString() === new Date(now).toDateString();
  if (sameDay) return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(at);
  if (Math.abs(at - now) < 6 * DAY_MS) {
    return new Intl.DateTimeFormat(locale, { weekday: 'short', hour: '2-digit', minute: '2-digit' }).format(at);
  }
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(at);
}

export function formatDateTime(at: number, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(at);
}
