import type { CurrencyEarnings, EarningsSummary, WaitingToSync } from '../../../shared/contract/earnings';
import { SOON_WITHIN_MS } from '../../../shared/message';
import { type CurrencyCode, type Money, moneyFromBigInt } from '../../../shared/money';
import type { LedgerEvent } from '../../../shared/protocol';
import type { ResolvedPeriod } from './period';
import { CountedTotal, medianMs, perCurrency } from './tally';

/** A decision made on this device that the platform has not confirmed yet. */
export interface QueuedDecision {
  readonly kind: 'accept' | 'refund';
  readonly price: Money;
}

export interface SummaryInput {
  /** Every synced ledger event of the inbox, in any order. */
  readonly events: Iterable<LedgerEvent>;
  /** Deadlines of messages, for held payments about to expire. */
  readonly deadlineOf: (messageId: string) => number | undefined;
  readonly queued: Iterable<QueuedDecision>;
  readonly period: ResolvedPeriod;
  /** For "expiring in the next 24 hours". */
  readonly now: number;
}

/** What both the reference and the SQL path add up per currency. */
export class CurrencyTally {
  readonly received = new CountedTotal();
  readonly accepted = new CountedTotal();
  acceptedFee = 0n;
  acceptedNet = 0n;
  readonly refunded = new CountedTotal();
  readonly expired = new CountedTotal();
  readonly paidOut = new CountedTotal();
  earnedAllTime = 0n;
  paidOutAllTime = 0n;
  readonly held = new CountedTotal();
  readonly expiringSoon = new CountedTotal();
}

/** The reference keeps every decision time, for exact medians. */
class ReferenceTally extends CurrencyTally {
  readonly decisionsMs: number[] = [];
}

const SETTLING = new Set(['capture', 'refund', 'expire']);

export function periodToWire(period: ResolvedPeriod): EarningsSummary['period'] {
  const { kind, timeZone, fromDate, toDate, start, end } = period;
  return { kind, timeZone, fromDate, toDate, start, end };
}

/**
 * Every figure of the earnings screen, from raw ledger events, in one pass plus one pass
 * over the holds. The reference implementation: the SQL path must agree with it.
 */
export function computeSummary(input: SummaryInput): EarningsSummary {
  const { period, now } = input;
  const tallies = perCurrency(() => new ReferenceTally());
  const holds = new Map<string, LedgerEvent>();
  const settled = new Set<string>();
  const decisions: LedgerEvent[] = [];

  // Every synced event counts, even one stamped a little after this device's clock: the
  // platform is the judge of time, and its clock may run ahead of ours.
  for (const event of input.events) {
    const tally = tallies.get(event.gross.currency);
    const inPeriod = event.at >= period.start && event.at < period.end;
    switch (event.kind) {
      case 'hold':
        if (event.messageId) holds.set(event.messageId, event);
        if (inPeriod) tally.received.add(event.gross.minor);
        break;
      case 'capture':
        tally.earnedAllTime += BigInt(event.net.minor);
        if (inPeriod) {
          tally.accepted.add(event.gross.minor);
          tally.acceptedFee += BigInt(event.fee.minor);
          tally.acceptedNet += BigInt(event.net.minor);
          decisions.push(event);
        }
        break;
      case 'refund':
        if (inPeriod) {
          tally.refunded.add(event.gross.minor);
          decisions.push(event);
        }
        break;
      case 'expire':
        if (inPeriod) tally.expired.add(event.gross.minor);
        break;
      case 'payout':
        tally.paidOutAllTime += BigInt(event.gross.minor);
        if (inPeriod) tally.paidOut.add(event.gross.minor);
        break;
    }
    if (SETTLING.has(event.kind) && event.messageId) settled.add(event.messageId);
  }

  const allDecisionsMs: number[] = [];
  for (const decision of decisions) {
    const hold = decision.messageId ? holds.get(decision.messageId) : undefined;
    if (!hold || decision.at < hold.at) continue;
    const ms = decision.at - hold.at;
    tallies.get(decision.gross.currency).decisionsMs.push(ms);
    allDecisionsMs.push(ms);
  }

  for (const [messageId, hold] of holds) {
    if (settled.has(messageId)) continue;
    const tally = tallies.get(hold.gross.currency);
    tally.held.add(hold.gross.minor);
    const deadline = input.deadlineOf(messageId);
    if (deadline !== undefined && deadline - now <= SOON_WITHIN_MS) tally.expiringSoon.add(hold.gross.minor);
  }

  const waiting = perCurrency(() => ({ accepts: new CountedTotal(), refunds: new CountedTotal() }));
  for (const queued of input.queued) {
    const entry = waiting.get(queued.price.currency);
    (queued.kind === 'accept' ? entry.accepts : entry.refunds).add(queued.price.minor);
  }

  return assembleSummary(
    period,
    now,
    tallies.entries().map(([currency, t]) => [currency, t, medianMs(t.decisionsMs)]),
    medianMs(allDecisionsMs),
    waiting.entries().map(
      ([currency, w]): WaitingToSync => ({
        currency,
        accepts: w.accepts.toJSON(currency),
        refunds: w.refunds.toJSON(currency),
      }),
    ),
  );
}

/**
 * The summary from per-currency tallies (with each currency's median decision time): one
 * assembly for the reference and the SQL path, so acceptance, the totals and what is
 * available cannot be worked out two ways.
 */
export function assembleSummary(
  period: ResolvedPeriod,
  now: number,
  tallies: readonly (readonly [CurrencyCode, CurrencyTally, number | null])[],
  medianDecisionMs: number | null,
  waitingToSync: WaitingToSync[],
): EarningsSummary {
  let accepted = 0;
  let decided = 0;
  const currencies = tallies.map(([currency, t, median]) => {
    const acceptance = { accepted: t.accepted.count, decided: t.accepted.count + t.refunded.count + t.expired.count };
    accepted += acceptance.accepted;
    decided += acceptance.decided;
    return currencyEarnings(currency, t, acceptance, median);
  });
  return {
    period: periodToWire(period),
    asOf: now,
    currencies,
    acceptance: { accepted, decided },
    medianDecisionMs,
    waitingToSync,
  };
}

function currencyEarnings(
  currency: CurrencyCode,
  f: CurrencyTally,
  acceptance: CurrencyEarnings['acceptance'],
  medianDecisionMs: number | null,
): CurrencyEarnings {
  const availableMinor = f.earnedAllTime - f.paidOutAllTime;
  return {
    currency,
    received: f.received.toJSON(currency),
    accepted: {
      count: f.accepted.count,
      gross: moneyFromBigInt(f.accepted.minor, currency),
      fee: moneyFromBigInt(f.acceptedFee, currency),
      net: moneyFromBigInt(f.acceptedNet, currency),
    },
    refunded: f.refunded.toJSON(currency),
    expired: f.expired.toJSON(currency),
    paidOut: f.paidOut.toJSON(currency),
    acceptance,
    medianDecisionMs,
    held: f.held.toJSON(currency),
    expiringSoon: f.expiringSoon.toJSON(currency),
    // Payouts can only take what was earned; a negative figure means the ledger is only
    // partly synced, and showing zero is more honest than a negative balance.
    available: moneyFromBigInt(availableMinor > 0n ? availableMinor : 0n, currency),
  };
}
