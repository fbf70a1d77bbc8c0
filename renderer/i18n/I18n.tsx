import { DirectionProvider } from '@radix-ui/react-direction';
import { type ReactNode, useCallback, useEffect, useSyncExternalStore } from 'react';
import { IntlProvider, useIntl } from 'react-intl';
import { usePrefs } from '../state/prefs';
import ar from './ar.json';
import en from './en.json';
import { directionOf, type Locale, resolveLocale } from './locale';

export type MessageKey = keyof typeof en;
export type MessageValues = Record<string, string | number | Date>;

const catalogs: Record<Locale, Record<MessageKey, string>> = { en, ar };

function subscribeToLanguages(onChange: () => void): () => void {
  window.addEventListener('languagechange', onChange);
  return () => window.removeEventListener('languagechange', onChange);
}
const osLanguages = () => navigator.languages.join(',');

/** The locale in use: the person's choice, or the OS language (followed live). */
export function useLocale(): Locale {
  const choice = usePrefs((s) => s.locale);
  const languages = useSyncExternalStore(subscribeToLanguages, osLanguages);
  return resolveLocale(choice, languages.split(','));
}

export function I18n({ children }: { children: ReactNode }) {
  const locale = useLocale();
  useEffect(() => {
    document.documentElement.lang = locale;
    document.documentElement.dir = directionOf(locale);
    document.title = catalogs[locale]['app.title'];
  }, [locale]);
  return (
    <IntlProvider locale={locale} messages={catalogs[locale]} defaultLocale="en">
      {/* Radix menus, tooltips and toggle groups read the direction for arrow keys and placement. */}
      <DirectionProvider dir={directionOf(locale)}>{children}</DirectionProvider>
    </IntlProvider>
  );
}

/** `t('inbox.accept')` with keys checked against the English catalog at compile time. */
export function useT(): (id: MessageKey, values?: MessageValues) => string {
  const intl = useIntl();
  return useCallback((id, values) => intl.formatMessage({ id }, values), [intl]);
}
