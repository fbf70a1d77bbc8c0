import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crossedThreshold, DAY_MS, type ForecastMessage, forecastCapacity } from '../../../shared/forecast';
import { HOUR_MS } from '../../../shared/message';
import { money } from '../../../shared/money';

const NOW = Date.UTC(2026, 11, 1, 8, 30);

const message = (i: number, deadline: number, minor = 2500, currency = 'USD'): ForecastMessage => ({
  id: `m${String(i).padStart(5, '0')}`,
  deadline,
  price: money(minor, currency),
});

/** `perHour` decisions in every hour of each of `days` days before now, spread evenly in the hour. */
function constantPace(perHour: number, days: number): number[] {
  const out: number[] = [];
  for (let h = 1; h <= days * 24; h += 1)
    for (let k = 0; k < perHour; k += 1) out.push(NOW - h * HOUR_MS + Math.floor((k * HOUR_MS) / (perHour + 1)));
  return out;
}

const arbMessages = fc
  .array(
    fc.record({
      offset: fc.integer({ min: -2 * HOUR_MS, max: 2 * DAY_MS }),
      minor: fc.integer({ min: 1, max: 1_000_000 }),
      currency: fc.constantFrom('USD', 'EUR', 'JPY'),
    }),
    { maxLength: 60 },
  )
  .map((rows) => rows.map((r, i) => message(i, NOW + r.offset, r.minor, r.currency)));
const arbDecisions = fc.array(fc.integer({ min: NOW - 9 * DAY_MS, max: NOW + HOUR_MS }), { maxLength: 400 });
const arbOffset = fc.constantFrom(0, 180, -300, 330, 345, 840, -720);

