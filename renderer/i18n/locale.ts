/** The app speaks English and Arabic; the OS language decides unless the person chose. */
export const LOCALES = ['en', 'ar'] as const;
export type Locale = (typeof LOCALES)[number];
export type LocaleChoice = Locale | 'system';

export function pickLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split(/[-_]/)[0];
    if (base === 'ar') return 'ar';
    if (base === 'en') return 'en';
  }
  return 'en';
}

export function resolveLocale(choice: LocaleChoice, preferred: readonly string[]): Locale {
  return choice === 'system' ? pickLocale(preferred) : choice;
}

export function directionOf(locale: Locale): 'rtl' | 'ltr' {
  return locale === 'ar' ? 'rtl' : 'ltr';
}
