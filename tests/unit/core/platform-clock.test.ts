import { describe, expect, it } from 'vitest';
import { PlatformClock } from '../../../electron/core/sync/platform-clock';

describe('PlatformClock', () => {
  it('is 0 until the platform has answered, and ignores answers without a usable time', () => {
    const clock = new PlatformClock();
    expect(clock.offsetMs).toBe(0);
    clock.observe(null, 1_000, 1_100);
    clock.observe('soon', 1_000, 1_100);
    clock.observe('-5', 1_000, 1_100);
    expect(clock.offsetMs).toBe(0);
  });

  it('takes the midpoint of the round trip with the shortest answer time (NTP-style)', () => {
    const clock = new PlatformClock();
    // Platform two hours behind; a slow answer (800 ms) and a fast one (20 ms).
    const behind = -7_200_000;
    const t0 = 1_790_000_000_000;
    clock.observe(String(t0 + 400 + behind + 300), t0, t0 + 800);
    clock.observe(String(t0 + 20_010 + behind), t0 + 20_000, t0 + 20_020);
    expect(clock.offsetMs).toBe(behind);
  });

  it('tells its listener when the estimate moves noticeably, not on noise', () => {
    const clock = new PlatformClock();
    let changes = 0;
    clock.onChange = () => {
      changes++;
    };
    clock.observe(String(1_000 + 3_600_000), 1_000, 1_000);
    expect(changes).toBe(1);
    clock.observe(String(5_000 + 3_600_000 + 100), 5_000, 5_000);
    expect(changes).toBe(1);
  });
});
