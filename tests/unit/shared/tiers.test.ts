import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  deadlineFor,
  HOUR_MS,
  MAX_FASTER_TIERS,
  MAX_RESPONSE_WINDOW_MS,
  MIN_RESPONSE_WINDOW_MS,
  type TieredTerms,
  tierFor,
  tierProblem,
  tiersOf,
} from '../../../shared/message';
import { CURRENCY_CODES, money, splitFee } from '../../../shared/money';
import { MAX_PRICE_MINOR } from '../../../shared/protocol';

const price = (currency: string) => fc.integer({ min: 1, max: MAX_PRICE_MINOR }).map((minor) => money(minor, currency));
const window = fc.integer({ min: MIN_RESPONSE_WINDOW_MS, max: MAX_RESPONSE_WINDOW_MS });

/** Terms an inbox may offer: a standard tier and up to two strictly faster ones, one currency. */
const validTerms: fc.Arbitrary<TieredTerms> = fc
  .tuple(fc.constantFrom(...CURRENCY_CODES), fc.uniqueArray(window, { minLength: 1, maxLength: MAX_FASTER_TIERS + 1 }))
  .chain(([currency, windows]) => {
    const sorted = [...windows].sort((a, b) => b - a);
    const [standard = MAX_RESPONSE_WINDOW_MS, ...faster] = sorted;
    return fc.record({
      price: price(currency),
      responseWindowMs: fc.constant(standard),
      fasterTiers: fc.tuple(
        ...faster.map((w) => fc.record({ price: price(currency), responseWindowMs: fc.constant(w) })),
      ),
    });
  });

describe('tiers by response time', () => {
  it('offers the standard terms and every faster tier, fastest first, and nothing else', () => {
    fc.assert(
      fc.property(validTerms, (terms) => {
        expect(tierProblem(terms)).toBeNull();
        const tiers = tiersOf(terms);
        expect(tiers).toHaveLength(terms.fasterTiers.length + 1);
        expect(tiers).toContainEqual({ price: terms.price, responseWindowMs: terms.responseWindowMs });
        for (const [i, tier] of tiers.entries()) {
          if (i > 0) expect(tier.responseWindowMs).toBeGreaterThan(tiers[i - 1]?.responseWindowMs ?? 0);
          expect(tierFor(terms, tier)).toEqual(tier);
        }
      }),
    );
  });

  it('for every tier price, fee + net = price, and the deadline is the paid time plus the tier window', () => {
    fc.assert(
      fc.property(
        validTerms,
        fc.nat(),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 2 ** 45 }),
        (terms, pick, feeBps, paidAt) => {
          const tiers = tiersOf(terms);
          const chosen = tierFor(terms, tiers[pick % tiers.length] ?? terms);
          if (!chosen) throw new Error('an offered tier was not found');
          const split = splitFee(money(chosen.price.minor, chosen.price.currency), feeBps);
          expect(split.fee.minor + split.net.minor).toBe(chosen.price.minor);
          expect(split.fee.minor).toBeGreaterThanOrEqual(0);
          expect(split.net.minor).toBeGreaterThanOrEqual(0);
          expect(deadlineFor(paidAt, chosen.responseWindowMs) - paidAt).toBe(chosen.responseWindowMs);
        },
      ),
    );
  });

  it('finds no tier for terms that differ from every offered tier in price, currency or window', () => {
    fc.assert(
      fc.property(validTerms, fc.nat(), fc.constantFrom('price', 'currency', 'window'), (terms, pick, change) => {
        const tiers = tiersOf(terms);
        const seen = tiers[pick % tiers.length] ?? terms;
        const changed =
          change === 'price'
            ? { ...seen, price: { ...seen.price, minor: seen.price.minor + 1 } }
            : change === 'currency'
              ? { ...seen, price: { ...seen.price, currency: seen.price.currency === 'USD' ? 'EUR' : 'USD' } }
              : { ...seen, responseWindowMs: seen.responseWindowMs + 1 };
        const found = tierFor(terms, changed);
        // Another tier may happen to have exactly the changed terms; then that tier is the answer.
        if (found) expect(tiers).toContainEqual(changed);
      }),
    );
  });

  it('names the first problem of terms that cannot be offered', () => {
    const usd = (minor: number) => ({ minor, currency: 'USD' });
    const base = { price: usd(2_500), responseWindowMs: 72 * HOUR_MS };
    const tier = (hours: number, minor = 5_000, currency = 'USD') => ({
      price: { minor, currency },
      responseWindowMs: hours * HOUR_MS,
    });
    expect(tierProblem({ ...base, fasterTiers: [tier(1), tier(2), tier(3)] })?.code).toBe('too_many_tiers');
    expect(tierProblem({ ...base, fasterTiers: [tier(72)] })).toEqual({ code: 'tier_not_faster', index: 0 });
    expect(tierProblem({ ...base, fasterTiers: [tier(24), tier(24)] })).toEqual({
      code: 'tier_window_repeated',
      index: 1,
    });
    expect(tierProblem({ ...base, fasterTiers: [tier(0.5)] })?.code).toBe('tier_window_invalid');
    expect(tierProblem({ ...base, fasterTiers: [tier(24, 0)] })?.code).toBe('tier_price_invalid');
    expect(tierProblem({ ...base, fasterTiers: [tier(24, 5_000, 'EUR')] })?.code).toBe('tier_currency_differs');
    expect(tierProblem({ ...base, fasterTiers: [] })).toBeNull();
  });
});
