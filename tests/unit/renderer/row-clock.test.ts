import { describe, expect, it } from 'vitest';
import { shallow } from 'zustand/shallow';
import { rowClockView } from '../../../renderer/features/inbox/rowClock';
import { HOUR_MS } from '../../../shared/message';

const MINUTE = 60_000;
const deadline = 1_800_000_000_000;
const pending = { status: 'pending', free: false, deadline, pendingDecision: null, snoozedUntil: null } as const;

/** The views of a row over `seconds` ticks from `from`, and at which ticks they changed. */
function changesOver(row: Parameters<typeof rowClockView>[0], from: number, seconds: number): number[] {
  const changed: number[] = [];
  let last = rowClockView(row, from, 'en');
  for (let s = 1; s <= seconds; s++) {
    const next = rowClockView(row, from + s * 1_000, 'en');
    if (!shallow(last, next)) changed.push(s);
    last = next;
  }
  return changed;
}

describe("a row's status chip against the clock (what decides its re-renders)", () => {
  it('changes once a minute for a countdown, at the second its text drops a minute', () => {
    // 2 h 59 m 30 s left: the text drops to "2h 58m" once under 2 h 59 m (31 s on), then a minute later.
    const from = deadline - (3 * HOUR_MS - 30_000);
    expect(changesOver(pending, from, 120)).toEqual([31, 91]);
    expect(rowClockView(pending, from, 'en')).toMatchObject({ kind: 'countdown', major: '2h', minor: '59m' });
  });

  it('changes only on the hour when it shows days and hours', () => {
    const from = deadline - (2 * 24 * HOUR_MS + 5 * HOUR_MS + 10 * MINUTE);
    expect(changesOver(pending, from, 15 * 60)).toEqual([10 * 60 + 1]);
  });

  it('says missed the second the deadline passes, and an expired or decided row never changes', () => {
    expect(changesOver(pending, deadline - 3_000, 5)).toEqual([3]);
    expect(rowClockView(pending, deadline, 'en')).toEqual({ kind: 'missed' });
    expect(changesOver({ ...pending, status: 'accepted' }, deadline - 3_000, 10)).toEqual([]);
  });

  it('ends a snooze the second it is over', () => {
    const row = { ...pending, snoozedUntil: deadline - 2 * HOUR_MS };
    expect(rowClockView(row, deadline - 2 * HOUR_MS - 1_000, 'en').kind).toBe('snoozed');
    expect(rowClockView(row, deadline - 2 * HOUR_MS, 'en').kind).toBe('countdown');
  });
});
