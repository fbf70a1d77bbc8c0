import { Gift, Timer } from 'lucide-react';
import { windowOf } from '../../shared/message';
import { formatWindow } from '../i18n/format';
import { useT } from '../i18n/I18n';

/**
 * What a message was sent on, as one small badge (#18): a free pass, or the tier the fan
 * paid for, named by its response window ("24h"). The same badge in the list and the
 * reading pane; the words are in the tooltip and for screen readers.
 */
export function TermsBadge({
  message,
  locale,
  yields = false,
}: {
  message: { readonly free: boolean; readonly paidAt: number; readonly deadline: number };
  locale: string;
  /** Beside a list row's preview: in a narrow list only the icon shows (`.chip-yield`). */
  yields?: boolean;
}) {
  const t = useT();
  const yieldClass = yields ? ' chip-yield' : '';
  if (message.free) {
    const label = t('terms.freeTitle');
    return (
      <span className={`chip terms-badge terms-free${yieldClass}`} title={label} role="img" aria-label={label}>
        <Gift size={12} aria-hidden="true" />
        <span className="chip-words" aria-hidden="true">
          {t('terms.free')}
        </span>
      </span>
    );
  }
  const window = formatWindow(windowOf(message), locale);
  const label = t('terms.tierTitle', { window });
  return (
    <span className={`chip terms-badge terms-tier num${yieldClass}`} title={label} role="img" aria-label={label}>
      <Timer size={12} aria-hidden="true" />
      <bdi className="chip-words" aria-hidden="true">
        {window}
      </bdi>
    </span>
  );
}
