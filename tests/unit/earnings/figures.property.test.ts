import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeBreakdown } from '../../../electron/core/earnings/breakdown';
import { resolvePeriod } from '../../../electron/core/earnings/period';
import { computeSeries } from '../../../electron/core/earnings/series';
import type { LedgerEvent } from '../../../shared/protocol';
import {
  addDays,
  askedArb,
  historyArb,
  instantArb,
  naiveLocalDate,
  naivePeriod,
  specArb,
  summaryOf,
  ZONES,
} from './history';

const RUNS = 300;
const DAY = 86_400_000;

type Key = string;
const bump = (map: Map<Key, bigint>, key: Key, value: number) => map.set(key, (map.get(key) ?? 0n) + BigInt(value));
const get = (map: Map<Key, bigint>, key: Key) => Number(map.get(key) ?? 0n);

function naiveMedian(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : Math.floor(((s[mid - 1] as number) + (s[mid] as number)) / 2);
}

describe('earnings figures equal a naive recomputation from the raw entries', () => {
  it('summary: every figure, per currency, for any period and zone (DST included)', () => {
    fc.assert(
      fc.property(historyArb, specArb, fc.constantFrom(...ZONES), instantArb, (history, spec, timeZone, now) => {
        const period = resolvePeriod(spec, timeZone, now);
        const summary = summaryOf(history, period, now);
        const { from, to } = naivePeriod(spec, timeZone, now);
        expect([period.fromDate, period.toDate]).toEqual([from, to]);
        // The period's instants are the first instants of its first day and of the day after.
        expect(naiveLocalDate(period.start, timeZone)).toBe(from);
        expect(naiveLocalDate(period.start - 1, timeZone) < from).toBe(true);
        expect(naiveLocalDate(period.end, timeZone)).toBe(addDays(to, 1));
        expect(naiveLocalDate(period.end - 1, timeZone)).toBe(to);
        const inPeriod = (e: LedgerEvent) => {
          const date = naiveLocalDate(e.at, timeZone);
          return date >= from && date <= to;
        };
        const seen = history.events;
        const sums = new Map<Key, bigint>();
        const counts = new Map<Key, bigint>();
        const holdAt = new Map<string, number>();
        const settled = new Set<string>();
        for (const e of seen) {
          if (e.kind === 'hold' && e.messageId) holdAt.set(e.messageId, e.at);
          if (['capture', 'refund', 'expire'].includes(e.kind) && e.messageId) settled.add(e.messageId);
        }
        const durations = new Map<string, number[]>();
        for (const e of seen) {
          const c = e.gross.currency;
          if (e.kind === 'capture') bump(sums, `${c}:earned`, e.net.minor);
          if (e.kind === 'payout') bump(sums, `${c}:paidOutAll`, e.gross.minor);
          if (!inPeriod(e)) continue;
          bump(counts, `${c}:${e.kind}`, 1);
          bump(sums, `${c}:${e.kind}:gross`, e.gross.minor);
          bump(sums, `${c}:${e.kind}:fee`, e.fee.minor);
          bump(sums, `${c}:${e.kind}:net`, e.net.minor);
          if ((e.kind === 'capture' || e.kind === 'refund') && e.messageId && holdAt.has(e.messageId)) {
            const list = durations.get(c) ?? [];
            list.push(e.at - (holdAt.get(e.messageId) as number));
            durations.set(c, list);
          }
        }
        for (const [messageId, at] of holdAt) {
          if (settled.has(messageId)) continue;
          const hold = seen.find((e) => e.kind === 'hold' && e.messageId === messageId) as LedgerEvent;
          const c = hold.gross.currency;
          bump(counts, `${c}:held`, 1);
          bump(sums, `${c}:held`, hold.gross.minor);
          if ((history.deadlines.get(messageId) as number) - now <= DAY) {
            bump(counts, `${c}:soon`, 1);
            bump(sums, `${c}:soon`, hold.gross.minor);
          }
          expect(at).toBe(hold.at);
        }
        const currencies = [...new Set(seen.map((e) => e.gross.currency))].sort();
        expect(summary.currencies.map((c) => c.currency)).toEqual(currencies);
        let accepted = 0;
        let decided = 0;
        for (const figures of summary.currencies) {
          const c = figures.currency;
          const amount = (minor: number) => ({ minor, currency: c });
          // How many entries of a kind, and their gross in this currency.
          const counted = (kind: string) => ({
            count: get(counts, `${c}:${kind}`),
            amount: amount(get(sums, `${c}:${kind}:gross`)),
          });
          expect(figures.received).toEqual(counted('hold'));
          expect(figures.accepted).toEqual({
            count: get(counts, `${c}:capture`),
            gross: amount(get(sums, `${c}:capture:gross`)),
            fee: amount(get(sums, `${c}:capture:fee`)),
            net: amount(get(sums, `${c}:capture:net`)),
          });
          expect(figures.accepted.fee.minor + figures.accepted.net.minor).toBe(figures.accepted.gross.minor);
          expect(figures.refunded).toEqual(counted('refund'));
          expect(figures.expired).toEqual(counted('expire'));
          expect(figures.paidOut).toEqual(counted('payout'));
          const decidedHere = get(counts, `${c}:capture`) + get(counts, `${c}:refund`) + get(counts, `${c}:expire`);
          expect(figures.acceptance).toEqual({ accepted: get(counts, `${c}:capture`), decided: decidedHere });
          accepted += get(counts, `${c}:capture`);
          decided += decidedHere;
          expect(figures.medianDecisionMs).toBe(naiveMedian(durations.get(c) ?? []));
          expect(figures.held).toEqual({ count: get(counts, `${c}:held`), amount: amount(get(sums, `${c}:held`)) });
          expect(figures.expiringSoon).toEqual({
            count: get(counts, `${c}:soon`),
            amount: amount(get(sums, `${c}:soon`)),
          });
          const available = get(sums, `${c}:earned`) - get(sums, `${c}:paidOutAll`);
          expect(figures.available).toEqual(amount(Math.max(0, available)));
        }
        expect(summary.acceptance).toEqual({ accepted, decided });
        expect(summary.medianDecisionMs).toBe(naiveMedian([...durations.values()].flat()));
      }),
      { numRuns: RUNS },
    );
  });

  it('series: net per local day, ISO week and month, DST-correct, sums to the period net', () => {
    fc.assert(
      fc.property(
        askedArb,
        fc.constantFrom('day', 'week', 'month') as fc.Arbitrary<'day' | 'week' | 'month'>,
        ({ history, spec, timeZone, now }, granularity) => {
          const period = resolvePeriod(spec, timeZone, now);
          const series = computeSeries(history.events, period, granularity);
          const { from, to } = naivePeriod(spec, timeZone, now);
          const keyOf = (date: string) => {
            if (granularity === 'day') return date;
            if (granularity === 'month') return `${date.slice(0, 7)}-01`;
            const weekday = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday
            return addDays(date, -((weekday + 6) % 7));
          };
          const expected = new Map<Key, bigint>();
          for (const e of history.events) {
            if (e.kind !== 'capture') continue;
            const date = naiveLocalDate(e.at, timeZone);
            if (date < from || date > to) continue;
            bump(expected, `${e.gross.currency}:${keyOf(date)}`, e.net.minor);
          }
          const keys = series.buckets.map((b) => b.key);
          expect(keys[0]).toBe(keyOf(from));
          expect(keys.at(-1)).toBe(keyOf(to));
          expect(new Set(keys).size).toBe(keys.length);
          for (const [i, bucket] of series.buckets.entries()) {
            // Each bucket starts at the local midnight of its first day in the period.
            const first = [bucket.key, from].sort()[1] as string; // the later of two ISO dates
            expect(naiveLocalDate(bucket.start, timeZone)).toBe(first);
            expect(naiveLocalDate(bucket.start - 1, timeZone) < first).toBe(true);
            if (i > 0) expect(series.buckets[i - 1]?.end).toBe(bucket.start);
          }
          const got = new Map<Key, bigint>();
          for (const line of series.currencies) {
            line.net.forEach((net, i) => {
              if (net !== 0) bump(got, `${line.currency}:${keys[i]}`, net);
            });
          }
          for (const [key, value] of [...expected]) if (value === 0n) expected.delete(key);
          expect(Object.fromEntries(got)).toEqual(Object.fromEntries(expected));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('breakdown: per label (a message counts under each of its labels) and top supporters', () => {
    fc.assert(
      fc.property(askedArb, fc.integer({ min: 1, max: 4 }), ({ history, spec, timeZone, now }, limit) => {
        const period = resolvePeriod(spec, timeZone, now);
        const breakdown = computeBreakdown({
          events: history.events,
          labelsOf: (id) => history.labels.get(id) ?? [],
          fanNameOf: (id) => history.fanNames.get(id),
          windowOf: (id) => history.windows.get(id),
          period,
          limit,
        });
        const { from, to } = naivePeriod(spec, timeZone, now);
        const captures = history.events.filter((e) => {
          const date = naiveLocalDate(e.at, timeZone);
          return e.kind === 'capture' && date >= from && date <= to;
        });
        const labelNet = new Map<Key, bigint>();
        const fanPaid = new Map<Key, bigint>();
        for (const e of captures) {
          const labels = history.labels.get(e.messageId as string) ?? [];
          for (const label of labels.length ? labels : ['(none)'])
            bump(labelNet, `${e.gross.currency}:${label}`, e.net.minor);
          bump(fanPaid, `${e.gross.currency}:${e.fanId}`, e.gross.minor);
        }
        expect(
          Object.fromEntries(
            breakdown.labels.map((l) => [`${l.currency}:${l.label ?? '(none)'}`, BigInt(l.net.minor)]),
          ),
        ).toEqual(Object.fromEntries(labelNet));
        for (const currency of new Set(captures.map((e) => e.gross.currency))) {
          const ranked = [...fanPaid.entries()]
            .filter(([k]) => k.startsWith(`${currency}:`))
            .map(([k, v]) => ({ fanId: k.slice(currency.length + 1), paid: v }))
            .sort((a, b) => (a.paid > b.paid ? -1 : a.paid < b.paid ? 1 : a.fanId < b.fanId ? -1 : 1))
            .slice(0, limit);
          const got = breakdown.supporters.filter((s) => s.currency === currency);
          expect(got.map((s) => ({ fanId: s.fanId, paid: BigInt(s.paid.minor) }))).toEqual(ranked);
          for (const s of got) expect(s.fanName).toBe(history.fanNames.get(s.fanId));
        }
        // By tier (#18): each capture once, under the window its message was paid for.
        const tierMoney = new Map<Key, bigint>();
        for (const e of captures) {
          const key: Key = `${e.gross.currency}:${history.windows.get(e.messageId as string)}`;
          bump(tierMoney, `${key}:gross`, e.gross.minor);
          bump(tierMoney, `${key}:net`, e.net.minor);
          bump(tierMoney, `${key}:count`, 1);
        }
        const gotTiers = new Map<Key, bigint>();
        for (const tier of breakdown.tiers) {
          const key: Key = `${tier.currency}:${tier.windowMs}`;
          bump(gotTiers, `${key}:gross`, tier.gross.minor);
          bump(gotTiers, `${key}:net`, tier.net.minor);
          bump(gotTiers, `${key}:count`, tier.count);
        }
        expect(Object.fromEntries(gotTiers)).toEqual(Object.fromEntries(tierMoney));
        const order = breakdown.tiers.map((tier) => [tier.currency, tier.windowMs] as const);
        const sorted = [...order].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
        expect(order).toEqual(sorted);
      }),
      { numRuns: RUNS },
    );
  });
});
