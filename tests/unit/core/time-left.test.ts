import { describe, expect, it } from 'vitest';
import { TimeLeft } from '../../../electron/core/sync/time-left';

describe('TimeLeft', () => {
  it('says nothing until it has a pace, then what is left at that pace', () => {
    const left = new TimeLeft();
    expect(left.estimate(0, 100, 1_000)).toBeNull();
    expect(left.estimate(200, 150, 1_000)).toBeNull(); // under the minimum span: too early to say
    expect(left.estimate(1_000, 300, 1_000)).toBe(3_500); // 200 in 1 s → 700 left in 3.5 s
    expect(left.estimate(2_000, 1_000, 1_000)).toBe(0);
  });

  it('measures afresh when the count goes back (a snapshot restarted), and never goes negative', () => {
    const left = new TimeLeft();
    left.estimate(0, 500, 1_000);
    expect(left.estimate(1_000, 0, 1_000)).toBeNull();
    expect(left.estimate(2_000, 100, 1_000)).toBe(9_000);
    expect(left.estimate(3_000, 1_200, 1_000)).toBe(0);
  });

  it('says nothing while nothing moves', () => {
    const left = new TimeLeft();
    left.estimate(0, 10, 100);
    expect(left.estimate(5_000, 10, 100)).toBeNull();
  });
});
