import { type LimitRefusal, limitRefusalOf } from '../../../shared/actions';

/** The money limit a final refusal names, if it names one (shared/actions/limits.ts). */
export const limitOf = (details: unknown): LimitRefusal | null => limitRefusalOf(details);

/** The refusal's figures as a notice's flat params, for the renderer's own words. */
export function limitParams(refusal: LimitRefusal): Record<string, string | number> {
  return {
    limit: refusal.limit,
    currency: refusal.price.currency,
    maxMinor: refusal.max.minor,
    priceMinor: refusal.price.minor,
    ...(refusal.limit === 'daily_refund' ? { usedMinor: refusal.used.minor } : {}),
  };
}
