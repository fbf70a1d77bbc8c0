import { CURRENCY_CODES } from '../../../shared/money';

/**
 * The currencies creators price in most, most used first: the most traded (BIS triennial
 * survey order) and the Gulf and Egyptian currencies many of our Arabic-speaking creators
 * earn in. Everything else follows alphabetically, so ~180 codes stay reachable without
 * burying the dozen that nearly everyone picks.
 */
export const MOST_USED_CURRENCIES = [
  'USD',
  'EUR',
  'GBP',
  'JPY',
  'CAD',
  'AUD',
  'CHF',
  'CNY',
  'INR',
  'BRL',
  'MXN',
  'SAR',
  'AED',
  'EGP',
  'KWD',
  'QAR',
] as const;

/**
 * The currency picker's two groups: the inbox's own currency first, then the most used
 * ones; then every other code, alphabetically. Each code appears exactly once; a current
 * code the app does not know is kept (first) rather than silently dropped.
 */
export function currencyOrder(current: string): { mostUsed: string[]; others: string[] } {
  const known = new Set<string>(CURRENCY_CODES);
  const mostUsed = [current, ...MOST_USED_CURRENCIES.filter((c) => c !== current && known.has(c))];
  const first = new Set(mostUsed);
  const others = [...CURRENCY_CODES].filter((c) => !first.has(c)).sort();
  return { mostUsed, others };
}

/** "USD — US Dollar" in the person's language, or the bare code where the browser has no name. */
export function currencyLabel(code: string, locale: string): string {
  try {
    const name = new Intl.DisplayNames([locale], { type: 'currency', fallback: 'none' }).of(code);
    return name ? `${code} — ${name}` : code;
  } catch {
    return code;
  }
}
