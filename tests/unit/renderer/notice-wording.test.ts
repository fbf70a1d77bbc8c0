/**
 * Notice sentences (issue 12): the action that was not applied is a phrase of the sentence,
 * lower-case mid-sentence in English ("Your acceptance of Layla’s $25.00 message …", never
 * "Your Accept …"), and in Arabic a possessed noun whose gender the verb agrees with.
 * Formatted with the real catalogs through react-intl, as the app formats them.
 */
import { createIntl } from 'react-intl';
import { describe, expect, it } from 'vitest';
import ar from '../../../renderer/i18n/ar.json';
import en from '../../../renderer/i18n/en.json';
import type { MessageKey, MessageValues } from '../../../renderer/i18n/I18n';
import { limitNoticeText } from '../../../renderer/i18n/limitNotice';
import { yourActionOn } from '../../../renderer/i18n/notice-action';

const catalogs = { en, ar } as const;
const translator = (locale: keyof typeof catalogs) => {
  const intl = createIntl({ locale, messages: catalogs[locale] });
  return (id: MessageKey, values?: MessageValues) => intl.formatMessage({ id }, values);
};
const plain = (text: string) => text.replace(/[\u2066-\u2069]/g, '');
const known = { fanName: 'Layla Haddad', priceMinor: 2_500, currency: 'USD' };
const ACTIONS = ['accept', 'refund', 'reply', 'triage', 'note', 'draft', 'something-new'] as const;
const CODES = ['already_decided', 'deadline_passed', 'forbidden', 'not_found'] as const;

describe('notice wording', () => {
  it('names the action in lower case mid-sentence, with the fan and the amount (en)', () => {
    const t = translator('en');
    const what = (action: string) => plain(yourActionOn({ ...known, action }, t, 'en'));
    expect(what('accept')).toBe('Your acceptance of Layla Haddad’s $25.00 message');
    expect(what('refund')).toBe('Your refund of Layla Haddad’s $25.00 message');
    expect(what('reply')).toBe('Your reply to Layla Haddad’s $25.00 message');
    expect(what('something-new')).toBe('Your action on Layla Haddad’s $25.00 message');
    expect(plain(yourActionOn({ action: 'accept' }, t, 'en'))).toBe('Your acceptance of this message');
    for (const code of CODES) {
      for (const action of ACTIONS) {
        const sentence = plain(
          t(`notices.code.${code}`, {
            what: yourActionOn({ ...known, action }, t, 'en'),
            who: 'Nour',
            status: 'refunded',
            time: 'Jan 5',
          }),
        );
        expect(sentence, `${code}/${action}`).toMatch(/^Your [a-z]/);
        // No capitalised word after "Your" anywhere (the old "Your Accept of …").
        expect(sentence, `${code}/${action}`).not.toMatch(/Your [A-Z]/);
        expect(sentence).toContain('Layla Haddad’s $25.00 message was not applied');
      }
    }
  });

  it('reads as one sentence in Arabic: a possessed noun the masculine verb agrees with', () => {
    const t = translator('ar');
    const sentence = (action: string) =>
      plain(t('notices.code.not_found', { what: yourActionOn({ ...known, action }, t, 'ar') }));
    expect(sentence('accept')).toMatch(/^لم يُطبَّق قبولك لرسالة Layla Haddad بقيمة .*25\.00.*: لم تعد الرسالة موجودة\.$/);
    expect(sentence('refund')).toMatch(/^لم يُطبَّق استردادك لرسالة Layla Haddad/);
    expect(plain(yourActionOn({ action: 'accept' }, t, 'ar'))).toBe('قبولك لهذه الرسالة');
    // The old wording put the outbox label after "إجراء" ("إجراء قبول على …").
    for (const action of ACTIONS) expect(sentence(action)).not.toContain('إجراء قبول');
  });

  it('limit notices say which action, on which message, the same way', () => {
    const notice = {
      id: 'n1',
      messageId: 'm1',
      kind: 'rejected' as const,
      code: 'over_limit',
      text: 'fallback',
      actorName: null,
      at: 0,
      params: { ...known, action: 'accept', limit: 'max_price', maxMinor: 1_000 },
    };
    expect(plain(limitNoticeText(notice, translator('en'), 'en'))).toBe(
      'Your acceptance of Layla Haddad’s $25.00 message was not applied: it passes your limit of $10.00 a message (this one is $25.00). Ask the owner.',
    );
    expect(plain(limitNoticeText(notice, translator('ar'), 'ar'))).toMatch(/^لم يُطبَّق قبولك لرسالة Layla Haddad/);
  });
});
