import { HOUR_MS } from '../../shared/message';
import { formatMoney, type Money, money, toMajorString } from '../../shared/money';

/** Money as it crosses the bridge (currency validated by the contract's schema). */
export interface MoneyLike {
  minor: number;
  currency: string;
}

export function toMoney(amount: MoneyLike): Money {
  return money(amount.minor, amount.currency);
}

/**
 * Wraps text (an amount, a count) in Unicode isolates so that, inside a sentence in the
 * other direction, "US$ 1,000.00 · 40 messages" does not reorder into "40 1,000.00".
 */
export function isolate(text: string): string {
  return `\u2068${text}\u2069`;
}

const RTL_LANGUAGES = new Set(['ar', 'fa', 'he', 'ur']);
const currencySymbols = new Map<string, string>();

function currencySymbol(locale: string, currency: string): string {
  const key = `${locale}|${currency}`;
  let symbol = currencySymbols.get(key);
  if (symbol === undefined) {
    const parts = new Intl.NumberFormat(locale, { style: 'currency', currency }).formatToParts(0);
    symbol = parts.find((p) => p.type === 'currency')?.value ?? '';
    currencySymbols.set(key, symbol);
  }
  return symbol;
}

/**
 * THE way an amount is shown on screen: Intl's format for the locale (via shared/money),
 * made safe for right-to-left text. In Arabic Intl writes "25.00 US$"; laid out right to
 * left, the bidi algorithm detaches the "$" from "US" (it is a neutral next to Latin
 * letters) and shows "$US 25.00". The symbol is therefore isolated (FSI … PDI) so it keeps
 * its own direction and moves as one piece. Left-to-right locales need nothing.
 */
export function formatAmount(amount: MoneyLike, locale: string): string {
  return isolateSymbol(formatMoney(toMoney(amount), locale), amount.currency, locale);
}

function isolateSymbol(text: string, currency: string, locale: string): string {
  if (!RTL_LANGUAGES.has(locale.split('-')[0] ?? '')) return text;
  const symbol = currencySymbol(locale, currency);
  return symbol ? text.replace(symbol, isolate(symbol)) : text;
}

const compactFormatters = new Map<string, Intl.NumberFormat>();

/**
 * An amount at a glance where there is no room for all of it ("$250", "$1.23M", "250 US$"):
 * the collapsed rail (48 px). Exact amounts are shown everywhere else; this one is read from
 * the same exact decimal string, never from a float.
 */
export function formatCompactAmount(amount: MoneyLike, locale: string): string {
  const key = `${locale}|${amount.currency}`;
  let formatter = compactFormatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: amount.currency,
      notation: 'compact',
      maximumSignificantDigits: 3,
    });
    compactFormatters.set(key, formatter);
  }
  // Intl formats a decimal string exactly; the cast is only for the older type definitions.
  // An ordinary space between number and symbol, so 48 px wraps "250" over "US$", never inside "US$".
  const text = formatter.format(toMajorString(toMoney(amount)) as unknown as number).replace(/\u00a0/g, ' ');
  return isolateSymbol(text, amount.currency, locale);
}

/** An amount inside a translated sentence: formatted as on screen and isolated from the words around it. */
export function amountInText(amount: MoneyLike, locale: string): string {
  return isolate(formatAmount(amount, locale));
}

