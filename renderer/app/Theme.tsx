import { useEffect } from 'react';
import { usePrefs } from '../state/prefs';

/** Light/dark follows the OS (prefers-color-scheme) unless the person picked one. */
export function useThemeAttribute(): void {
  const theme = usePrefs((s) => s.theme);
  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'system') root.removeAttribute('data-theme');
    else root.setAttribute('data-theme', theme);
  }, [theme]);
}
