import type { EarningsSeries, Granularity } from '../../../shared/contract/earnings';
import type { CurrencyCode } from '../../../shared/money';
import type { LedgerEvent } from '../../../shared/protocol';
import { CoreError } from '../errors';
import type { ResolvedPeriod } from './period';
import { periodToWire } from './summary';
import { addMonths, dayToIso, monthStart, weekStart, zoneFor } from './zone';

/** Enough for three years per day; longer periods are charted per week or month. */
export const MAX_BUCKETS = 1_100;

export interface Buckets {
  /** Calendar start day of each bucket. */
  readonly startDays: number[];
  readonly buckets: EarningsSeries['buckets'];
  /** Index of the bucket a local day belongs to, or -1 outside the period. */
  indexOfDay(day: number): number;
  /** Index of the bucket an instant belongs to (binary search), or -1 outside the period. */
  indexOfInstant(instant: number): number;
}

/**
 * Buckets of local calendar days covering the period: every day, ISO week (Monday) or
 * month, with the instants where each begins and ends in the user's zone (a DST day is
 * 23 or 25 hours long). The first and last buckets are clipped to the period.
 */
export function bucketsFor(period: ResolvedPeriod, granularity: Granularity): Buckets {
  const zone = zoneFor(period.timeZone);
  const first =
    granularity === 'day'
      ? period.fromDay
      : granularity === 'week'
        ? weekStart(period.fromDay)
        : monthStart(period.fromDay);
  const next = (day: number) =>
    granularity === 'day' ? day + 1 : granularity === 'week' ? day + 7 : addMonths(day, 1);
  const startDays: number[] = [];
  for (let day = first; day < period.toDay; day = next(day)) {
    startDays.push(day);
    if (startDays.length > MAX_BUCKETS) {
      throw new CoreError('invalid_input', `Too many ${granularity}s in this period to chart; choose a coarser step`);
    }
  }
  const starts = startDays.map((day) => zone.startOfDay(Math.max(day, period.fromDay)));
  const buckets = startDays.map((day, i) => ({
    key: dayToIso(day),
    start: starts[i] as number,
    end: i + 1 < starts.length ? (starts[i + 1] as number) : period.end,
  }));
  const locate = (values: readonly number[], value: number): number => {
    let lo = 0;
    let hi = values.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((values[mid] as number) <= value) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  return {
    startDays,
    buckets,
    indexOfDay: (day) => (day < period.fromDay || day >= period.toDay ? -1 : locate(startDays, day)),
    indexOfInstant: (instant) => (instant < period.start || instant >= period.end ? -1 : locate(starts, instant)),
  };
}

export class SeriesBuilder {
  private readonly lines = new Map<CurrencyCode, { net: bigint[]; gross: bigint[]; accepted: number[] }>();
  constructor(private readonly size: number) {}
  add(currency: CurrencyCode, index: number, gross: number | bigint, net: number | bigint, count: number): void {
    let line = this.lines.get(currency);
    if (!line) {
      line = {
        net: new Array<bigint>(this.size).fill(0n),
        gross: new Array<bigint>(this.size).fill(0n),
        accepted: new Array<number>(this.size).fill(0),
      };
      this.lines.set(currency, line);
    }
    line.net[index] = (line.net[index] ?? 0n) + BigInt(net);
    line.gross[index] = (line.gross[index] ?? 0n) + BigInt(gross);
    line.accepted[index] = (line.accepted[index] ?? 0) + count;
  }
  build(): EarningsSeries['currencies'] {
    const exact = (value: bigint) => {
      if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`Amount ${value} is too large to be exact`);
      return Number(value);
    };
    return [...this.lines.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([currency, line]) => ({
        currency,
        net: line.net.map(exact),
        gross: line.gross.map(exact),
        accepted: line.accepted,
      }));
  }
}

/** Net earned (captures) per bucket and currency, from raw ledger events. */
export function computeSeries(
  events: Iterable<LedgerEvent>,
  period: ResolvedPeriod,
  granularity: Granularity,
): EarningsSeries {
  const grid = bucketsFor(period, granularity);
  const builder = new SeriesBuilder(grid.buckets.length);
  for (const event of events) {
    if (event.kind !== 'capture') continue;
    const index = grid.indexOfInstant(event.at);
    if (index >= 0) builder.add(event.gross.currency, index, event.gross.minor, event.net.minor, 1);
  }
  return { period: periodToWire(period), granularity, buckets: grid.buckets, currencies: builder.build() };
}
