/**
 * Deadlines and the urgency of pending money. The deadline is fixed when the fan pays:
 * paid_at + the inbox's response window at that moment.
 */

export const HOUR_MS = 3_600_000;
export const MIN_RESPONSE_WINDOW_MS = HOUR_MS;
export const MAX_RESPONSE_WINDOW_MS = 30 * 24 * HOUR_MS;

export function isValidResponseWindow(ms: number): boolean {
  return Number.isInteger(ms) && ms >= MIN_RESPONSE_WINDOW_MS && ms <= MAX_RESPONSE_WINDOW_MS;
}

export function deadlineFor(paidAt: number, responseWindowMs: number): number {
  if (!isValidResponseWindow(responseWindowMs)) {
    throw new RangeError(`Response window must be between 1 hour and 30 days, got ${responseWindowMs} ms`);
  }
  return paidAt + responseWindowMs;
}

/** Milliseconds left before the deadline; 0 once it has passed. */
export function timeLeft(deadline: number, now: number): number {
  return Math.max(0, deadline - now);
}

export type Urgency = 'overdue' | 'critical' | 'soon' | 'normal';

/** One definition of "at risk" for every screen: under 6 h is critical, under 24 h soon. */
export const CRITICAL_WITHIN_MS = 6 * HOUR_MS;
export const SOON_WITHIN_MS = 24 * HOUR_MS;

export function urgency(deadline: number, now: number): Urgency {
  const left = deadline - now;
  if (left <= 0) return 'overdue';
  if (left <= CRITICAL_WITHIN_MS) return 'critical';
  if (left <= SOON_WITHIN_MS) return 'soon';
  return 'normal';
}

/**
 * Orders pending messages by money at risk: the amount weighted by how soon it is lost.
 * Higher means "look at this first". A message past its deadline is already lost to
 * expiry and scores 0. Only compare scores within one currency.
 */
export function moneyAtRiskScore(amountMinor: number, deadline: number, now: number): number {
  const left = deadline - now;
  if (left <= 0) return 0;
  return amountMinor / (left / HOUR_MS + 1);
}
