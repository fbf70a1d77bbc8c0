import { useEffect, useSyncExternalStore } from 'react';
import { usePrefs } from '../state/prefs';

const DARK_QUERY = '(prefers-color-scheme: dark)';

function subscribe(onChange: () => void): () => void {
  const query = window.matchMedia(DARK_QUERY);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}

/**
 * Light/dark follows the OS (prefers-color-scheme) unless the person picked one. "System"
 * is resolved here to light or dark, so the tokens (ui/tokens.css) keep one dark block.
 */
export function useThemeAttribute(): void {
  const theme = usePrefs((s) => s.theme);
  const systemDark = useSyncExternalStore(subscribe, () => window.matchMedia(DARK_QUERY).matches);
  const resolved = theme === 'system' ? (systemDark ? 'dark' : 'light') : theme;
  useEffect(() => {
    document.documentElement.setAttribute('data-theme', resolved);
  }, [resolved]);
}
