import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  add,
  CURRENCY_CODES,
  formatMoney,
  type Money,
  MoneyError,
  minorUnitExponent,
  money,
  parseMoney,
  splitFee,
  subtract,
  sum,
  sumByCurrency,
  toMajorString,
} from '../../../shared/money';

const currency = fc.constantFrom(...CURRENCY_CODES);
const minor = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
const bps = fc.integer({ min: 0, max: 10_000 });
const amount = fc.tuple(minor, currency).map(([m, c]) => money(m, c));

const errorCode = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return error instanceof MoneyError ? error.code : `not a MoneyError: ${String(error)}`;
  }
  return undefined;
};

describe('currencies', () => {
  it('knows the ISO 4217 minor-unit exponents', () => {
    expect(minorUnitExponent('JPY')).toBe(0);
    expect(minorUnitExponent('USD')).toBe(2);
    expect(minorUnitExponent('EUR')).toBe(2);
    expect(minorUnitExponent('KWD')).toBe(3);
    expect(minorUnitExponent('BHD')).toBe(3);
    expect(errorCode(() => minorUnitExponent('XYZ'))).toBe('unknown_currency');
  });
});

describe('amounts refuse what is not money', () => {
  it.each([
    [() => money(12.5, 'USD'), 'not_an_integer'],
    [() => money(Number.NaN, 'USD'), 'not_an_integer'],
    [() => money(Number.POSITIVE_INFINITY, 'USD'), 'not_an_integer'],
    [() => money(-1, 'USD'), 'negative_amount'],
    [() => money(2 ** 53, 'USD'), 'unsafe_amount'],
    [() => money(1, 'usd'), 'unknown_currency'],
    [() => money('12' as unknown as number, 'USD'), 'not_an_integer'],
    [() => add(money(1, 'USD'), money(1, 'EUR')), 'currency_mismatch'],
    [() => sum([money(1, 'USD'), money(1, 'EUR')], 'USD'), 'currency_mismatch'],
    [() => subtract(money(1, 'USD'), money(2, 'USD')), 'negative_amount'],
    [() => add(money(Number.MAX_SAFE_INTEGER, 'USD'), money(1, 'USD')), 'unsafe_amount'],
    [() => splitFee(money(100, 'USD'), 10_001), 'invalid_fee_rate'],
    [() => splitFee(money(100, 'USD'), 12.5), 'invalid_fee_rate'],
  ])('case %#', (fn, code) => {
    expect(errorCode(fn)).toBe(code);
  });
});

describe('platform fee split', () => {
  it('rounds half up at exactly one half', () => {
    // 5 * 1000 / 10000 = 0.5 → 1
    expect(splitFee(money(5, 'USD'), 1000).fee.minor).toBe(1);
    // 4 * 1000 / 10000 = 0.4 → 0; 15 * 1000 / 10000 = 1.5 → 2
    expect(splitFee(money(4, 'USD'), 1000).fee.minor).toBe(0);
    expect(splitFee(money(15, 'USD'), 1000).fee.minor).toBe(2);
    expect(splitFee(money(2500, 'USD'), 1000)).toMatchObject({ fee: { minor: 250 }, net: { minor: 2250 } });
  });

  it('fee + net == price, always', () => {
    fc.assert(
      fc.property(amount, bps, (price, rate) => {
        const { fee, net } = splitFee(price, rate);
        expect(fee.minor + net.minor).toBe(price.minor);
        expect(fee.currency).toBe(price.currency);
        expect(net.currency).toBe(price.currency);
      }),
    );
  });

  it('0 <= fee <= price', () => {
    fc.assert(
      fc.property(amount, bps, (price, rate) => {
        const { fee } = splitFee(price, rate);
        expect(fee.minor).toBeGreaterThanOrEqual(0);
        expect(fee.minor).toBeLessThanOrEqual(price.minor);
      }),
    );
  });

  it('is round-half-up of the exact rational fee', () => {
    fc.assert(
      fc.property(amount, bps, (price, rate) => {
        const { fee } = splitFee(price, rate);
        // |fee - price*bps/10000| <= 1/2, and exactly 1/2 only when rounding up.
        const twice = 2n * (BigInt(fee.minor) * 10_000n - BigInt(price.minor) * BigInt(rate));
        expect(twice <= 10_000n && twice > -10_000n).toBe(true);
      }),
    );
  });

  it('is monotonic in price', () => {
    fc.assert(
      fc.property(currency, minor, minor, bps, (code, a, b, rate) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        const feeLow = splitFee(money(low, code), rate).fee.minor;
        const feeHigh = splitFee(money(high, code), rate).fee.minor;
        expect(feeLow).toBeLessThanOrEqual(feeHigh);
      }),
    );
  });

  it('is monotonic in the rate', () => {
    fc.assert(
      fc.property(amount, bps, bps, (price, r1, r2) => {
        const [low, high] = r1 <= r2 ? [r1, r2] : [r2, r1];
        expect(splitFee(price, low).fee.minor).toBeLessThanOrEqual(splitFee(price, high).fee.minor);
      }),
    );
  });
});