/** "$12.50 · ¥1,200": totals per currency, never added together. */
export function formatMoneyList(amounts: readonly MoneyLike[], locale: string, separator = ' · '): string {
  return amounts.map((a) => formatAmount(a, locale)).join(separator);
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * A short duration for "time left": "2d 4h", "5h 12m", "9m", in the locale's units
 * (Arabic digits and unit names included) through Intl.NumberFormat's unit style.
 */
const unitFormatters = new Map<string, Intl.NumberFormat>();

function unitFormatter(locale: string, name: 'day' | 'hour' | 'minute' | 'second'): Intl.NumberFormat {
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
  return durationParts(ms, locale).join(' ');
}

/**
 * A duration as its largest unit and, when there is one, the next ("1d", "3h"): the list's
 * countdown chip may drop the second where it has no room (ui/primitives.css, .yield-ar).
 */
export function durationParts(ms: number, locale: string): [string] | [string, string] {
  const unit = (value: number, name: 'day' | 'hour' | 'minute') => unitFormatter(locale, name).format(value);
  const total = Math.max(0, ms);
  const days = Math.floor(total / DAY_MS);
  const hours = Math.floor((total % DAY_MS) / HOUR_MS);
  const minutes = Math.floor((total % HOUR_MS) / MINUTE_MS);
  if (days > 0) return hours > 0 ? [unit(days, 'day'), unit(hours, 'hour')] : [unit(days, 'day')];
  if (hours > 0) return minutes > 0 ? [unit(hours, 'hour'), unit(minutes, 'minute')] : [unit(hours, 'hour')];
  return [unit(Math.max(1, minutes), 'minute')];
}

/** Under two hours the minutes count as much as the hours: 1 h 20 m is not "an hour". */
const MINUTES_KEPT_UNDER_MS = 2 * HOUR_MS;

/**
 * A countdown chip's parts: durationParts, and whether the second part may yield where
 * there is no room (a narrow Arabic list, ui/primitives.css .yield-ar). It never yields
 * under two hours, in either language.
 */
export function countdownParts(
  ms: number,
  locale: string,
): { major: string; minor: string | null; minorYields: boolean } {
  const [major, minor] = durationParts(ms, locale);
  return { major, minor: minor ?? null, minorYields: ms >= MINUTES_KEPT_UNDER_MS };
}

/**
 * A tier's response window the way it is sold ("24h", "72h"): in hours, or in days from a
 * week up when it is whole days. Windows are whole hours (shared/message/deadline.ts).
 */
export function formatWindow(ms: number, locale: string): string {
  const hours = Math.max(1, Math.round(ms / HOUR_MS));
  if (hours >= 7 * 24 && hours % 24 === 0) return unitFormatter(locale, 'day').format(hours / 24);
  return unitFormatter(locale, 'hour').format(hours);
}

/** Time left of a download: seconds under a minute (in steps of 5), else as formatDuration. */
export function formatTimeLeft(ms: number, locale: string): string {
  if (ms >= MINUTE_MS) return formatDuration(ms, locale);
  return unitFormatter(locale, 'second').format(Math.max(5, Math.ceil(ms / 5_000) * 5));
}

/**
 * Date formats by name, one Intl.DateTimeFormat per locale and format: building one costs
 * about a millisecond, and the reading pane formats its dates on every key press and tick.
 */
const DATE_FORMATS = {
  time: { hour: '2-digit', minute: '2-digit' },
  weekdayTime: { weekday: 'short', hour: '2-digit', minute: '2-digit' },
  dateTime: { dateStyle: 'medium', timeStyle: 'short' },
} as const satisfies Record<string, Intl.DateTimeFormatOptions>;
const dateFormatters = new Map<string, Intl.DateTimeFormat>();

function dateFormatter(locale: string, name: keyof typeof DATE_FORMATS): Intl.DateTimeFormat {
  const key = `${locale}|${name}`;
  let formatter = dateFormatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, DATE_FORMATS[name]);
    dateFormatters.set(key, formatter);
  }
  return formatter;
}

/** "14:00" today, "Tue 14:00" within a week, a full date beyond. */
export function formatDeadlineTime(at: number, now: number, locale: string): string {
  const sameDay = new Date(at).toDateString() === new Date(now).toDateString();
  if (sameDay) return dateFormatter(locale, 'time').format(at);
  if (Math.abs(at - now) < 6 * DAY_MS) return dateFormatter(locale, 'weekdayTime').format(at);
  return dateFormatter(locale, 'dateTime').format(at);
}

export function formatDateTime(at: number, locale: string): string {
  return dateFormatter(locale, 'dateTime').format(at);
}
