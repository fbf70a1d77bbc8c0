import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  currencyLabel,
  currencyOrder,
  MOST_USED_CURRENCIES,
} from '../../../renderer/features/inbox-settings/currencyOrder';
import { CURRENCY_CODES } from '../../../shared/money';

describe('currency picker order', () => {
  it("puts the inbox's own currency first, then the most used, then the rest alphabetically", () => {
    const { mostUsed, others } = currencyOrder('JPY');
    expect(mostUsed.slice(0, 4)).toEqual(['JPY', 'USD', 'EUR', 'GBP']);
    expect(others).toEqual([...others].sort());
    expect(others).not.toContain('USD');
    expect(others.indexOf('AFN')).toBe(0);
  });

  it('lists every known code exactly once, whatever the current one', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CURRENCY_CODES), (current) => {
        const { mostUsed, others } = currencyOrder(current);
        const all = [...mostUsed, ...others];
        expect(mostUsed[0]).toBe(current);
        expect(new Set(all).size).toBe(all.length);
        expect(new Set(all)).toEqual(new Set(CURRENCY_CODES));
      }),
    );
  });

  it('keeps an unknown current code rather than dropping it', () => {
    const { mostUsed, others } = currencyOrder('XYZ');
    expect(mostUsed[0]).toBe('XYZ');
    expect([...mostUsed, ...others]).toHaveLength(CURRENCY_CODES.length + 1);
  });

  it('only names codes the app knows as most used', () => {
    for (const code of MOST_USED_CURRENCIES) expect(CURRENCY_CODES).toContain(code);
  });

  it("names a currency in the person's language", () => {
    expect(currencyLabel('USD', 'en')).toBe('USD — US Dollar');
    expect(currencyLabel('USD', 'ar')).toMatch(/^USD — .*دولار/);
  });
});