describe('sums', () => {
  it('sums per currency without mixing or losing a minor unit', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 10 ** 12 }), fc.constantFrom('USD', 'JPY', 'KWD'))),
        (pairs) => {
          const amounts = pairs.map(([m, c]) => money(m, c));
          const totals = sumByCurrency(amounts);
          for (const total of totals) {
            const expected = pairs.filter(([, c]) => c === total.currency).reduce((acc, [m]) => acc + BigInt(m), 0n);
            expect(BigInt(total.minor)).toBe(expected);
            expect(
              sum(
                amounts.filter((a) => a.currency === total.currency),
                total.currency,
              ),
            ).toEqual(total);
          }
          expect(new Set(totals.map((t) => t.currency)).size).toBe(totals.length);
        },
      ),
    );
  });

  it('add and subtract are inverse', () => {
    fc.assert(
      fc.property(
        currency,
        fc.integer({ min: 0, max: 2 ** 52 }),
        fc.integer({ min: 0, max: 2 ** 52 }),
        (code, a, b) => {
          const x: Money = money(a, code);
          const y: Money = money(b, code);
          expect(subtract(add(x, y), y)).toEqual(x);
        },
      ),
    );
  });
});

describe('decimal text', () => {
  it('writes exact major-unit strings', () => {
    expect(toMajorString(money(1250, 'USD'))).toBe('12.50');
    expect(toMajorString(money(5, 'USD'))).toBe('0.05');
    expect(toMajorString(money(5, 'KWD'))).toBe('0.005');
    expect(toMajorString(money(1200, 'JPY'))).toBe('1200');
    expect(toMajorString(money(Number.MAX_SAFE_INTEGER, 'USD'))).toBe('90071992547409.91');
  });

  it('parses what people type in their locale', () => {
    expect(parseMoney('12.50', 'USD')).toEqual(money(1250, 'USD'));
    expect(parseMoney('1,234.5', 'USD', 'en-US')).toEqual(money(123450, 'USD'));
    expect(parseMoney('1.234,50', 'EUR', 'de-DE')).toEqual(money(123450, 'EUR'));
    expect(parseMoney('١٢٫٥٠', 'USD', 'ar')).toEqual(money(1250, 'USD'));
    expect(parseMoney('۱۲۰۰', 'JPY', 'fa')).toEqual(money(1200, 'JPY'));
    expect(parseMoney('0.005', 'KWD')).toEqual(money(5, 'KWD'));
    expect(parseMoney(' 7 ', 'USD')).toEqual(money(700, 'USD'));
    expect(parseMoney('12.500', 'USD')).toEqual(money(1250, 'USD'));
  });

  it.each([
    ['-5', 'USD', 'invalid_amount_text'],
    ['1e3', 'USD', 'invalid_amount_text'],
    ['abc', 'USD', 'invalid_amount_text'],
    ['', 'USD', 'invalid_amount_text'],
    ['12.345', 'USD', 'too_many_decimals'],
    ['1.5', 'JPY', 'too_many_decimals'],
    ['99999999999999999', 'USD', 'unsafe_amount'],
  ])('refuses %j in %s', (text, code, expected) => {
    expect(errorCode(() => parseMoney(text, code))).toBe(expected);
  });

  it('round-trips formatting and parsing in English and Arabic', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 ** 12 }),
        fc.constantFrom('USD', 'JPY', 'KWD', 'EUR', 'SAR'),
        fc.constantFrom('en-US', 'ar-EG', 'ar', 'de-DE'),
        (m, code, locale) => {
          const formatted = formatMoney(money(m, code), locale, 'code');
          const digitsOnly = formatted.replace(/[A-Z]{3}/g, '').trim();
          expect(parseMoney(digitsOnly, code, locale)).toEqual(money(m, code));
        },
      ),
    );
  });

  it('always shows the currency', () => {
    expect(formatMoney(money(1250, 'USD'), 'en-US')).toBe('$12.50');
    expect(formatMoney(money(1200, 'JPY'), 'en-US')).toBe('¥1,200');
    expect(formatMoney(money(1250, 'USD'), 'en-US', 'code')).toContain('USD');
    expect(formatMoney(money(1250, 'KWD'), 'ar-EG')).toMatch(/[٠-٩]/);
    expect(formatMoney(money(Number.MAX_SAFE_INTEGER, 'USD'), 'en-US')).toBe('$90,071,992,547,409.91');
  });
});
