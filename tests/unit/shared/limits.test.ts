import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batchLimitRefusal, limitRefusal, limitRefusalText } from '../../../shared/actions';
import { money } from '../../../shared/money';

const minor = fc.integer({ min: 1, max: 10_000_000 });
const optionalLimit = fc.option(minor, { nil: null });
const USD = (m: number) => money(m, 'USD');

describe('money limits per member (shared/actions/limits)', () => {
  it('refuses exactly when the price passes the largest price, or the refunds of the last 24 h would pass the daily total', () => {
    fc.assert(
      fc.property(
        optionalLimit,
        optionalLimit,
        minor,
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.constantFrom('accept', 'refund' as const),
        (max, daily, price, used, decision) => {
          const limits = { maxPrice: max === null ? null : USD(max), dailyRefund: daily === null ? null : USD(daily) };
          const refusal = limitRefusal('manager', limits, decision, USD(price), USD(used));
          const overPrice = max !== null && price > max;
          const overDaily = decision === 'refund' && daily !== null && used + price > daily;
          expect(refusal !== null).toBe(overPrice || overDaily);
          // The price limit is named first; the refusal carries the figures it was decided on.
          if (overPrice) expect(refusal).toEqual({ limit: 'max_price', max: USD(max), price: USD(price) });
          else if (overDaily)
            expect(refusal).toEqual({ limit: 'daily_refund', max: USD(daily), used: USD(used), price: USD(price) });
          // An owner is never limited.
          expect(limitRefusal('owner', limits, decision, USD(price), USD(used))).toBeNull();
        },
      ),
    );
  });

  it('is monotone: a lower price or less refunded never turns an allowed decision into a refused one', () => {
    fc.assert(
      fc.property(
        optionalLimit,
        optionalLimit,
        minor,
        minor,
        fc.integer({ min: 0, max: 1_000_000 }),
        (max, daily, a, b, used) => {
          const limits = { maxPrice: max === null ? null : USD(max), dailyRefund: daily === null ? null : USD(daily) };
          const [low, high] = a <= b ? [a, b] : [b, a];
          if (limitRefusal('manager', limits, 'refund', USD(high), USD(used)) === null) {
            expect(limitRefusal('manager', limits, 'refund', USD(low), USD(used))).toBeNull();
          }
        },
      ),
    );
  });

  it('refuses a limit in another currency than the price, since the two cannot be compared', () => {
    const limits = { maxPrice: money(5_000, 'EUR'), dailyRefund: null };
    expect(limitRefusal('manager', limits, 'accept', USD(100), USD(0))?.limit).toBe('max_price');
    expect(limitRefusal('manager', null, 'accept', USD(100), USD(0))).toBeNull();
  });

  it('refuses a batch of refunds (a block) as a whole exactly when one price passes the largest, or all of them with the last 24 h pass the daily total', () => {
    fc.assert(
      fc.property(
        optionalLimit,
        optionalLimit,
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { maxLength: 8 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        (max, daily, prices, used) => {
          const limits = { maxPrice: max === null ? null : USD(max), dailyRefund: daily === null ? null : USD(daily) };
          const refusal = batchLimitRefusal('manager', limits, 'refund', prices.map(USD), USD(used));
          const sum = prices.reduce((a, b) => a + b, 0);
          const overMax = max !== null && prices.some((p) => p > max);
          const overDaily = daily !== null && prices.length > 0 && used + sum > daily;
          expect(refusal !== null).toBe(overMax || overDaily);
          // A batch of one is the single decision's rule; an owner is never refused.
          if (prices.length === 1) {
            expect(refusal).toEqual(limitRefusal('manager', limits, 'refund', USD(prices[0] ?? 0), USD(used)));
          }
          expect(batchLimitRefusal('owner', limits, 'refund', prices.map(USD), USD(used))).toBeNull();
        },
      ),
    );
  });

  it('names the limit in its text, in exact decimal amounts', () => {
    expect(limitRefusalText({ limit: 'max_price', max: USD(5_000), price: USD(8_050) })).toBe(
      'Over your limit: you may accept or refund messages up to USD 50.00; this one is USD 80.50.',
    );
    expect(
      limitRefusalText({
        limit: 'daily_refund',
        max: money(200, 'JPY'),
        used: money(150, 'JPY'),
        price: money(80, 'JPY'),
      }),
    ).toContain('daily refund limit of JPY 200');
  });
});
