import { describe, expect, it } from 'vitest';
import { MAIN_STRINGS, pickMainLocale } from '../../../electron/main/strings';

describe('main-process strings (pure module, no Electron binary)', () => {
  it('follows the OS language, English otherwise', () => {
    expect(pickMainLocale(['ar-EG', 'en-US'])).toBe('ar');
    expect(pickMainLocale(['fr-FR', 'en-GB'])).toBe('en');
    expect(pickMainLocale(['de-DE'])).toBe('en');
  });

  it('has every string in both languages, and the Arabic ones are Arabic', () => {
    const keys = Object.keys(MAIN_STRINGS.en).sort();
    expect(Object.keys(MAIN_STRINGS.ar).sort()).toEqual(keys);
    for (const key of keys) {
      const value = MAIN_STRINGS.ar[key as keyof typeof MAIN_STRINGS.ar];
      const text = typeof value === 'function' ? (value as (arg: never) => string)(3 as never) : value;
      if (key === 'openLinkDetail') continue; // the URL itself
      expect({ key, arabic: /[\u0600-\u06FF]/.test(String(text)) }).toEqual({ key, arabic: true });
    }
  });

  it('counts paid messages with Arabic plural forms in the tray', () => {
    expect(MAIN_STRINGS.ar.trayTooltip(1)).toContain('رسالة مدفوعة واحدة');
    expect(MAIN_STRINGS.ar.trayTooltip(2)).toContain('رسالتان');
    expect(MAIN_STRINGS.ar.trayTooltip(5)).toContain('5 رسائل');
    expect(MAIN_STRINGS.en.trayTooltip(1)).toBe('Creator Inbox — 1 paid message waiting');
    expect(MAIN_STRINGS.en.trayTooltip(0)).toBe('Creator Inbox');
  });
});
