/**
 * The forecast's pace sentence, formatted with the real catalogs through react-intl as the
 * app formats it: a pace of zero says that nothing would be decided, not "about 0
 * decisions" (English) or "enough for about no decisions" (Arabic).
 */
import { createIntl } from 'react-intl';
import { describe, expect, it } from 'vitest';
import ar from '../../../renderer/i18n/ar.json';
import en from '../../../renderer/i18n/en.json';

const pace = (locale: 'en' | 'ar', capacity: number, due: number) =>
  createIntl({ locale, messages: locale === 'en' ? en : ar }).formatMessage({ id: 'forecast.pace' }, { capacity, due });

describe('forecast pace wording', () => {
  it('says plainly that nothing would be decided when the pace is zero', () => {
    expect(pace('en', 0, 5)).toBe(
      'At your recent pace, no message would be decided in the next 24 h; 5 messages are due.',
    );
    expect(pace('ar', 0, 5)).not.toContain('لنحو');
    expect(pace('ar', 0, 5)).toContain('لن يُبتّ في أي رسالة');
  });

  it('gives the pace as a count otherwise', () => {
    expect(pace('en', 1, 1)).toBe('Your recent pace reaches about 1 decision in the next 24 h; 1 message is due.');
    expect(pace('en', 3, 5)).toBe('Your recent pace reaches about 3 decisions in the next 24 h; 5 messages are due.');
    expect(pace('ar', 2, 5)).toContain('لنحو قرارين');
  });
});
