import { CoreError } from '../errors';
import { addMonths, dateToDay, dayToDate, dayToIso, isoToDay, monthStart, yearStart, zoneFor } from './zone';

/**
 * A period is a range of whole local calendar days in the user's time zone: "today" is
 * today's date where the user is, whatever the UTC clock says.
 */
export type PeriodSpec =
  | { kind: 'today' | '7d' | '30d' | 'month' | 'year' }
  | { kind: 'custom'; from: string; to: string };

/** Ten years of days: enough for a tax history, small enough to chart per day. */
export const MAX_PERIOD_DAYS = 3_660;

export interface ResolvedPeriod {
  readonly kind: PeriodSpec['kind'];
  readonly timeZone: string;
  /** First local day of the period (days since 1970-01-01). */
  readonly fromDay: number;
  /** The local day after the last one (exclusive). */
  readonly toDay: number;
  /** First instant of the period (ms since epoch). */
  readonly start: number;
  /** First instant after the period. */
  readonly end: number;
  /** "YYYY-MM-DD", inclusive on both ends, as people read periods. */
  readonly fromDate: string;
  readonly toDate: string;
}

export function resolvePeriod(spec: PeriodSpec, timeZone: string, now: number): ResolvedPeriod {
  const zone = zoneFor(timeZone);
  const today = zone.localDay(now);
  let fromDay: number;
  let toDay: number;
  switch (spec.kind) {
    case 'today':
      fromDay = today;
      toDay = today + 1;
      break;
    case '7d':
      fromDay = today - 6;
      toDay = today + 1;
      break;
    case '30d':
      fromDay = today - 29;
      toDay = today + 1;
      break;
    case 'month':
      fromDay = monthStart(today);
      toDay = addMonths(fromDay, 1);
      break;
    case 'year': {
      fromDay = yearStart(today);
      const { year } = dayToDate(fromDay);
      toDay = dateToDay({ year: year + 1, month: 1, day: 1 });
      break;
    }
    case 'custom': {
      const from = isoToDay(spec.from);
      const to = isoToDay(spec.to);
      if (from === null)
        throw new CoreError('invalid_input', `Not a date: ${JSON.stringify(spec.from)} (expected YYYY-MM-DD)`);
      if (to === null)
        throw new CoreError('invalid_input', `Not a date: ${JSON.stringify(spec.to)} (expected YYYY-MM-DD)`);
      if (to < from)
        throw new CoreError('invalid_input', `The period ends (${spec.to}) before it starts (${spec.from})`);
      if (to - from + 1 > MAX_PERIOD_DAYS)
        throw new CoreError('invalid_input', `A period can span at most ${MAX_PERIOD_DAYS} days`);
      if (from < 0) throw new CoreError('invalid_input', 'A period cannot start before 1970-01-01');
      fromDay = from;
      toDay = to + 1;
      break;
    }
  }
  return {
    kind: spec.kind,
    timeZone,
    fromDay,
    toDay,
    start: zone.startOfDay(fromDay),
    end: zone.startOfDay(toDay),
    fromDate: dayToIso(fromDay),
    toDate: dayToIso(toDay - 1),
  };
}
