import { describe, expect, it } from 'vitest';
import { formatDuration, formatMoneyList } from '../../../renderer/i18n/format';
import { HOUR_MS } from '../../../shared/message';

describe('formatting through Intl', () => {
  it('writes time left in days, hours and minutes', () => {
    expect(formatDuration(2 * 24 * HOUR_MS + 4 * HOUR_MS, 'en')).toBe('2d 4h');
    expect(formatDuration(5 * HOUR_MS + 12 * 60_000, 'en')).toBe('5h 12m');
    expect(formatDuration(30_000, 'en')).toBe('1m');
    expect(formatDuration(-5, 'en')).toBe('1m');
  });

  it('uses the locale’s own digits and units in Arabic', () => {
    const text = formatDuration(5 * HOUR_MS, 'ar');
    expect(text).not.toMatch(/h/);
    expect(text).toMatch(/[٥5]/);
  });

  it('writes Arabic durations with unit words, never single-letter abbreviations', () => {
    const text = formatDuration(24 * HOUR_MS + 5 * HOUR_MS, 'ar');
    expect(text).toContain('يوم');
    expect(text).toContain('ساعات');
    expect(text).not.toMatch(/(^|\s)[يس](\s|$)/);
  });

  it('lists totals per currency with their currency shown', () => {
    const text = formatMoneyList(
      [
        { minor: 1250, currency: 'USD' },
        { minor: 1200, currency: 'JPY' },
      ],
      'en',
    );
    expect(text).toBe('$12.50 · ¥1,200');
  });
});
