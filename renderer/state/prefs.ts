import { create } from 'zustand';
import type { LocaleChoice } from '../i18n/locale';

/** Personal display preferences of this device (not synced): theme and language. */
export type ThemeChoice = 'system' | 'light' | 'dark';

interface PrefsState {
  theme: ThemeChoice;
  locale: LocaleChoice;
  setTheme(theme: ThemeChoice): void;
  setLocale(locale: LocaleChoice): void;
}

const STORAGE_KEY = 'creator-inbox.prefs';

function load(): Pick<PrefsState, 'theme' | 'locale'> {
  try {
    const parsed = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') as Partial<PrefsState>;
    const theme = parsed.theme === 'light' || parsed.theme === 'dark' ? parsed.theme : 'system';
    const locale = parsed.locale === 'en' || parsed.locale === 'ar' ? parsed.locale : 'system';
    return { theme, locale };
  } catch {
    return { theme: 'system', locale: 'system' };
  }
}

function save(state: Pick<PrefsState, 'theme' | 'locale'>): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ theme: state.theme, locale: state.locale }));
  } catch {
    // Storage can be unavailable (private mode, quota); the choice then lasts this session.
  }
}

export const usePrefs = create<PrefsState>((set, get) => ({
  ...load(),
  setTheme(theme) {
    set({ theme });
    save(get());
  },
  setLocale(locale) {
    set({ locale });
    save(get());
  },
}));
