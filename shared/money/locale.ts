import { type Money, moneyFromBigInt, toMajorString } from './amount';
import { MoneyError, minorUnitExponent } from './currency';

/**
 * Parsing what people type and showing amounts in their locale, through Intl.
 * Both directions go through exact decimal strings, never through a JS float.
 */

const formatters = new Map<string, Intl.NumberFormat>();

function currencyFormatter(locale: string, currency: string, display: 'symbol' | 'code'): Intl.NumberFormat {
  const key = `${locale}|${currency}|${display}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    const digits = minorUnitExponent(currency);
    formatter = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      currencyDisplay: display,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    formatters.set(key, formatter);
  }
  return formatter;
}

/** Intl accepts exact decimal strings (Intl.NumberFormat v3); the lib typings lag behind. */
type DecimalFormatter = { format(value: string): string };

/** "$12.50", "١٢٫٥٠ US$", "¥1,200", always with the currency shown. */
export function formatMoney(amount: Money, locale: string, display: 'symbol' | 'code' = 'symbol'): string {
  const formatter = currencyFormatter(locale, amount.currency, display) as unknown as DecimalFormatter;
  return formatter.format(toMajorString(amount));
}

const DIGIT_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x0660, 0x0669], // Arabic-Indic digits
  [0x06f0, 0x06f9], // Extended Arabic-Indic (Persian, Urdu)
];

function toAsciiDigits(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    const range = DIGIT_RANGES.find(([start, end]) => code >= start && code <= end);
    out += range ? String(code - range[0]) : ch;
  }
  return out;
}

interface Separators {
  decimal: string;
  group: string;
}

const separatorCache = new Map<string, Separators>();

function separatorsFor(locale: string): Separators {
  let found = separatorCache.get(locale);
  if (!found) {
    const parts = new Intl.NumberFormat(locale).formatToParts(1234567.5);
    found = {
      decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.',
      group: parts.find((p) => p.type === 'group')?.value ?? ',',
    };
    separatorCache.set(locale, found);
  }
  return found;
}

// Marks Intl inserts around numbers in right-to-left locales; they carry no value.
const INVISIBLE = /[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/g;
const SPACES = /[\s\u00a0\u202f]/g;

/**
 * Parses an amount a person typed ("12.50", "12,50" in German, "١٢٫٥٠" in Arabic) into
 * minor units of `currency`. Refuses signs, exponents, letters and more decimals than the
 * currency has, with a clear error.
 */
export function parseMoney(text: string, currency: string, locale = 'en'): Money {
  const exponent = minorUnitExponent(currency);
  const { decimal, group } = separatorsFor(locale);
  let cleaned = toAsciiDigits(text.normalize('NFKC')).replace(INVISIBLE, '').replace(SPACES, '');
  cleaned = cleaned.split(group).join('');
  if (decimal !== '.') {
    cleaned = cleaned.split(decimal).join('.');
  }
  // Arabic separators are understood whatever the locale's own are.
  cleaned = cleaned.split('\u066c').join('').split('\u066b').join('.');
  const match = /^(\d+)(?:\.(\d+))?$/.exec(cleaned);
  if (!match) {
    throw new MoneyError('invalid_amount_text', `Not an amount: ${JSON.stringify(text)}`);
  }
  const whole = match[1] ?? '0';
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > exponent) {
    throw new MoneyError(
      'too_many_decimals',
      `${currency} has ${exponent} decimal place${exponent === 1 ? '' : 's'}; ${JSON.stringify(text)} has more`,
    );
  }
  return moneyFromBigInt(BigInt(whole + fraction.padEnd(exponent, '0')), currency);
}
