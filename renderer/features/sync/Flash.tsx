import { useEffect } from 'react';
import { useT } from '../../i18n/I18n';
import { clearFlash, useFlash } from '../../ui/flash';

/** The visible answer to the last command: what happened, or why nothing did. */
export function Flash() {
  const t = useT();
  const entry = useFlash((s) => s.current);
  useEffect(() => {
    if (!entry) return;
    const timer = setTimeout(clearFlash, Math.max(0, entry.until - Date.now()));
    return () => clearTimeout(timer);
  }, [entry]);
  if (!entry) return null;
  return (
    <div
      className={`toast flash flash-${entry.tone}`}
      role={entry.tone === 'refused' ? 'alert' : 'status'}
      data-testid="flash"
      key={entry.n}
    >
      <span>{entry.text}</span>
      <button type="button" onClick={clearFlash} aria-label={t('common.dismiss')}>
        ×
      </button>
    </div>
  );
}