describe('capacity forecast (shared/forecast)', () => {
  it('says which messages the pace will not reach, soonest first, with their total', () => {
    // One decision an hour, 24 h a day; 40 messages all due in 10 h: 10 saved, 30 refunded.
    const pending = Array.from({ length: 40 }, (_, i) => message(i, NOW + 10 * HOUR_MS));
    const f = forecastCapacity({ now: NOW, pending, decisions: constantPace(1, 7) });
    expect(f.willExpire).toHaveLength(30);
    expect(f.willExpireTotal).toEqual([money(30 * 2500, 'USD')]);
    expect(f.capacity).toBe(24);
    expect(f.workingHours).toHaveLength(24);
    expect(f.sustainableDailyCap).toBe(24);
  });

  it('infers working hours from the local hours decisions were made in', () => {
    // Decisions only 09:00–11:59 local in UTC+3 (06:00–08:59 UTC), each day of the week.
    const decisions: number[] = [];
    for (let d = 0; d < 7; d += 1) for (const h of [6, 7, 8]) decisions.push(Date.UTC(2026, 11, 1 - d, h, 15));
    const f = forecastCapacity({ now: NOW, pending: [], decisions, utcOffsetMinutes: 180 });
    expect(f.workingHours).toEqual([9, 10, 11]);
    expect(f.decisionsSeen).toBe(21);
    // Nothing is forecast from the quiet night: a message due at 23:00 local today is reached only if a working hour comes first.
    const tonight = forecastCapacity({
      now: Date.UTC(2026, 11, 1, 9, 30), // 12:30 local, after the working hours
      pending: [message(1, Date.UTC(2026, 11, 1, 20, 0))],
      decisions,
      utcOffsetMinutes: 180,
    });
    expect(tonight.willExpire.map((m) => m.id)).toEqual(['m00001']);
  });

  it('is never negative and never counts more than is due', () => {
    fc.assert(
      fc.property(arbMessages, arbDecisions, arbOffset, (pending, decisions, utcOffsetMinutes) => {
        const f = forecastCapacity({ now: NOW, pending, decisions, utcOffsetMinutes });
        expect(f.capacity).toBeGreaterThanOrEqual(0);
        expect(f.decisionsSeen).toBeGreaterThanOrEqual(0);
        expect(f.willExpire.length).toBeLessThanOrEqual(f.dueInHorizon);
        for (const total of f.willExpireTotal) expect(total.minor).toBeGreaterThanOrEqual(0);
        for (const n of f.perHour) expect(n).toBeGreaterThanOrEqual(0);
        // Soonest first, and only what falls due before the horizon ends.
        const deadlines = f.willExpire.map((m) => m.deadline);
        expect(deadlines).toEqual([...deadlines].sort((a, b) => a - b));
        for (const m of f.willExpire) expect(m.deadline).toBeLessThanOrEqual(NOW + DAY_MS);
      }),
    );
  });

  it('is monotone in the queue: one more message never lowers the count or the money, nor saves one it did not', () => {
    fc.assert(
      fc.property(
        arbMessages,
        arbDecisions,
        arbOffset,
        fc.integer({ min: -HOUR_MS, max: 2 * DAY_MS }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (pending, decisions, utcOffsetMinutes, offset, minor) => {
          const before = forecastCapacity({ now: NOW, pending, decisions, utcOffsetMinutes });
          const extra = message(99_999, NOW + offset, minor, 'USD');
          const after = forecastCapacity({ now: NOW, pending: [...pending, extra], decisions, utcOffsetMinutes });
          expect(after.willExpire.length).toBeGreaterThanOrEqual(before.willExpire.length);
          expect(after.willExpire.length).toBeLessThanOrEqual(before.willExpire.length + 1);
          const afterIds = new Set(after.willExpire.map((m) => m.id));
          for (const m of before.willExpire) expect(afterIds.has(m.id)).toBe(true);
          for (const total of before.willExpireTotal) {
            const same = after.willExpireTotal.find((t) => t.currency === total.currency);
            expect(same?.minor ?? 0).toBeGreaterThanOrEqual(total.minor);
          }
        },
      ),
    );
  });

  it('is exact on a constant pace: the count equals the worst shortfall of capacity before any deadline', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 1, max: 7 }),
        fc.array(fc.integer({ min: -HOUR_MS, max: DAY_MS }), { maxLength: 80 }),
        (perHour, days, offsets) => {
          const pending = offsets.map((o, i) => message(i, NOW + o));
          const f = forecastCapacity({ now: NOW, pending, decisions: constantPace(perHour, days), lookbackDays: days });
          // Independent closed form: with capacity C(t) = ⌊r·(t − now)/h⌋, the most messages
          // anyone can save leave max over deadlines t of (due by t − C(t)) unsaved.
          const capacity = (t: number) => (t <= NOW ? 0 : Math.floor((perHour * (t - NOW)) / HOUR_MS));
          let expected = 0;
          for (const m of pending) {
            const dueBy = pending.filter((p) => p.deadline <= m.deadline).length;
            expected = Math.max(expected, dueBy - capacity(m.deadline));
          }
          expect(f.willExpire.length).toBe(expected);
          expect(f.capacity).toBe(perHour * 24);
          expect(f.willExpireTotal).toEqual(expected === 0 ? [] : [money(expected * 2500, 'USD')]);
        },
      ),
    );
  });

  it('refuses input it cannot forecast from, with the reason', () => {
    expect(() => forecastCapacity({ now: -1, pending: [], decisions: [] })).toThrow(/now/);
    expect(() => forecastCapacity({ now: NOW, pending: [], decisions: [], lookbackDays: 0 })).toThrow(/lookbackDays/);
    expect(() => forecastCapacity({ now: NOW, pending: [], decisions: [], horizonMs: 0 })).toThrow(/horizonMs/);
    expect(() => forecastCapacity({ now: NOW, pending: [], decisions: [], utcOffsetMinutes: 900 })).toThrow(
      /utcOffset/,
    );
  });

  it('notifies once when the forecast first reaches the threshold', () => {
    expect(crossedThreshold(null, 5, 5)).toBe(true);
    expect(crossedThreshold(4, 5, 5)).toBe(true);
    expect(crossedThreshold(5, 6, 5)).toBe(false);
    expect(crossedThreshold(6, 4, 5)).toBe(false);
    expect(crossedThreshold(0, 3, 0)).toBe(false);
  });
});
