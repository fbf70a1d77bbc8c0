/**
 * Random ledger histories for the earnings property tests, and a naive reference that
 * recomputes every figure straight from the raw entries with Intl (one call per entry):
 * slow, obvious, and independent of the code under test.
 */
import fc from 'fast-check';
import type { CsvEntry } from '../../../electron/core/earnings/csv';
import type { ResolvedPeriod } from '../../../electron/core/earnings/period';
import { computeSummary } from '../../../electron/core/earnings/summary';
import type { CurrencyCode } from '../../../shared/money';
import type { LedgerEvent } from '../../../shared/protocol';

export const CURRENCIES = ['USD', 'JPY', 'KWD', 'EUR'] as const;
export const ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'America/Los_Angeles',
  'Australia/Sydney',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'America/St_Johns',
  'Pacific/Chatham',
  'America/Santiago',
  'Asia/Beirut',
  'Pacific/Kiritimati',
  'Pacific/Pago_Pago',
] as const;

const HOUR = 3_600_000;
/** Instants around 2026's DST changes in both hemispheres, so histories straddle them. */
const ANCHORS = [
  Date.UTC(2026, 2, 8, 10), // US spring forward
  Date.UTC(2026, 2, 29, 1), // EU spring forward
  Date.UTC(2026, 3, 5, 2), // Sydney / Chatham / Santiago fall back
  Date.UTC(2026, 8, 6, 4), // Santiago spring forward
  Date.UTC(2026, 9, 4, 2), // Sydney spring forward
  Date.UTC(2026, 9, 25, 1), // EU fall back
  Date.UTC(2026, 10, 1, 6), // US fall back
  Date.UTC(2026, 11, 31, 23), // new year
];

export const instantArb = fc.oneof(
  fc.tuple(fc.constantFrom(...ANCHORS), fc.integer({ min: -72 * HOUR, max: 72 * HOUR })).map(([a, d]) => a + d),
  // Right next to the DST changes and the local midnights around them.
  fc.tuple(fc.constantFrom(...ANCHORS), fc.integer({ min: -30 * HOUR, max: 30 * HOUR })).map(([a, d]) => a + d),
  fc.integer({ min: Date.UTC(2025, 11, 1), max: Date.UTC(2027, 0, 31) }),
);

const fanNameArb = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('Ana, "the" fan', 'line\r\nbreak', '=HYPERLINK("x")', 'ليلى', '+1 fan', '@me', 'plain'),
);

export interface MessagePlan {
  currency: (typeof CURRENCIES)[number];
  price: number;
  feeBps: number;
  paidAt: number;
  outcome: 'capture' | 'refund' | 'expire' | 'pending';
  decideAfter: number;
  windowMs: number;
  fanIndex: number;
  labels: string[];
}

const planArb: fc.Arbitrary<MessagePlan> = fc.record({
  currency: fc.constantFrom(...CURRENCIES),
  price: fc.oneof(fc.integer({ min: 1, max: 10_000_000 }), fc.constantFrom(1, 5, 999_999_999_999)),
  feeBps: fc.integer({ min: 0, max: 10_000 }),
  paidAt: instantArb,
  outcome: fc.constantFrom('capture', 'refund', 'expire', 'pending'),
  decideAfter: fc.integer({ min: 0, max: 96 * HOUR }),
  windowMs: fc.constantFrom(HOUR, 24 * HOUR, 72 * HOUR, 7 * 24 * HOUR),
  fanIndex: fc.integer({ min: 0, max: 5 }),
  labels: fc.uniqueArray(fc.constantFrom('vip', 'question', 'collab'), { maxLength: 2 }),
});

export interface History {
  events: LedgerEvent[];
  deadlines: Map<string, number>;
  /** The response window each message was paid for (its tier). */
  windows: Map<string, number>;
  labels: Map<string, string[]>;
  fanNames: Map<string, string>;
}

