import { type ReactNode, useCallback, useMemo } from 'react';
import { IntlProvider, useIntl } from 'react-intl';
import ar from './i18n/ar.json';
import en from './i18n/en.json';

/**
 * The earnings screen keeps its own catalog (i18n/en.json, ar.json) and layers it over
 * the app's: one provider inside the app's, same locale, more messages.
 */
export type EarningsKey = keyof typeof en;
const catalogs: Record<string, Record<EarningsKey, string>> = { en, ar };

export function EarningsIntl({ children }: { children: ReactNode }) {
  const outer = useIntl();
  const messages = useMemo(
    () => ({ ...outer.messages, ...(catalogs[outer.locale] ?? en) }),
    [outer.messages, outer.locale],
  );
  return (
    <IntlProvider locale={outer.locale} messages={messages} defaultLocale="en">
      {children}
    </IntlProvider>
  );
}

export function useEarningsT(): (id: EarningsKey, values?: Record<string, string | number>) => string {
  const intl = useIntl();
  return useCallback((id, values) => intl.formatMessage({ id }, values), [intl]);
}
