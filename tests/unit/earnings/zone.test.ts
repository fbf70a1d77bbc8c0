import { describe, expect, it } from 'vitest';
import { resolvePeriod } from '../../../electron/core/earnings/period';
import { bucketsFor } from '../../../electron/core/earnings/series';
import { CoreError } from '../../../electron/core/errors';

/** What `fn` threw: the core's invalid-input error, whose message the page shows. */
function invalidInput(fn: () => unknown): CoreError {
  try {
    fn();
  } catch (error) {
    if (error instanceof CoreError && error.bridgeCode === 'invalid_input') return error;
    throw error;
  }
  throw new Error('nothing was refused');
}

import {
  dayToIso,
  isoToDay,
  prepareZone,
  TimeZoneError,
  weekStart,
  zoneFor,
} from '../../../electron/core/earnings/zone';

const HOUR = 3_600_000;

describe('local days in a time zone', () => {
  it('knows that DST days in Berlin last 23 and 25 hours', () => {
    const berlin = zoneFor('Europe/Berlin');
    const spring = isoToDay('2026-03-29') as number;
    const autumn = isoToDay('2026-10-25') as number;
    expect(berlin.startOfDay(spring + 1) - berlin.startOfDay(spring)).toBe(23 * HOUR);
    expect(berlin.startOfDay(autumn + 1) - berlin.startOfDay(autumn)).toBe(25 * HOUR);
    expect(new Date(berlin.startOfDay(spring)).toISOString()).toBe('2026-03-28T23:00:00.000Z');
  });

  it('handles half- and quarter-hour offsets and zones on both sides of the date line', () => {
    const day = isoToDay('2026-06-01') as number;
    expect(new Date(zoneFor('Asia/Kathmandu').startOfDay(day)).toISOString()).toBe('2026-05-31T18:15:00.000Z');
    expect(new Date(zoneFor('Asia/Kolkata').startOfDay(day)).toISOString()).toBe('2026-05-31T18:30:00.000Z');
    expect(new Date(zoneFor('Pacific/Kiritimati').startOfDay(day)).toISOString()).toBe('2026-05-31T10:00:00.000Z');
    expect(new Date(zoneFor('Pacific/Pago_Pago').startOfDay(day)).toISOString()).toBe('2026-06-01T11:00:00.000Z');
  });

  it('refuses an unknown zone and impossible dates with a clear error', () => {
    // Preparing a zone ahead of time never throws: the error is the caller's who uses it.
    expect(() => prepareZone('Mars/Olympus_Mons')).not.toThrow();
    expect(() => zoneFor('Mars/Olympus_Mons')).toThrow(TimeZoneError);
    expect(isoToDay('2026-02-30')).toBeNull();
    expect(isoToDay('26-02-01')).toBeNull();
    expect(dayToIso(isoToDay('2028-02-29') as number)).toBe('2028-02-29');
    expect(dayToIso(weekStart(isoToDay('2026-03-29') as number))).toBe('2026-03-23');
  });
});

describe('periods', () => {
  const now = Date.UTC(2026, 2, 29, 22, 30); // already 30 March in Sydney, still 29 in New York
  it('are local calendar days where the user is', () => {
    expect(resolvePeriod({ kind: 'today' }, 'Australia/Sydney', now).fromDate).toBe('2026-03-30');
    expect(resolvePeriod({ kind: 'today' }, 'America/New_York', now).fromDate).toBe('2026-03-29');
    const month = resolvePeriod({ kind: 'month' }, 'Europe/Berlin', now);
    expect([month.fromDate, month.toDate]).toEqual(['2026-03-01', '2026-03-31']);
    const week = resolvePeriod({ kind: '7d' }, 'UTC', now);
    expect([week.fromDate, week.toDate]).toEqual(['2026-03-23', '2026-03-29']);
  });

  it('refuses custom periods that end before they start, bad dates and huge spans', () => {
    expect(
      invalidInput(() => resolvePeriod({ kind: 'custom', from: '2026-03-02', to: '2026-03-01' }, 'UTC', now)).message,
    ).toMatch(/ends \(2026-03-01\) before it starts/);
    expect(() => resolvePeriod({ kind: 'custom', from: '2026-13-01', to: '2026-13-02' }, 'UTC', now)).toThrow(
      /Not a date/,
    );
    expect(() => resolvePeriod({ kind: 'custom', from: '2000-01-01', to: '2026-01-01' }, 'UTC', now)).toThrow(
      /at most/,
    );
  });

  it('charting a decade per day is refused; per month it is fine', () => {
    const decade = resolvePeriod({ kind: 'custom', from: '2017-01-01', to: '2026-12-31' }, 'UTC', now);
    expect(invalidInput(() => bucketsFor(decade, 'day')).message).toMatch(/Too many days/);
    expect(bucketsFor(decade, 'month').buckets).toHaveLength(120);
  });
});
