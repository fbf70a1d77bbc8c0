import { type Money, money } from './amount';
import { MoneyError } from './currency';

/** Basis points: 1 bps = 0.01 %. 10000 bps = the whole price. */
export const MAX_FEE_BPS = 10_000;

export interface FeeSplit {
  /** What the fan paid. */
  readonly price: Money;
  /** The platform's cut. */
  readonly fee: Money;
  /** What the creator earns. fee + net === price, always. */
  readonly net: Money;
  readonly feeBps: number;
}

export function checkFeeBps(bps: unknown): number {
  if (typeof bps !== 'number' || !Number.isInteger(bps) || bps < 0 || bps > MAX_FEE_BPS) {
    throw new MoneyError(
      'invalid_fee_rate',
      `Fee rate must be a whole number of basis points from 0 to ${MAX_FEE_BPS}, got ${String(bps)}`,
    );
  }
  return bps;
}

/**
 * Splits a price into the platform fee and the creator's net.
 * fee = round_half_up(price * bps / 10000), computed in bigint so that it is exact for
 * any safe price; net = price - fee, so nothing is rounded twice.
 */
export function splitFee(price: Money, feeBps: number): FeeSplit {
  const bps = checkFeeBps(feeBps);
  const checked = money(price.minor, price.currency);
  const fee = (BigInt(checked.minor) * BigInt(bps) + 5_000n) / 10_000n;
  const feeMinor = Number(fee);
  return {
    price: checked,
    fee: money(feeMinor, checked.currency),
    net: money(checked.minor - feeMinor, checked.currency),
    feeBps: bps,
  };
}
