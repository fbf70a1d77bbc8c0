import { create } from 'zustand';
import type { LocaleChoice } from '../i18n/locale';

/** Personal display preferences of this device (not synced): theme, language, density. */
export type ThemeChoice = 'system' | 'light' | 'dark';
/** Where the focus goes after accepting or refunding: on to the next message, or stay. */
export type AfterDecision = 'next' | 'stay';
/** Compact: one line per message (~36 px, 15+ rows at 800 px). Comfortable: two lines. */
export type Density = 'compact' | 'comfortable';

interface PrefsState {
  theme: ThemeChoice;
  locale: LocaleChoice;
  afterDecision: AfterDecision;
  density: Density;
  setTheme(theme: ThemeChoice): void;
  setLocale(locale: LocaleChoice): void;
  setAfterDecision(choice: AfterDecision): void;
  setDensity(density: Density): void;
}

const STORAGE_KEY = 'creator-inbox.prefs';

type Saved = Pick<PrefsState, 'theme' | 'locale' | 'afterDecision' | 'density'>;

function load(): Saved {
  try {
    const parsed = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') as Partial<PrefsState>;
    const theme = parsed.theme === 'light' || parsed.theme === 'dark' ? parsed.theme : 'system';
    const locale = parsed.locale === 'en' || parsed.locale === 'ar' ? parsed.locale : 'system';
    const afterDecision = parsed.afterDecision === 'stay' ? 'stay' : 'next';
    const density = parsed.density === 'comfortable' ? 'comfortable' : 'compact';
    return { theme, locale, afterDecision, density };
  } catch {
    return { theme: 'system', locale: 'system', afterDecision: 'next', density: 'compact' };
  }
}

function save(state: Saved): void {
  try {
    const { theme, locale, afterDecision, density } = state;
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ theme, locale, afterDecision, density }));
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
  setAfterDecision(afterDecision) {
    set({ afterDecision });
    save(get());
  },
  setDensity(density) {
    set({ density });
    save(get());
  },
}));
