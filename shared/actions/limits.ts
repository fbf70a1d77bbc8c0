import { z } from 'zod';
import type { Money } from '../money/amount';
import { money, toMajorString } from '../money/amount';
import { MoneySchema } from '../protocol/common';
import type { MemberLimits } from '../protocol/entities';
import type { Role } from './permission';

/** One window for the daily refund total: any 24 hours, so it means the same in every zone. */
export const REFUND_WINDOW_MS = 24 * 3_600_000;

export type LimitRefusal =
  | { readonly limit: 'max_price'; readonly max: Money; readonly price: Money }
  | { readonly limit: 'daily_refund'; readonly max: Money; readonly used: Money; readonly price: Money };

/**
 * "Is this decision within the member's money limits": the platform asks before it moves
 * money, the renderer before the person acts, so both give the same answer. `refundedRecently`
 * is what this member refunded in the inbox in the last REFUND_WINDOW_MS, in the price's
 * currency. An owner has no limits; a limit in another currency than the price refuses,
 * since the two cannot be compared.
 */
export function limitRefusal(
  role: Role,
  limits: MemberLimits | null | undefined,
  decision: 'accept' | 'refund',
  price: Money,
  refundedRecently: Money,
): LimitRefusal | null {
  if (role === 'owner' || !limits) return null;
  const { maxPrice, dailyRefund } = limits;
  if (maxPrice && (maxPrice.currency !== price.currency || price.minor > maxPrice.minor)) {
    return { limit: 'max_price', max: maxPrice as Money, price };
  }
  if (decision === 'refund' && dailyRefund) {
    const over =
      dailyRefund.currency !== price.currency ||
      refundedRecently.currency !== price.currency ||
      refundedRecently.minor + price.minor > dailyRefund.minor;
    if (over) return { limit: 'daily_refund', max: dailyRefund as Money, used: refundedRecently, price };
  }
  return null;
}

/**
 * The same rule for several decisions taken at once in one currency (a block that refunds
 * the fan's waiting messages): each is counted after the refunds before it, and the first
 * one over a limit refuses the whole batch — nothing is half done. The platform applies it
 * under the inbox's lock; the renderer before the person confirms.
 */
export function batchLimitRefusal(
  role: Role,
  limits: MemberLimits | null | undefined,
  decision: 'accept' | 'refund',
  prices: readonly Money[],
  refundedRecently: Money,
): LimitRefusal | null {
  let used = refundedRecently;
  for (const price of prices) {
    const refusal = limitRefusal(role, limits, decision, price, used);
    if (refusal) return refusal;
    if (decision === 'refund') used = money(used.minor + price.minor, used.currency);
  }
  return null;
}

const amount = (m: Money) => `${m.currency} ${toMajorString(m)}`;

/** The refusal in plain English for the platform's error message: it names the limit. */
export function limitRefusalText(refusal: LimitRefusal): string {
  return refusal.limit === 'max_price'
    ? `Over your limit: you may accept or refund messages up to ${amount(refusal.max)}; this one is ${amount(refusal.price)}.`
    : `Over your daily refund limit of ${amount(refusal.max)}: you refunded ${amount(refusal.used)} in the last 24 hours, and this one is ${amount(refusal.price)}.`;
}

/** A limit refusal as the platform sends it in `error.details`; anything else is not one. */
const LimitRefusalSchema = z.discriminatedUnion('limit', [
  z.object({ limit: z.literal('max_price'), max: MoneySchema, price: MoneySchema }),
  z.object({ limit: z.literal('daily_refund'), max: MoneySchema, used: MoneySchema, price: MoneySchema }),
]);

export function limitRefusalOf(details: unknown): LimitRefusal | null {
  const parsed = LimitRefusalSchema.safeParse(details);
  return parsed.success ? (parsed.data as LimitRefusal) : null;
}
