/**
 * Pricing by response time (#18). An inbox offers its standard terms (price and response
 * window) and up to two faster tiers, each a shorter window at its own price. The fan picks
 * one and sends its terms with the message; the platform holds that tier's price and sets
 * the deadline from that tier's window. One module so the platform, the settings form and
 * the fan's view agree on what is offered and what is valid.
 */
import { isValidResponseWindow } from './deadline';

export interface TierTerms {
  readonly price: { readonly minor: number; readonly currency: string };
  readonly responseWindowMs: number;
}

/** The standard terms plus at most this many faster tiers: one to three tiers in all. */
export const MAX_FASTER_TIERS = 2;

/** An inbox's terms: the standard tier's price and window, and its faster tiers. */
export interface TieredTerms<T extends TierTerms = TierTerms> {
  readonly price: T['price'];
  readonly responseWindowMs: number;
  readonly fasterTiers: readonly T[];
}

/** Every tier the inbox offers, fastest first; the standard terms are always among them. */
export function tiersOf<T extends TierTerms>(
  terms: TieredTerms<T>,
): Array<{ price: T['price']; responseWindowMs: number }> {
  const standard = { price: terms.price, responseWindowMs: terms.responseWindowMs };
  return [...terms.fasterTiers, standard].sort((a, b) => a.responseWindowMs - b.responseWindowMs);
}

export type TierProblem =
  | { readonly code: 'too_many_tiers'; readonly max: number }
  | { readonly code: 'tier_not_faster'; readonly index: number }
  | { readonly code: 'tier_window_repeated'; readonly index: number }
  | { readonly code: 'tier_window_invalid'; readonly index: number }
  | { readonly code: 'tier_price_invalid'; readonly index: number }
  | { readonly code: 'tier_currency_differs'; readonly index: number };

/** Why these terms cannot be offered (the first problem found), or null when they can. */
export function tierProblem(terms: TieredTerms): TierProblem | null {
  if (terms.fasterTiers.length > MAX_FASTER_TIERS) return { code: 'too_many_tiers', max: MAX_FASTER_TIERS };
  const seen = new Set<number>();
  for (const [index, tier] of terms.fasterTiers.entries()) {
    if (!isValidResponseWindow(tier.responseWindowMs)) return { code: 'tier_window_invalid', index };
    if (tier.responseWindowMs >= terms.responseWindowMs) return { code: 'tier_not_faster', index };
    if (seen.has(tier.responseWindowMs)) return { code: 'tier_window_repeated', index };
    seen.add(tier.responseWindowMs);
    if (!Number.isSafeInteger(tier.price.minor) || tier.price.minor <= 0) return { code: 'tier_price_invalid', index };
    if (tier.price.currency !== terms.price.currency) return { code: 'tier_currency_differs', index };
  }
  return null;
}

/** Plain words for a problem, as the platform's refusal says it. */
export function tierProblemText(problem: TierProblem): string {
  const which = 'index' in problem ? `Faster tier ${problem.index + 1}` : '';
  switch (problem.code) {
    case 'too_many_tiers':
      return `An inbox offers at most ${problem.max} faster tiers besides its standard terms`;
    case 'tier_not_faster':
      return `${which} must answer sooner than the standard response window`;
    case 'tier_window_repeated':
      return `${which} repeats another tier's response window`;
    case 'tier_window_invalid':
      return `${which} needs a response window between 1 hour and 30 days`;
    case 'tier_price_invalid':
      return `${which} needs a price of more than zero`;
    case 'tier_currency_differs':
      return `${which} must be priced in the inbox's currency`;
  }
}

/**
 * The tier whose terms a fan sent: the same window AND the same price. Null when the inbox
 * offers no such tier now — the creator changed its terms after the fan looked.
 */
export function tierFor(offered: TieredTerms, sent: TierTerms): TierTerms | null {
  return tierIn(tiersOf(offered), sent);
}

/** `tierFor` over a list of tiers already offered (a fan's own terms, say). */
export function tierIn<T extends TierTerms>(tiers: readonly T[], sent: TierTerms): T | null {
  return (
    tiers.find(
      (tier) =>
        tier.responseWindowMs === sent.responseWindowMs &&
        tier.price.minor === sent.price.minor &&
        tier.price.currency === sent.price.currency,
    ) ?? null
  );
}

/**
 * The response window a message was sent on: the platform sets its deadline to the paid
 * time plus the chosen tier's window (deadlineFor), so the window — and with it the tier —
 * is read back from the two. The one place the app names a message's tier.
 */
export function windowOf(message: { readonly paidAt: number; readonly deadline: number }): number {
  return message.deadline - message.paidAt;
}

/** The same rule in SQL, over a row with `paid_at` and `deadline` columns (`alias.` prefix). */
export function windowSql(alias: string): string {
  return `(${alias}.deadline - ${alias}.paid_at)`;
}