export const historyArb: fc.Arbitrary<History> = fc
  .record({
    plans: fc.array(planArb, { maxLength: 60 }),
    payouts: fc.array(
      fc.record({
        currency: fc.constantFrom(...CURRENCIES),
        amount: fc.integer({ min: 1, max: 5_000_000 }),
        at: instantArb,
      }),
      { maxLength: 4 },
    ),
    fanNames: fc.array(fanNameArb, { minLength: 6, maxLength: 6 }),
  })
  .map(({ plans, payouts, fanNames }) => {
    const events: LedgerEvent[] = [];
    const deadlines = new Map<string, number>();
    const windows = new Map<string, number>();
    const labels = new Map<string, string[]>();
    const names = new Map(fanNames.map((name, i) => [`fan-${i}`, name]));
    const m = (minor: number, currency: CurrencyCode) => ({ minor, currency });
    plans.forEach((plan, i) => {
      const messageId = `msg-${i}`;
      const fanId = `fan-${plan.fanIndex}`;
      const deadline = plan.paidAt + plan.windowMs;
      deadlines.set(messageId, deadline);
      windows.set(messageId, plan.windowMs);
      labels.set(messageId, plan.labels);
      // One ledger entry of this message; only a capture keeps a fee and a net.
      const entry = (kind: 'hold' | 'capture' | 'refund' | 'expire', at: number, fee = 0): LedgerEvent => ({
        messageId,
        fanId,
        actorId: null,
        id: `${messageId}-${kind}`,
        kind,
        gross: m(plan.price, plan.currency),
        fee: m(fee, plan.currency),
        net: m(kind === 'capture' ? plan.price - fee : 0, plan.currency),
        at,
      });
      events.push(entry('hold', plan.paidAt));
      const decidedAt = Math.min(plan.paidAt + plan.decideAfter, deadline - 1);
      if (plan.outcome === 'capture') {
        events.push(entry('capture', decidedAt, Number((BigInt(plan.price) * BigInt(plan.feeBps) + 5000n) / 10000n)));
      } else if (plan.outcome === 'refund') {
        events.push(entry('refund', decidedAt));
      } else if (plan.outcome === 'expire') {
        events.push(entry('expire', deadline));
      }
    });
    payouts.forEach((p, i) => {
      events.push({
        id: `payout-${i}`,
        kind: 'payout',
        messageId: null,
        fanId: null,
        actorId: 'owner',
        gross: m(p.amount, p.currency),
        fee: m(0, p.currency),
        net: m(0, p.currency), // as the platform posts payouts
        at: p.at,
      });
    });
    return { events: events as LedgerEvent[], deadlines, windows, labels, fanNames: names };
  });

/** The code under test's summary of a generated history (nothing queued on the device). */
export function summaryOf(history: History, period: ResolvedPeriod, now: number) {
  return computeSummary({
    events: history.events,
    deadlineOf: (id) => history.deadlines.get(id),
    queued: [],
    period,
    now,
  });
}

// ---- the naive reference ------------------------------------------------------------------

const dateFormats = new Map<string, Intl.DateTimeFormat>();
/** "YYYY-MM-DD" of an instant in a zone, straight from Intl. */
export function naiveLocalDate(instant: number, timeZone: string): string {
  let format = dateFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export type Spec = { kind: 'today' | '7d' | '30d' | 'month' | 'year' } | { kind: 'custom'; from: string; to: string };

export function naivePeriod(spec: Spec, timeZone: string, now: number): { from: string; to: string } {
  const today = naiveLocalDate(now, timeZone);
  const [y, m] = today.split('-').map(Number) as [number, number];
  switch (spec.kind) {
    case 'today':
      return { from: today, to: today };
    case '7d':
      return { from: addDays(today, -6), to: today };
    case '30d':
      return { from: addDays(today, -29), to: today };
    case 'month':
      return { from: `${today.slice(0, 7)}-01`, to: new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10) };
    case 'year':
      return { from: `${y}-01-01`, to: `${y}-12-31` };
    case 'custom':
      return { from: spec.from, to: spec.to };
  }
}

export const specArb: fc.Arbitrary<Spec> = fc.oneof(
  fc.constantFrom<Spec>({ kind: 'today' }, { kind: '7d' }, { kind: '30d' }, { kind: 'month' }, { kind: 'year' }),
  fc.tuple(instantArb, fc.integer({ min: 0, max: 120 })).map(([at, span]) => {
    const from = new Date(at).toISOString().slice(0, 10);
    return { kind: 'custom', from, to: addDays(from, span) } as Spec;
  }),
);

/** What every figure is asked about: a history, the period asked for, the zone, and now. */
export const askedArb = fc.record({
  history: historyArb,
  spec: specArb,
  timeZone: fc.constantFrom(...ZONES),
  now: instantArb,
});

/** The CSV row an entry should export as, worked out from the entry itself (the export reads it from the store). */
export function csvEntryOf(e: LedgerEvent, fanNames: ReadonlyMap<string, string>): CsvEntry {
  return {
    id: e.id,
    kind: e.kind,
    at: e.at,
    messageId: e.messageId,
    fanId: e.fanId,
    fanName: e.fanId ? (fanNames.get(e.fanId) ?? null) : null,
    currency: e.gross.currency as CsvEntry['currency'],
    gross: e.gross.minor,
    fee: e.fee.minor,
    net: e.net.minor,
  };
}
