import { describe, expect, it } from 'vitest';
import {
  amountInText,
  countdownParts,
  durationParts,
  formatAmount,
  formatCompactAmount,
  formatDuration,
  formatMoneyList,
  formatTimeLeft,
  formatWindow,
} from '../../../renderer/i18n/format';
import { HOUR_MS } from '../../../shared/message';

describe('formatting through Intl', () => {
  it('writes time left in days, hours and minutes', () => {
    expect(formatDuration(2 * 24 * HOUR_MS + 4 * HOUR_MS, 'en')).toBe('2d 4h');
    expect(formatDuration(5 * HOUR_MS + 12 * 60_000, 'en')).toBe('5h 12m');
    expect(formatDuration(30_000, 'en')).toBe('1m');
    expect(formatDuration(-5, 'en')).toBe('1m');
  });

  it('splits a duration into its largest unit and the next, the parts formatDuration joins', () => {
    expect(durationParts(2 * 24 * HOUR_MS + 4 * HOUR_MS, 'en')).toEqual(['2d', '4h']);
    expect(durationParts(3 * HOUR_MS, 'en')).toEqual(['3h']);
    expect(durationParts(30_000, 'en')).toEqual(['1m']);
    for (const ms of [3 * HOUR_MS + 27 * 60_000, 26 * HOUR_MS, 59 * 60_000]) {
      expect(durationParts(ms, 'ar').join(' ')).toBe(formatDuration(ms, 'ar'));
    }
  });

  it('keeps hours and minutes under two hours in both languages; only from 2 h may the minutes yield', () => {
    const eightyMinutes = HOUR_MS + 20 * 60_000;
    expect(countdownParts(eightyMinutes, 'en')).toEqual({ major: '1h', minor: '20m', minorYields: false });
    const ar = countdownParts(eightyMinutes, 'ar');
    expect(ar.minor).toMatch(/(20|٢٠) دقيقة/);
    expect(ar.minorYields).toBe(false);
    expect(countdownParts(2 * HOUR_MS - 60_000, 'ar').minorYields).toBe(false);
    expect(countdownParts(2 * HOUR_MS + 60_000, 'ar').minorYields).toBe(true);
    expect(countdownParts(26 * HOUR_MS, 'ar').minorYields).toBe(true);
  });

  it('writes a download’s time left in seconds under a minute, in steps of five', () => {
    expect(formatTimeLeft(12_000, 'en')).toBe('15s');
    expect(formatTimeLeft(0, 'en')).toBe('5s');
    expect(formatTimeLeft(90_000, 'en')).toBe('1m');
    expect(formatTimeLeft(12_000, 'ar')).toContain('ثانية');
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

  it('keeps a Latin currency symbol whole in Arabic by isolating it, and leaves English as Intl writes it', () => {
    const usd = { minor: 2500, currency: 'USD' };
    const arabic = formatAmount(usd, 'ar');
    expect(arabic).toContain('\u2068US$\u2069');
    expect(arabic.replace(/[\u2066-\u2069]/g, '')).toBe(
      new Intl.NumberFormat('ar', { style: 'currency', currency: 'USD' }).format(25),
    );
    expect(formatAmount(usd, 'en')).toBe('$25.00');
    expect(amountInText(usd, 'en')).toBe('\u2068$25.00\u2069');
  });

  it('names a tier by its window the way it is sold: hours, whole weeks and more in days', () => {
    expect(formatWindow(24 * HOUR_MS, 'en')).toBe('24h');
    expect(formatWindow(72 * HOUR_MS, 'en')).toBe('72h');
    expect(formatWindow(14 * 24 * HOUR_MS, 'en')).toBe('14d');
    expect(formatWindow(24 * HOUR_MS, 'ar')).toMatch(/24.*ساعة/);
  });

  it('writes an amount compactly for the collapsed rail, from the exact minor units, symbol kept whole in Arabic', () => {
    expect(formatCompactAmount({ minor: 25_000, currency: 'USD' }, 'en')).toBe('$250');
    expect(formatCompactAmount({ minor: 123_456_789, currency: 'USD' }, 'en')).toBe('$1.23M');
    // Zero-decimal currencies are read in their own minor units: 1,200 yen, not 12.
    expect(formatCompactAmount({ minor: 1_200, currency: 'JPY' }, 'en')).toBe('¥1.2K');
    const arabic = formatCompactAmount({ minor: 25_000, currency: 'USD' }, 'ar');
    expect(arabic).toContain('\u2068US$\u2069');
    // Breakable between number and symbol only: a plain space, never a no-break one.
    expect(arabic).toMatch(/250 \u2068US\$/);
  });
});
