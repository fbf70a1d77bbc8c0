import { type MessageFormatElement, parse, TYPE } from '@formatjs/icu-messageformat-parser';
import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import type { Refusal as KeyRefusal } from '../../../renderer/data/refusal';
import ar from '../../../renderer/i18n/ar.json';
import en from '../../../renderer/i18n/en.json';
import { directionOf, pickLocale, resolveLocale } from '../../../renderer/i18n/locale';
import type { Refusal } from '../../../shared/actions/check';

const catalogs = { en, ar } as Record<'en' | 'ar', Record<string, string>>;
const ARABIC_PLURAL_FORMS = ['zero', 'one', 'two', 'few', 'many', 'other'];

function plurals(elements: MessageFormatElement[]): { name: string; options: string[] }[] {
  const found: { name: string; options: string[] }[] = [];
  for (const element of elements) {
    if (element.type === TYPE.plural) {
      found.push({ name: element.value, options: Object.keys(element.options) });
      for (const option of Object.values(element.options)) found.push(...plurals(option.value));
    }
    if (element.type === TYPE.select) {
      for (const option of Object.values(element.options)) found.push(...plurals(option.value));
    }
  }
  return found;
}

function argumentNames(elements: MessageFormatElement[]): Set<string> {
  const names = new Set<string>();
  for (const element of elements) {
    if ('value' in element && element.type !== TYPE.literal) {
      names.add(String(element.value));
    }
    if ('options' in element) {
      for (const option of Object.values(element.options)) for (const n of argumentNames(option.value)) names.add(n);
    }
  }
  return names;
}

describe('message catalogs', () => {
  it('English and Arabic have exactly the same keys', () => {
    expect(Object.keys(ar).sort()).toEqual(Object.keys(en).sort());
  });

  it('every message parses as ICU and no message is empty', () => {
    for (const [locale, catalog] of Object.entries(catalogs)) {
      for (const [key, text] of Object.entries(catalog)) {
        expect(text.trim(), `${locale}:${key}`).not.toBe('');
        expect(() => parse(text), `${locale}:${key}`).not.toThrow();
      }
    }
  });

  it('Arabic messages use the same arguments as the English ones', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect([...argumentNames(parse(ar[key]))].sort(), key).toEqual([...argumentNames(parse(en[key]))].sort());
    }
  });

  it("Arabic plurals spell out all six of Arabic's plural forms", () => {
    let checked = 0;
    for (const [key, text] of Object.entries(ar)) {
      for (const plural of plurals(parse(text))) {
        checked += 1;
        for (const form of ARABIC_PLURAL_FORMS) expect(plural.options, `${key} lacks ${form}`).toContain(form);
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('one refusal.* sentence per code serves the registry and the keyboard, in both languages', () => {
    // A refusal's fields are the sentence's arguments (shared/actions/check.ts, keyboard/refusal.ts).
    const said = (locale: 'en' | 'ar', refusal: Refusal | KeyRefusal) => {
      const reason = new IntlMessageFormat(catalogs[locale][`refusal.${refusal.code}`] ?? '', locale).format(refusal);
      const sentence = new IntlMessageFormat(catalogs[locale]['refusal.notDone'] ?? '', locale);
      return String(sentence.format({ command: 'Refund', reason: String(reason) }));
    };
    const reasons = Object.keys(en).filter((key) => key.startsWith('refusal.') && !/notDone|typing|focus/.test(key));
    expect(reasons.length).toBeGreaterThanOrEqual(8);
    for (const key of reasons) {
      const code = key.slice('refusal.'.length) as KeyRefusal['code'];
      for (const locale of ['en', 'ar'] as const) {
        const refusal = { code, needs: 'refund', status: 'expired', queued: 'refund' } as KeyRefusal;
        expect(said(locale, refusal), `${locale} ${code}`).toMatch(/^[^{}]*Refund[^{}]+\.$/u);
      }
    }
    expect(said('en', { code: 'forbidden', needs: 'refund' })).toBe(
      'Refund was not done: you are not allowed to refund in this inbox.',
    );
    expect(said('en', { code: 'already_queued', queued: 'refund' })).toBe(
      'Refund was not done: a refund for this message is already waiting to reach the platform.',
    );
    expect(said('en', { code: 'forbidden', needs: 'owner' })).toContain('not allowed to do this');
    expect(said('ar', { code: 'already_decided', status: 'expired' })).toContain('منتهية ومستردّة');
    // One family: nothing is left under the old second prefix.
    expect(Object.keys(en).filter((key) => key.startsWith('refused.'))).toEqual([]);
  });

  it('formats plurals into the right Arabic form for 0, 1, 2, 3, 11 and 100', () => {
    const format = (count: number) => new IntlMessageFormat(ar['fan.messageCount'], 'ar').format({ count });
    expect(format(0)).toBe('لا رسائل');
    expect(format(1)).toBe('رسالة واحدة');
    expect(format(2)).toBe('رسالتان');
    expect(format(3)).toMatch(/رسائل$/);
    expect(format(11)).toMatch(/رسالة$/);
    expect(format(100)).toMatch(/رسالة$/);
    expect(new IntlMessageFormat(en['fan.messageCount'], 'en').format({ count: 1 })).toBe('1 message');
    expect(new IntlMessageFormat(en['fan.messageCount'], 'en').format({ count: 47 })).toBe('47 messages');
  });

  it('the saved-reply defaults take the template variables as arguments in both languages', () => {
    for (const [locale, catalog] of Object.entries(catalogs)) {
      const filled = new IntlMessageFormat(catalog['saved.soon.body'] ?? '', locale).format({
        fan: '{{fan}}',
        amount: '{{amount}}',
      });
      expect(filled).toContain('{{fan}}');
      expect(filled).toContain('{{amount}}');
    }
  });
});

describe('locale choice', () => {
  it('follows the OS languages, English when neither language is offered', () => {
    expect(pickLocale(['ar-EG', 'en-US'])).toBe('ar');
    expect(pickLocale(['fr-FR', 'en-GB', 'ar'])).toBe('en');
    expect(pickLocale(['de-DE'])).toBe('en');
    expect(pickLocale([])).toBe('en');
  });

  it('a person’s choice wins over the OS, and Arabic is right to left', () => {
    expect(resolveLocale('ar', ['en-US'])).toBe('ar');
    expect(resolveLocale('system', ['ar-SA'])).toBe('ar');
    expect(directionOf('ar')).toBe('rtl');
    expect(directionOf('en')).toBe('ltr');
  });
});
