import { money, splitFee, sumByCurrency } from '../../shared/money';
import { type Bench, nowMs } from './harness';

/** Fee split and per-currency sums: the cost every accept and every earnings figure pays. */
export const bench: Bench = {
  name: 'money',
  async run(ctx) {
    const n = ctx.quick ? 100_000 : 1_000_000;
    const prices = Array.from({ length: n }, (_, i) => money(100 + (i % 100_000), i % 3 === 0 ? 'JPY' : 'USD'));
    let t0 = nowMs();
    let check = 0;
    for (const price of prices) check += splitFee(price, 1000).fee.minor;
    const splitMs = nowMs() - t0;
    // Baseline in the same run: the bare integer arithmetic with no checks.
    t0 = nowMs();
    let raw = 0;
    for (const price of prices) raw += Math.floor((price.minor * 1000 + 5000) / 10000);
    const rawMs = nowMs() - t0;
    if (raw !== check) throw new Error('fee split disagrees with the raw formula');
    ctx.record({
      name: 'money.splitFee',
      value: (n / splitMs) * 1000,
      unit: 'splits/s',
      target: { op: '>', value: 1e6 },
    });
    ctx.record({
      name: 'money.splitFee.time',
      value: splitMs,
      unit: 'ms',
      baseline: { name: 'raw integer formula', value: rawMs },
    });
    t0 = nowMs();
    sumByCurrency(prices);
    ctx.record({ name: 'money.sumByCurrency', value: nowMs() - t0, unit: `ms per ${n}` });
  },
};
