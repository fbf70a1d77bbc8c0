/**
 * The capacity forecast (issue 17): from an inbox's own recent pace, how many pending paid
 * messages will reach their deadline undecided — and so be refunded automatically — within
 * the horizon, and which ones.
 *
 * Pure and exact: the pace is kept as integer counts per local hour of day, capacity is
 * compared in integer "decisions × lookback days × ms" units, money is summed in minor units.
 * The platform, the core and the renderer can all run it and agree.
 */
import { HOUR_MS } from '../message/deadline';
import { type Money, sumByCurrency } from '../money/amount';

export const DAY_MS = 24 * HOUR_MS;
export const DEFAULT_LOOKBACK_DAYS = 7;
export const DEFAULT_HORIZON_MS = DAY_MS;

export interface ForecastMessage {
  readonly id: string;
  readonly deadline: number;
  readonly price: Money;
}

export interface ForecastInput {
  /** ms since the epoch. */
  readonly now: number;
  /** The inbox's pending paid messages. */
  readonly pending: readonly ForecastMessage[];
  /** When each decision a person made (accept or refund, never an automatic expiry) happened. */
  readonly decisions: readonly number[];
  /** How far back the pace is read, in whole days (the decisions before that are ignored). */
  readonly lookbackDays?: number;
  /** How far ahead the forecast looks. */
  readonly horizonMs?: number;
  /** The creator's zone as an offset from UTC, so "hour of day" is their hour. */
  readonly utcOffsetMinutes?: number;
}

export interface Forecast {
  /** Pending messages whose deadline falls before the horizon ends and that the pace will not reach, soonest first. */
  readonly willExpire: readonly ForecastMessage[];
  /** Their prices summed per currency (minor units). */
  readonly willExpireTotal: readonly Money[];
  /** Pending messages due within the horizon. */
  readonly dueInHorizon: number;
  /** Whole decisions the pace gives from now to the end of the horizon. */
  readonly capacity: number;
  /** Decisions per local hour of day (0–23) averaged over the lookback, for display. */
  readonly perHour: readonly number[];
  /** Local hours in which the creator decided anything during the lookback: their working hours, inferred. */
  readonly workingHours: readonly number[];
  /** Decisions seen in the lookback window. */
  readonly decisionsSeen: number;
  /** A daily cap the pace can keep up with: the decisions of an average day (at least 1). */
  readonly sustainableDailyCap: number;
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new RangeError(message);
}

/** Start (ms, UTC) of the local hour that contains `at`. */
function localHourStart(at: number, offsetMs: number): number {
  return Math.floor((at + offsetMs) / HOUR_MS) * HOUR_MS - offsetMs;
}

function localHourOf(at: number, offsetMs: number): number {
  return ((Math.floor((at + offsetMs) / HOUR_MS) % 24) + 24) % 24;
}

/**
 * Capacity from `from` to each later instant, in integer units of decisions × days × ms:
 * each local hour slot contributes its hour-of-day count times the ms of it that lies in range.
 */
function capacityCurve(from: number, counts: readonly number[], offsetMs: number) {
  return (to: number): number => {
    if (to <= from) return 0;
    let total = 0;
    for (let slot = localHourStart(from, offsetMs); slot < to; slot += HOUR_MS) {
      const overlap = Math.min(slot + HOUR_MS, to) - Math.max(slot, from);
      if (overlap > 0) total += (counts[localHourOf(slot, offsetMs)] ?? 0) * overlap;
    }
    return total;
  };
}

export function forecastCapacity(input: ForecastInput): Forecast {
  const lookbackDays = input.lookbackDays ?? DEFAULT_LOOKBACK_DAYS;
  const horizonMs = input.horizonMs ?? DEFAULT_HORIZON_MS;
  const offsetMs = (input.utcOffsetMinutes ?? 0) * 60_000;
  const { now } = input;
  check(Number.isSafeInteger(now) && now >= 0, 'now must be a whole number of ms');
  check(Number.isInteger(lookbackDays) && lookbackDays >= 1 && lookbackDays <= 90, 'lookbackDays must be 1–90');
  check(Number.isInteger(horizonMs) && horizonMs > 0 && horizonMs <= 7 * DAY_MS, 'horizonMs must be 1 ms – 7 days');
  check(Math.abs(offsetMs) <= 14 * HOUR_MS && Number.isInteger(offsetMs), 'utcOffsetMinutes must be within ±14 h');

  const counts = new Array<number>(24).fill(0);
  const since = now - lookbackDays * DAY_MS;
  let decisionsSeen = 0;
  for (const at of input.decisions) {
    if (at < since || at >= now) continue;
    const hour = localHourOf(at, offsetMs);
    counts[hour] = (counts[hour] ?? 0) + 1;
    decisionsSeen += 1;
  }

  // Earliest deadline first is the order that saves the most messages (unit jobs with
  // deadlines): the i-th message in it is saved when the capacity up to its deadline
  // covers it and every saved one before it. Ties go by id so the order is total.
  const end = now + horizonMs;
  const due = input.pending
    .filter((m) => m.deadline <= end)
    .slice()
    .sort((a, b) => a.deadline - b.deadline || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const capacityTo = capacityCurve(now, counts, offsetMs);
  const unit = lookbackDays * HOUR_MS;
  const willExpire: ForecastMessage[] = [];
  let saved = 0;
  for (const message of due) {
    if (capacityTo(message.deadline) >= (saved + 1) * unit) saved += 1;
    else willExpire.push(message);
  }

  return {
    willExpire,
    willExpireTotal: sumByCurrency(willExpire.map((m) => m.price)),
    dueInHorizon: due.length,
    capacity: Math.floor(capacityTo(end) / unit),
    perHour: counts.map((n) => n / lookbackDays),
    workingHours: counts.flatMap((n, hour) => (n > 0 ? [hour] : [])),
    decisionsSeen,
    sustainableDailyCap: Math.max(1, Math.floor(decisionsSeen / lookbackDays)),
  };
}

/**
 * The forecast has just crossed the creator's threshold (messages to be refunded): true
 * once, on the first forecast at or over it after one under it, so a notification is not
 * repeated while it stays over.
 */
export function crossedThreshold(previous: number | null, current: number, threshold: number): boolean {
  if (threshold < 1) return false;
  return current >= threshold && (previous === null || previous < threshold);
}
