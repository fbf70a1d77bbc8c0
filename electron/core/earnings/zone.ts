/**
 * Local calendar days in an IANA time zone, DST-correct, without a date library.
 *
 * Intl.DateTimeFormat is the only source of truth for offsets, but calling it per ledger
 * entry would cost microseconds each; a million entries would take seconds. Offsets are
 * constant between DST transitions, so we ask Intl once per 12-hour slot and binary
 * search the exact transition second when two neighbouring slots disagree. After that,
 * "which local day is this instant on" is integer arithmetic.
 *
 * A "day" here is the number of days since 1970-01-01 of the local calendar date.
 * Assumes no zone changes its offset twice within 12 hours, and that the local date never
 * goes backwards (true of every zone in use today: backward jumps at midnight land on the
 * previous day's 23:00, which that day has not left yet).
 */

export const DAY_MS = 86_400_000;
const SLOT_MS = 12 * 3_600_000;
const MAX_OFFSET_MS = 16 * 3_600_000;

export class TimeZoneError extends Error {
  readonly bridgeCode = 'invalid_input';
  constructor(timeZone: string) {
    super(`Unknown time zone: ${JSON.stringify(timeZone)}`);
    this.name = 'TimeZoneError';
  }
}

export interface Zone {
  readonly timeZone: string;
  /** Milliseconds to add to a UTC instant to get the local wall-clock time. */
  offsetAt(instant: number): number;
  /** The local calendar day (days since 1970-01-01) an instant falls on. */
  localDay(instant: number): number;
  /** The first instant whose local day is `day` or later (midnight, or the end of a DST gap). */
  startOfDay(day: number): number;
}

function makeOffsetReader(timeZone: string): (instant: number) => number {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      numberingSystem: 'latn',
    });
  } catch {
    throw new TimeZoneError(timeZone);
  }
  return (instant) => {
    const wholeSecond = Math.floor(instant / 1000) * 1000;
    const fields: Record<string, number> = {};
    for (const part of format.formatToParts(wholeSecond)) {
      if (part.type !== 'literal') fields[part.type] = Number(part.value);
    }
    const wall = Date.UTC(
      fields.year ?? 1970,
      (fields.month ?? 1) - 1,
      fields.day ?? 1,
      fields.hour ?? 0,
      fields.minute ?? 0,
      fields.second ?? 0,
    );
    return wall - wholeSecond;
  };
}

interface Slot {
  readonly before: number;
  readonly after: number;
  /** The first instant with the `after` offset; Infinity when the slot has one offset. */
  readonly transition: number;
}

function createZoneUncached(timeZone: string): Zone {
  const readOffset = makeOffsetReader(timeZone);
  const slotStartOffsets = new Map<number, number>();
  const slots = new Map<number, Slot>();

  const offsetAtSlotStart = (slot: number): number => {
    let offset = slotStartOffsets.get(slot);
    if (offset === undefined) {
      offset = readOffset(slot * SLOT_MS);
      slotStartOffsets.set(slot, offset);
    }
    return offset;
  };

  const slotInfo = (slot: number): Slot => {
    let info = slots.get(slot);
    if (info) return info;
    const before = offsetAtSlotStart(slot);
    const after = offsetAtSlotStart(slot + 1);
    let transition = Number.POSITIVE_INFINITY;
    if (before !== after) {
      // Transitions happen on whole seconds: search seconds, not milliseconds.
      let lo = (slot * SLOT_MS) / 1000;
      let hi = ((slot + 1) * SLOT_MS) / 1000;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (readOffset(mid * 1000) === before) lo = mid;
        else hi = mid;
      }
      transition = hi * 1000;
    }
    info = { before, after, transition };
    slots.set(slot, info);
    return info;
  };

  const offsetAt = (instant: number): number => {
    const info = slotInfo(Math.floor(instant / SLOT_MS));
    return instant < info.transition ? info.before : info.after;
  };

  const localDay = (instant: number): number => Math.floor((instant + offsetAt(instant)) / DAY_MS);

  const startOfDay = (day: number): number => {
    // Offsets stay within ±16 h, so the answer lies in this window; the local day is
    // monotonic in the instant, so a binary search finds the first instant of `day`.
    let lo = day * DAY_MS - MAX_OFFSET_MS;
    let hi = day * DAY_MS + MAX_OFFSET_MS;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (localDay(mid) >= day) hi = mid;
      else lo = mid;
    }
    return hi;
  };

  return { timeZone, offsetAt, localDay, startOfDay };
}

const zones = new Map<string, Zone>();

/** The zone of this machine's clock, as Intl reports it. */
export const localTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * Loads ahead of time what the first earnings fold needs of Intl. ICU reads its data on
 * first use: about 30 ms of CPU in a warm process and 110-160 ms on a fresh worker thread,
 * which would otherwise fall inside a first sync, between the snapshot's first chunk and
 * the first pending page (the fold runs after every chunk, on the same thread).
 */
export function prepareZone(timeZone: string = localTimeZone()): void {
  try {
    zoneFor(timeZone).localDay(Date.now());
  } catch {
    // An unknown zone is reported where it is used, not here.
  }
}

/** A zone by IANA name ("Europe/Berlin", "UTC"); throws TimeZoneError for an unknown name. */
export function zoneFor(timeZone: string): Zone {
  let zone = zones.get(timeZone);
  if (!zone) {
    zone = createZoneUncached(timeZone);
    zones.set(timeZone, zone);
  }
  return zone;
}

// ---- calendar days ----------------------------------------------------------------------

export interface CalendarDate {
  readonly year: number;
  readonly month: number; // 1..12
  readonly day: number; // 1..31
}

export function dayToDate(day: number): CalendarDate {
  const d = new Date(day * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function dateToDay(date: CalendarDate): number {
  return Math.floor(Date.UTC(date.year, date.month - 1, date.day) / DAY_MS);
}

/** "2026-03-29" for a day number. */
export function dayToIso(day: number): string {
  const { year, month, day: dom } = dayToDate(day);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(dom).padStart(2, '0')}`;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses "YYYY-MM-DD", refusing dates that do not exist (2026-02-30). */
export function isoToDay(text: string): number | null {
  const match = ISO_DATE.exec(text);
  if (!match) return null;
  const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  const day = dateToDay(date);
  const back = dayToDate(day);
  return back.year === date.year && back.month === date.month && back.day === date.day ? day : null;
}

/** Monday on or before `day` (ISO weeks start on Monday). */
export function weekStart(day: number): number {
  // 1970-01-01 was a Thursday: day 0 has ISO weekday 4 (Mon = 1).
  const isoWeekday = ((((day + 3) % 7) + 7) % 7) + 1;
  return day - (isoWeekday - 1);
}

export function monthStart(day: number): number {
  const { year, month } = dayToDate(day);
  return dateToDay({ year, month, day: 1 });
}

export function addMonths(day: number, months: number): number {
  const { year, month } = dayToDate(monthStart(day));
  const index = year * 12 + (month - 1) + months;
  return dateToDay({ year: Math.floor(index / 12), month: (index % 12) + 1, day: 1 });
}

export function yearStart(day: number): number {
  return dateToDay({ year: dayToDate(day).year, month: 1, day: 1 });
}
