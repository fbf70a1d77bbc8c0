import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dismissedNow, localDay } from '../../../renderer/features/forecast/data';

describe('dismissing the capacity forecast for the day', () => {
  it('keeps it away for the rest of that day while it names no more messages', () => {
    const day = localDay(new Date(2026, 11, 1, 9, 30).getTime());
    expect(day).toBe('2026-12-01');
    expect(dismissedNow({ day, count: 5 }, day, 5)).toBe(true);
    expect(dismissedNow({ day, count: 5 }, day, 3)).toBe(true);
  });

  it('brings it back the next local day, when it grows, or when it was never dismissed', () => {
    const evening = new Date(2026, 11, 1, 23, 59).getTime();
    const morning = new Date(2026, 11, 2, 0, 1).getTime();
    const dismissal = { day: localDay(evening), count: 5 };
    expect(dismissedNow(dismissal, localDay(morning), 5)).toBe(false);
    expect(dismissedNow(dismissal, localDay(evening), 6)).toBe(false);
    expect(dismissedNow(undefined, localDay(evening), 1)).toBe(false);
  });

  it('is hidden exactly when it is the same day and the count has not grown', () => {
    fc.assert(
      fc.property(fc.nat(1_000), fc.nat(1_000), fc.boolean(), (dismissedCount, count, sameDay) => {
        const today = '2026-12-01';
        const dismissal = { day: sameDay ? today : '2026-11-30', count: dismissedCount };
        expect(dismissedNow(dismissal, today, count)).toBe(sameDay && count <= dismissedCount);
      }),
    );
  });
});
