import { type CurrencyCode, type Money, moneyFromBigInt } from '../../../shared/money';

/**
 * Exact per-currency running totals. Amounts are added as bigint so that no number of
 * entries can lose precision; currencies are kept apart by construction.
 */
export class CountedTotal {
  count = 0;
  minor = 0n;
  add(minor: number | bigint, count = 1): void {
    this.count += count;
    this.minor += BigInt(minor);
  }
  toJSON(currency: CurrencyCode): { count: number; amount: Money } {
    return { count: this.count, amount: moneyFromBigInt(this.minor, currency) };
  }
}

export function perCurrency<T>(make: () => T): { get(currency: CurrencyCode): T; entries(): [CurrencyCode, T][] } {
  const map = new Map<CurrencyCode, T>();
  return {
    get(currency) {
      let value = map.get(currency);
      if (value === undefined) {
        value = make();
        map.set(currency, value);
      }
      return value;
    },
    entries: () => [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  };
}

/** Median of whole milliseconds; for an even count, the mean of the middle two rounded down. */
export function medianMs(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  if (sorted.length % 2 === 1) return sorted[mid] as number;
  return Math.floor(((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2);
}
