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
}: {
  message: { readonly free: boolean; readonly paidAt: number; readonly deadline: number };
  locale: string;
}) {
  const t = useT();
  if (message.free) {
    const label = t('terms.freeTitle');
    return (
      <span className="chip terms-badge terms-free" title={label} role="img" aria-label={label}>
        <Gift size={12} aria-hidden="true" />
        <span aria-hidden="true">{t('terms.free')}</span>
      </span>
    );
  }
  const window = formatWindow(windowOf(message), locale);
  const label = t('terms.tierTitle', { window });
  return (
    <span className="chip terms-badge terms-tier num" title={label} role="img" aria-label={label}>
      <Timer size={12} aria-hidden="true" />
      <bdi aria-hidden="true">{window}</bdi>
    </span>
  );
}
