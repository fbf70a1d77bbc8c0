import { type CurrencyCode, isCurrencyCode, MoneyError, minorUnitExponent } from './currency';

/**
 * An amount of money: a whole number of the currency's minor unit (cents for USD,
 * yen for JPY, fils for KWD) plus its ISO 4217 code. Never a float.
 * Amounts are never negative; signed ledger movements are modelled elsewhere.
 */
export interface Money {
  readonly minor: number;
  readonly currency: CurrencyCode;
}

function checkMinor(minor: unknown): number {
  if (typeof minor !== 'number' || !Number.isInteger(minor)) {
    throw new MoneyError('not_an_integer', `Amount must be a whole number of minor units, got ${String(minor)}`);
  }
  if (!Number.isSafeInteger(minor)) {
    throw new MoneyError('unsafe_amount', `Amount ${minor} is too large to be exact`);
  }
  if (minor < 0) {
    throw new MoneyError('negative_amount', `Amount must not be negative, got ${minor}`);
  }
  return minor;
}

function checkCurrency(currency: unknown): CurrencyCode {
  if (!isCurrencyCode(currency)) {
    throw new MoneyError('unknown_currency', `Unknown currency code: ${JSON.stringify(currency)}`);
  }
  return currency;
}

/** Builds an amount, refusing floats, NaN, negatives, unsafe integers and unknown codes. */
export function money(minor: number, currency: string): Money {
  return Object.freeze({ minor: checkMinor(minor), currency: checkCurrency(currency) });
}

/** Like `money` but for bigint totals coming from SQL `bigint` columns. */
export function moneyFromBigInt(minor: bigint, currency: string): Money {
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new MoneyError('unsafe_amount', `Amount ${minor} is too large to be exact`);
  }
  return money(Number(minor), currency);
}

export function zero(currency: string): Money {
  return money(0, currency);
}

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) {
    throw new MoneyError('currency_mismatch', `Cannot combine ${a.currency} with ${b.currency}`);
  }
}

export function add(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.minor + b.minor, a.currency);
}

/** a - b; refuses a result below zero rather than producing a negative amount. */
export function subtract(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.minor - b.minor, a.currency);
}

export function compare(a: Money, b: Money): -1 | 0 | 1 {
  sameCurrency(a, b);
  return a.minor < b.minor ? -1 : a.minor > b.minor ? 1 : 0;
}

export function equals(a: Money, b: Money): boolean {
  return a.currency === b.currency && a.minor === b.minor;
}

/**
 * Sum of amounts that must all share `currency`. Accumulates in bigint so that a long
 * list cannot lose precision on the way, then checks the total is still exact.
 */
export function sum(amounts: Iterable<Money>, currency: string): Money {
  const code = checkCurrency(currency);
  let total = 0n;
  for (const amount of amounts) {
    if (amount.currency !== code) {
      throw new MoneyError('currency_mismatch', `Cannot add ${amount.currency} to a ${code} total`);
    }
    total += BigInt(checkMinor(amount.minor));
  }
  return moneyFromBigInt(total, code);
}

/** Totals per currency, never adding different currencies together. Sorted by code. */
export function sumByCurrency(amounts: Iterable<Money>): Money[] {
  const totals = new Map<CurrencyCode, bigint>();
  for (const amount of amounts) {
    const code = checkCurrency(amount.currency);
    totals.set(code, (totals.get(code) ?? 0n) + BigInt(checkMinor(amount.minor)));
  }
  return [...totals.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([code, total]) => moneyFromBigInt(total, code));
}

/** Exact decimal string in major units, e.g. 1250 USD → "12.50", 5 KWD → "0.005". */
export function toMajorString(amount: Money): string {
  const exponent = minorUnitExponent(amount.currency);
  const digits = String(checkMinor(amount.minor));
  if (exponent === 0) return digits;
  const padded = digits.padStart(exponent + 1, '0');
  return `${padded.slice(0, -exponent)}.${padded.slice(-exponent)}`;
}
